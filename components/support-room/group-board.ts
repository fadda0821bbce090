import { Task, TaskStatus } from '@lit/task';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { POST_MAX, REPORT_REASONS, type BoardPost, type BoardThread, type GroupSummary, type ReportReason } from '../../server/contract/groups.js';
import type { CareClient } from '../core/api-client.js';
import { failureOf, failureText, type Failure } from '../core/failure.js';
import { defineElement } from '../core/define.js';
import { addEnglish, LocaleController } from '../core/i18n.js';
import { LiveController } from '../core/live-client.js';
import { focusAndReveal } from '../core/reveal.js';
import groupBoard from '../../locales/en/groupBoard.json';
import type { SupportRoomEventDetails } from './events.js';
import { ROOM_FAILURES } from './failure-text.js';
import { dateTimeFormat } from '../core/intl.js';

addEnglish({ groupBoard });

const BOARD_PAGE = 20;

/**
 * The group board of a support room: threads with replies, posting, reporting, and hiding by
 * moderators, kept fresh by live updates (`groups.onPost`), polling while they are off.
 *
 * An internal part of `<care-support-room>`, which loads its code only when the person may see the
 * board and passes it the group, its API client and settings. It renders into its own light DOM,
 * inside the room's shadow root: the room's styles apply, and its parts are the room's parts, so a
 * page's `care-support-room::part(post)` styles it.
 *
 * @summary The group board inside `<care-support-room>` (internal).
 * @tag care-group-board
 *
 * @event care-posted - A message was posted to the board. `detail: { post }`.
 * @event care-error - Posting, reporting or hiding failed. `detail: { kind, message }`.
 * @event group-board-flag - Internal, not composed: the person asked to flag a post's author as maybe in danger. `detail: { postId, label, from }`.
 * @event group-board-announce - Internal, not composed: a message for the room's live region. `detail: string`.
 *
 * @csspart board - The group board.
 * @csspart post - One message on the board.
 * @csspart heading - The board's heading.
 * @csspart notice - Offline and loading-error messages.
 * @csspart form - The new-message and reply forms.
 * @csspart label - Labels of the text boxes and selects.
 * @csspart input - Text boxes and selects.
 * @csspart button - Buttons.
 */
export class CareGroupBoard extends LitElement {
  /** The group whose board this is; null while the person may not read it. */
  @property({ attribute: false }) group: GroupSummary | null = null;
  /**
   * Gives the room's API client (with its token and refresh). A function: the tRPC client is a
   * proxy that Lit would take for a directive if it were bound as a value.
   */
  @property({ attribute: false }) api: (() => CareClient) | null = null;
  /** Base URL of the care server, for live updates. */
  @property() endpoint = '';
  /** The room's token, for live updates. */
  @property() token: string | null = null;
  /** BCP 47 locale of the room. */
  @property() locale = 'en';
  /** The person moderates the group: report counts and hiding show. */
  @property({ type: Boolean }) moderator = false;
  /** Seconds between checks for new messages while live updates are unavailable (0: never). */
  @property({ attribute: 'poll-interval', type: Number }) pollInterval = 15;

  @state() private threads: BoardThread[] = [];
  @state() private cursor: string | null = null;
  /** Loading more, or a refresh that failed (after the first page arrived). */
  @state() private status: 'idle' | 'loading-more' | 'error' | 'offline' = 'idle';
  @state() private draft = '';
  @state() private replyTo: string | null = null;
  @state() private replyDraft = '';
  @state() private posting = false;
  @state() private postError = '';
  @state() private reporting: { postId: string; reason: ReportReason } | null = null;
  @state() private hiding: { postId: string; reason: string; error: string } | null = null;

  private readonly localize = new LocaleController(this, () => this.locale);
  private pollTimer: ReturnType<typeof setInterval> | undefined;

  /** What the board follows; a change (another group, server or person) starts it afresh. */
  private get key(): string {
    return this.group && this.api ? `${this.endpoint}|${this.token}|${this.group.id}` : '';
  }

  /** The first page of threads. A newer run aborts the request of the one before. */
  private readonly firstPage = new Task(this, {
    args: () => [this.key] as const,
    task: async ([key], { signal }) => {
      const client = this.api?.();
      const group = this.group;
      if (!key || !client || !group) return null;
      return client.groups.messages.query({ groupId: group.id, limit: BOARD_PAGE }, { signal });
    },
    onComplete: (page) => {
      this.threads = page?.threads ?? [];
      this.cursor = page?.nextCursor ?? null;
      this.status = 'idle';
    },
  });

  /**
   * Live updates: refreshes what is on screen when someone posts. Public for tests (`live.live`).
   * @internal
   */
  readonly live = new LiveController(this, {
    endpoint: () => this.endpoint,
    token: () => this.token,
    key: () => this.key || null,
    subscribe: (client, handlers) => client.groups.onPost.subscribe({ groupId: this.group?.id ?? '' }, handlers),
    refresh: () => this.poll(),
  });

  /** The board renders inside the room's shadow root, where the room's styles and parts are. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.restartPolling();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private shownKey = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    const key = this.key;
    if (key !== this.shownKey) {
      // Another group, server or person: nothing shown so far belongs to it.
      this.shownKey = key;
      this.threads = [];
      this.cursor = null;
      this.status = 'idle';
      this.restartPolling();
    } else if (changed.has('pollInterval')) {
      this.restartPolling();
    }
  }

  private restartPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    const every = Math.max(0, this.pollInterval) * 1000;
    if (!this.isConnected || !this.key || !(every > 0)) return;
    this.pollTimer = setInterval(() => {
      if (this.live.due()) void this.poll();
    }, every);
  }

  private get t() {
    return this.localize.t;
  }

  /** Asks the room around the board to say `message` in its live region. Not composed: it stays inside the room. */
  private announce(message: string): void {
    this.dispatchEvent(new CustomEvent('group-board-announce', { detail: message, bubbles: true }));
  }

  private emit<K extends keyof SupportRoomEventDetails>(name: K, detail: SupportRoomEventDetails[K]): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }));
  }

  private fail(failure: Failure, message: string): void {
    this.announce(message);
    this.emit('care-error', { kind: failure.kind, message: failure.message });
  }

  /** After the next render, focuses what `selector` finds and scrolls it into view. */
  private async reveal(selector: string): Promise<void> {
    await this.updateComplete;
    focusAndReveal(this.querySelector<HTMLElement>(selector));
  }

  private get loading(): boolean {
    return this.firstPage.status === TaskStatus.PENDING || this.status === 'loading-more';
  }

  private formatPostTime(iso: string): string {
    return dateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  private async loadMore(): Promise<void> {
    const group = this.group;
    const client = this.api?.();
    if (!group || !client || !this.cursor) return;
    this.status = 'loading-more';
    try {
      const page = await client.groups.messages.query({ groupId: group.id, limit: BOARD_PAGE, cursor: this.cursor });
      this.threads = [...this.threads, ...page.threads.filter((t) => !this.threads.some((o) => o.id === t.id))];
      this.cursor = page.nextCursor;
      this.status = 'idle';
    } catch (error) {
      this.status = failureOf(error).kind === 'offline' ? 'offline' : 'error';
    }
  }

  /** Refreshes what is on screen and says how many messages are new. */
  private async poll(): Promise<void> {
    const group = this.group;
    const client = this.api?.();
    if (!group || !client || document.visibilityState === 'hidden' || this.loading) return;
    try {
      const page = await client.groups.messages.query({ groupId: group.id, limit: Math.min(50, Math.max(BOARD_PAGE, this.threads.length)) });
      const known = new Set(this.threads.flatMap((t) => [t.id, ...t.replies.map((r) => r.id)]));
      const fresh = page.threads.flatMap((t) => [t, ...t.replies]).filter((p) => !known.has(p.id) && !p.mine).length;
      const older = this.threads.filter((t) => !page.threads.some((p) => p.id === t.id) && page.threads.length > 0 && t.createdAt < page.threads[page.threads.length - 1]!.createdAt);
      this.threads = [...page.threads, ...older];
      if (this.threads.length <= page.threads.length) this.cursor = page.nextCursor;
      this.status = 'idle';
      if (fresh > 0) this.announce(this.t('groupBoard.newMessages', { count: fresh }));
    } catch (error) {
      if (failureOf(error).kind === 'offline') this.status = 'offline';
    }
  }

  private async post(event: SubmitEvent, parentId: string | null): Promise<void> {
    event.preventDefault();
    const group = this.group;
    const client = this.api?.();
    const body = (parentId ? this.replyDraft : this.draft).trim();
    if (!group || !client || this.posting) return;
    if (!body) {
      this.postError = this.t('groupBoard.empty');
      this.announce(this.postError);
      return;
    }
    this.posting = true;
    this.postError = '';
    try {
      const post = await client.groups.post.mutate({ groupId: group.id, body, ...(parentId ? { parentId } : {}) });
      if (parentId) {
        this.replyDraft = '';
        this.replyTo = null;
      } else {
        this.draft = '';
      }
      this.announce(this.t('groupBoard.posted'));
      this.emit('care-posted', { post });
      await this.poll();
    } catch (error) {
      const failure = failureOf(error);
      this.postError = failureText(failure, this.t, ROOM_FAILURES);
      this.fail(failure, this.postError);
    } finally {
      this.posting = false;
    }
  }

  private async report(): Promise<void> {
    const reporting = this.reporting;
    const client = this.api?.();
    if (!reporting || !client) return;
    try {
      await client.groups.report.mutate({ postId: reporting.postId, reason: reporting.reason });
      this.reporting = null;
      this.announce(this.t('groupBoard.reported'));
    } catch (error) {
      const failure = failureOf(error);
      this.fail(failure, failureText(failure, this.t, ROOM_FAILURES));
    }
  }

  /** The form replaces nothing the person pressed, but it is new: take them to its first field. */
  private openForm(form: 'reporting' | 'hiding', postId: string): void {
    if (form === 'reporting') this.reporting = { postId, reason: 'harmful' };
    else this.hiding = { postId, reason: '', error: '' };
    void this.reveal(`#${form === 'reporting' ? 'report' : 'hide'}-${postId}`);
  }

  /** Cancel removes the form and its buttons: focus goes back to the button that opened it. */
  private closeForm(form: 'reporting' | 'hiding', postId: string): void {
    this[form] = null;
    void this.reveal(`#${form === 'reporting' ? 'report' : 'hide'}-open-${postId}`);
  }

  private async hide(): Promise<void> {
    const hiding = this.hiding;
    const client = this.api?.();
    if (!hiding || !client) return;
    const reason = hiding.reason.trim();
    if (reason.length < 3) {
      this.hiding = { ...hiding, error: this.t('groupBoard.hideReasonRequired') };
      this.announce(this.hiding.error);
      return;
    }
    try {
      await client.groups.hide.mutate({ postId: hiding.postId, reason });
      this.hiding = null;
      this.announce(this.t('groupBoard.hidden'));
      await this.poll();
    } catch (error) {
      const failure = failureOf(error);
      this.fail(failure, failureText(failure, this.t, ROOM_FAILURES));
    }
  }

  private renderPost(post: BoardPost, thread: BoardThread | null) {
    const reporting = this.reporting?.postId === post.id ? this.reporting : null;
    const hiding = this.hiding?.postId === post.id ? this.hiding : null;
    const moderator = this.moderator;
    return html`
      <article class="post ${post.hidden ? 'is-hidden' : ''}" part="post" aria-labelledby="author-${post.id}">
        <p class="meta">
          <strong id="author-${post.id}"><bdi>${post.authorLabel}</bdi></strong>
          ${post.byModerator ? html`<span class="badge">${this.t('groupBoard.moderator')}</span>` : nothing}
          ${post.mine ? html`<span class="badge">${this.t('groupBoard.you')}</span>` : nothing}
          <time datetime=${post.createdAt}>${this.formatPostTime(post.createdAt)}</time>
        </p>
        ${post.hidden ? html`<p class="notice warning">${this.t('groupBoard.hiddenBecause', { reason: post.hidden.reason })}</p>` : nothing}
        <p class="body" dir="auto">${post.body}</p>
        ${moderator && post.reportCount > 0 ? html`<p class="muted">${this.t('groupBoard.reportCount', { count: post.reportCount })}</p>` : nothing}
        <div class="post-actions">
          ${thread && !post.hidden
            ? html`<button part="button" type="button" class="small" aria-label=${this.t('groupBoard.replyTo', { name: post.authorLabel })} @click=${() => {
                this.replyTo = thread.id;
                this.replyDraft = '';
              }}>${this.t('groupBoard.reply')}</button>`
            : nothing}
          ${!post.mine && !post.hidden && !reporting
            ? html`<button part="button" type="button" class="small" id="report-open-${post.id}" aria-label=${this.t('groupBoard.reportPost', { name: post.authorLabel })} @click=${() => this.openForm('reporting', post.id)}>
                ${this.t('groupBoard.report')}
              </button>`
            : nothing}
          ${!post.mine && !post.hidden
            ? html`<button part="button" type="button" class="small" id="flag-open-${post.id}" aria-label=${this.t('dangerFlag.flagPerson', { name: post.authorLabel })} @click=${(e: Event) =>
                this.dispatchEvent(new CustomEvent('group-board-flag', { detail: { postId: post.id, label: post.authorLabel, from: e.currentTarget }, bubbles: true }))}>
                ${this.t('dangerFlag.flag')}
              </button>`
            : nothing}
          ${moderator && !post.hidden && !hiding
            ? html`<button part="button" type="button" class="small" id="hide-open-${post.id}" aria-label=${this.t('groupBoard.hidePost', { name: post.authorLabel })} @click=${() => this.openForm('hiding', post.id)}>
                ${this.t('groupBoard.hide')}
              </button>`
            : nothing}
        </div>
        ${reporting
          ? html`<div class="inline-form" role="group" aria-labelledby="report-label-${post.id}">
              <label part="label" id="report-label-${post.id}" for="report-${post.id}">${this.t('groupBoard.reportReason')}</label>
              <select part="input" id="report-${post.id}" @change=${(e: Event) => (this.reporting = { postId: post.id, reason: (e.target as HTMLSelectElement).value as ReportReason })}>
                ${REPORT_REASONS.map((r) => html`<option value=${r} ?selected=${reporting.reason === r}>${this.t(`groupBoard.reasons.${r}`)}</option>`)}
              </select>
              <button part="button" type="button" class="primary small" @click=${() => void this.report()}>${this.t('groupBoard.sendReport')}</button>
              <button part="button" type="button" class="small" @click=${() => this.closeForm('reporting', post.id)}>${this.t('room.cancel')}</button>
            </div>`
          : nothing}
        ${hiding
          ? html`<div class="inline-form" role="group" aria-labelledby="hide-label-${post.id}">
              <label part="label" id="hide-label-${post.id}" for="hide-${post.id}">${this.t('groupBoard.hideReason')}</label>
              <input
                part="input"
                id="hide-${post.id}"
                .value=${hiding.reason}
                maxlength="500"
                aria-invalid=${hiding.error ? 'true' : 'false'}
                aria-describedby=${hiding.error ? `hide-error-${post.id}` : nothing}
                @input=${(e: Event) => (this.hiding = { ...hiding, reason: (e.target as HTMLInputElement).value, error: '' })}
              />
              ${hiding.error ? html`<p class="error" id="hide-error-${post.id}">${hiding.error}</p>` : nothing}
              <button part="button" type="button" class="primary small" @click=${() => void this.hide()}>${this.t('groupBoard.hideConfirm')}</button>
              <button part="button" type="button" class="small" @click=${() => this.closeForm('hiding', post.id)}>${this.t('room.cancel')}</button>
            </div>`
          : nothing}
      </article>
    `;
  }

  private renderComposer(parentId: string | null) {
    const id = parentId ? `reply-${parentId}` : 'new-post';
    const value = parentId ? this.replyDraft : this.draft;
    return html`
      <form part="form" class="composer" novalidate @submit=${(e: SubmitEvent) => this.post(e, parentId)}>
        <label part="label" for=${id}>${parentId ? this.t('groupBoard.yourReply') : this.t('groupBoard.newPost')}</label>
        <textarea
          part="input"
          id=${id}
          rows=${parentId ? 2 : 3}
          maxlength=${POST_MAX}
          .value=${value}
          aria-describedby="${id}-count"
          @input=${(e: Event) => {
            const text = (e.target as HTMLTextAreaElement).value;
            if (parentId) this.replyDraft = text;
            else this.draft = text;
          }}
        ></textarea>
        <p class="muted" id="${id}-count">${this.t('groupBoard.count', { used: value.length, max: POST_MAX })}</p>
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.posting}>${parentId ? this.t('groupBoard.sendReply') : this.t('groupBoard.send')}</button>
          ${parentId ? html`<button part="button" type="button" @click=${() => (this.replyTo = null)}>${this.t('room.cancel')}</button>` : nothing}
        </div>
      </form>
    `;
  }

  /** Offline or failed, from the first page's task or from a later refresh. */
  private get problem(): 'offline' | 'error' | null {
    if (this.firstPage.status === TaskStatus.ERROR) return failureOf(this.firstPage.error).kind === 'offline' ? 'offline' : 'error';
    return this.status === 'offline' || this.status === 'error' ? this.status : null;
  }

  protected override render() {
    const problem = this.problem;
    const firstLoading = this.firstPage.status === TaskStatus.PENDING || (this.firstPage.status === TaskStatus.INITIAL && !!this.key);
    return html`
      <section class="board" part="board" aria-labelledby="board-title">
        <h3 part="heading" id="board-title">${this.t('groupBoard.title')}</h3>
        <p class="muted">${this.t('groupBoard.intro')}</p>
        ${this.renderComposer(null)}
        ${this.postError ? html`<p class="error" role="alert">${this.postError}</p>` : nothing}
        ${problem === 'offline' ? html`<p class="notice warning" part="notice">${this.t('room.offline')}</p>` : nothing}
        ${problem === 'error' ? html`<p class="notice warning" part="notice">${this.t('groupBoard.loadError')}</p>` : nothing}
        ${firstLoading && this.threads.length === 0
          ? html`<p class="muted">${this.t('room.boardLoading')}</p>`
          : this.threads.length === 0 && !problem && !this.loading
            ? html`<p class="muted">${this.t('groupBoard.none')}</p>`
            : html`<ol class="threads">
                ${this.threads.map(
                  (thread) => html`<li>
                    ${this.renderPost(thread, thread)}
                    ${thread.replies.length > 0
                      ? html`<ol class="replies" aria-label=${this.t('groupBoard.replies', { name: thread.authorLabel })}>
                          ${thread.replies.map((reply) => html`<li>${this.renderPost(reply, null)}</li>`)}
                        </ol>`
                      : nothing}
                    ${this.replyTo === thread.id ? this.renderComposer(thread.id) : nothing}
                  </li>`,
                )}
              </ol>`}
        ${this.cursor
          ? html`<button part="button" type="button" @click=${() => void this.loadMore()} ?disabled=${this.loading}>${this.t('groupBoard.more')}</button>`
          : nothing}
      </section>
    `;
  }
}

defineElement('care-group-board', CareGroupBoard);

declare global {
  interface HTMLElementTagNameMap {
    'care-group-board': CareGroupBoard;
  }
}
