import type { TFunction } from 'i18next';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { POST_MAX, REPORT_REASONS, type BoardPost, type BoardThread, type GroupSummary, type ReportReason } from '../../server/contract/groups.js';
import { classifyFailure, type CareClient, type Failure } from '../core/api-client.js';
import { LiveController } from '../core/live-client.js';
import { addEnglish } from '../core/i18n.js';
import groupBoard from '../../locales/en/groupBoard.json';

addEnglish({ groupBoard });

const BOARD_PAGE = 20;

/** What the board needs from the support room it sits in. */
export interface BoardContext {
  endpoint(): string;
  token(): string | null;
  locale(): string;
  api(): CareClient;
  t: TFunction;
  /** The group the room shows, while the person may read and post on its board. */
  group(): GroupSummary | null;
  moderator(): boolean;
  /** How often to check for new messages while live updates are off, in milliseconds (0: never). */
  pollInterval(): number;
  announce(message: string): void;
  emit(name: `care-${string}`, detail: unknown): void;
  fail(failure: Failure, message: string): void;
  failureText(failure: Failure): string;
  /** After the next render, focuses the element `selector` finds in the room and scrolls it into view. */
  reveal(selector: string): void;
}

interface BoardState {
  threads: BoardThread[];
  cursor: string | null;
  status: 'idle' | 'loading' | 'error' | 'offline';
  draft: string;
  replyTo: string | null;
  replyDraft: string;
  posting: boolean;
  postError: string;
  reporting: { postId: string; reason: ReportReason } | null;
  hiding: { postId: string; reason: string; error: string } | null;
}

/** Like @state() fields: every change re-renders the host. */
function reactive<T extends object>(host: ReactiveControllerHost, initial: T): T {
  return new Proxy(initial, {
    set(target, key, value) {
      Reflect.set(target, key, value);
      host.requestUpdate();
      return true;
    },
  });
}

/**
 * The group board of a support room: threads with replies, posting, reporting, and hiding by
 * moderators, kept fresh by live updates (polling while they are off). It renders into the room's
 * shadow root and loads only when someone may see it, so the room shows without its code.
 */
export class GroupBoard implements ReactiveController {
  private readonly s: BoardState;
  private key = '';
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private readonly live: LiveController;

  constructor(
    host: ReactiveControllerHost,
    private readonly ctx: BoardContext,
  ) {
    this.s = reactive<BoardState>(host, {
      threads: [],
      cursor: null,
      status: 'idle',
      draft: '',
      replyTo: null,
      replyDraft: '',
      posting: false,
      postError: '',
      reporting: null,
      hiding: null,
    });
    this.live = new LiveController(host, {
      endpoint: ctx.endpoint,
      token: ctx.token,
      key: () => this.key || null,
      subscribe: (client, handlers) => client.groups.onPost.subscribe({ groupId: ctx.group()?.id ?? '' }, handlers),
      refresh: () => this.poll(),
    });
    host.addController(this);
  }

  /** Follows the group shown (and who is looking): a change reloads the board. */
  hostUpdate(): void {
    const group = this.ctx.group();
    const key = group ? `${this.ctx.endpoint()}|${this.ctx.token()}|${group.id}` : '';
    if (key === this.key) return;
    this.key = key;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.s.threads = [];
    this.s.cursor = null;
    if (!key) return;
    void this.load();
    const every = this.ctx.pollInterval();
    if (every > 0) {
      this.pollTimer = setInterval(() => {
        if (this.live.due()) void this.poll();
      }, every);
    }
  }

  hostDisconnected(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.key = '';
  }

  private formatPostTime(iso: string): string {
    return new Intl.DateTimeFormat(this.ctx.locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  private async load(more = false): Promise<void> {
    const group = this.ctx.group();
    if (!group) return;
    this.s.status = 'loading';
    try {
      const page = await this.ctx.api().groups.messages.query({
        groupId: group.id,
        limit: BOARD_PAGE,
        ...(more && this.s.cursor ? { cursor: this.s.cursor } : {}),
      });
      this.s.threads = more ? [...this.s.threads, ...page.threads.filter((t) => !this.s.threads.some((o) => o.id === t.id))] : page.threads;
      this.s.cursor = page.nextCursor;
      this.s.status = 'idle';
    } catch (error) {
      const failure = classifyFailure(error);
      this.s.status = failure.kind === 'offline' ? 'offline' : 'error';
    }
  }

  /** Live updates: refreshes what is on screen and says how many messages are new. */
  private async poll(): Promise<void> {
    const group = this.ctx.group();
    if (!group || document.visibilityState === 'hidden' || this.s.status === 'loading') return;
    try {
      const page = await this.ctx.api().groups.messages.query({ groupId: group.id, limit: Math.min(50, Math.max(BOARD_PAGE, this.s.threads.length)) });
      const known = new Set(this.s.threads.flatMap((t) => [t.id, ...t.replies.map((r) => r.id)]));
      const fresh = page.threads.flatMap((t) => [t, ...t.replies]).filter((p) => !known.has(p.id) && !p.mine).length;
      const older = this.s.threads.filter((t) => !page.threads.some((p) => p.id === t.id) && page.threads.length > 0 && t.createdAt < page.threads[page.threads.length - 1]!.createdAt);
      this.s.threads = [...page.threads, ...older];
      if (this.s.threads.length <= page.threads.length) this.s.cursor = page.nextCursor;
      this.s.status = 'idle';
      if (fresh > 0) this.ctx.announce(this.ctx.t('groupBoard.newMessages', { count: fresh }));
    } catch (error) {
      if (classifyFailure(error).kind === 'offline') this.s.status = 'offline';
    }
  }

  private async post(event: SubmitEvent, parentId: string | null): Promise<void> {
    event.preventDefault();
    const group = this.ctx.group();
    const body = (parentId ? this.s.replyDraft : this.s.draft).trim();
    if (!group || this.s.posting) return;
    if (!body) {
      this.s.postError = this.ctx.t('groupBoard.empty');
      this.ctx.announce(this.s.postError);
      return;
    }
    this.s.posting = true;
    this.s.postError = '';
    try {
      const post = await this.ctx.api().groups.post.mutate({ groupId: group.id, body, ...(parentId ? { parentId } : {}) });
      if (parentId) {
        this.s.replyDraft = '';
        this.s.replyTo = null;
      } else {
        this.s.draft = '';
      }
      this.ctx.announce(this.ctx.t('groupBoard.posted'));
      this.ctx.emit('care-posted', { post });
      await this.poll();
    } catch (error) {
      const failure = classifyFailure(error);
      this.s.postError = failure.kind === 'rate-limited' ? this.ctx.t('room.slowDown') : this.ctx.failureText(failure);
      this.ctx.fail(failure, this.s.postError);
    } finally {
      this.s.posting = false;
    }
  }

  private async report(): Promise<void> {
    const reporting = this.s.reporting;
    if (!reporting) return;
    try {
      await this.ctx.api().groups.report.mutate({ postId: reporting.postId, reason: reporting.reason });
      this.s.reporting = null;
      this.ctx.announce(this.ctx.t('groupBoard.reported'));
    } catch (error) {
      const failure = classifyFailure(error);
      this.ctx.fail(failure, this.ctx.failureText(failure));
    }
  }

  /** The form replaces nothing the person pressed, but it is new: take them to its first field. */
  private openForm(form: 'reporting' | 'hiding', postId: string): void {
    if (form === 'reporting') this.s.reporting = { postId, reason: 'harmful' };
    else this.s.hiding = { postId, reason: '', error: '' };
    this.ctx.reveal(`#${form === 'reporting' ? 'report' : 'hide'}-${postId}`);
  }

  /** Cancel removes the form and its buttons: focus goes back to the button that opened it. */
  private closeForm(form: 'reporting' | 'hiding', postId: string): void {
    this.s[form] = null;
    this.ctx.reveal(`#${form === 'reporting' ? 'report' : 'hide'}-open-${postId}`);
  }

  private async hide(): Promise<void> {
    const hiding = this.s.hiding;
    if (!hiding) return;
    const reason = hiding.reason.trim();
    if (reason.length < 3) {
      this.s.hiding = { ...hiding, error: this.ctx.t('groupBoard.hideReasonRequired') };
      this.ctx.announce(this.s.hiding.error);
      return;
    }
    try {
      await this.ctx.api().groups.hide.mutate({ postId: hiding.postId, reason });
      this.s.hiding = null;
      this.ctx.announce(this.ctx.t('groupBoard.hidden'));
      await this.poll();
    } catch (error) {
      const failure = classifyFailure(error);
      this.ctx.fail(failure, this.ctx.failureText(failure));
    }
  }

  private renderPost(post: BoardPost, thread: BoardThread | null) {
    const reporting = this.s.reporting?.postId === post.id ? this.s.reporting : null;
    const hiding = this.s.hiding?.postId === post.id ? this.s.hiding : null;
    const moderator = this.ctx.moderator();
    return html`
      <article class="post ${post.hidden ? 'is-hidden' : ''}" part="post" aria-labelledby="author-${post.id}">
        <p class="meta">
          <strong id="author-${post.id}"><bdi>${post.authorLabel}</bdi></strong>
          ${post.byModerator ? html`<span class="badge">${this.ctx.t('groupBoard.moderator')}</span>` : nothing}
          ${post.mine ? html`<span class="badge">${this.ctx.t('groupBoard.you')}</span>` : nothing}
          <time datetime=${post.createdAt}>${this.formatPostTime(post.createdAt)}</time>
        </p>
        ${post.hidden ? html`<p class="notice warning">${this.ctx.t('groupBoard.hiddenBecause', { reason: post.hidden.reason })}</p>` : nothing}
        <p class="body" dir="auto">${post.body}</p>
        ${moderator && post.reportCount > 0 ? html`<p class="muted">${this.ctx.t('groupBoard.reportCount', { count: post.reportCount })}</p>` : nothing}
        <div class="post-actions">
          ${thread && !post.hidden
            ? html`<button part="button" type="button" class="small" aria-label=${this.ctx.t('groupBoard.replyTo', { name: post.authorLabel })} @click=${() => {
                this.s.replyTo = thread.id;
                this.s.replyDraft = '';
              }}>${this.ctx.t('groupBoard.reply')}</button>`
            : nothing}
          ${!post.mine && !post.hidden && !reporting
            ? html`<button part="button" type="button" class="small" id="report-open-${post.id}" aria-label=${this.ctx.t('groupBoard.reportPost', { name: post.authorLabel })} @click=${() => this.openForm('reporting', post.id)}>
                ${this.ctx.t('groupBoard.report')}
              </button>`
            : nothing}
          ${moderator && !post.hidden && !hiding
            ? html`<button part="button" type="button" class="small" id="hide-open-${post.id}" aria-label=${this.ctx.t('groupBoard.hidePost', { name: post.authorLabel })} @click=${() => this.openForm('hiding', post.id)}>
                ${this.ctx.t('groupBoard.hide')}
              </button>`
            : nothing}
        </div>
        ${reporting
          ? html`<div class="inline-form" role="group" aria-labelledby="report-label-${post.id}">
              <label part="label" id="report-label-${post.id}" for="report-${post.id}">${this.ctx.t('groupBoard.reportReason')}</label>
              <select part="input" id="report-${post.id}" @change=${(e: Event) => (this.s.reporting = { postId: post.id, reason: (e.target as HTMLSelectElement).value as ReportReason })}>
                ${REPORT_REASONS.map((r) => html`<option value=${r} ?selected=${reporting.reason === r}>${this.ctx.t(`groupBoard.reasons.${r}`)}</option>`)}
              </select>
              <button part="button" type="button" class="primary small" @click=${() => void this.report()}>${this.ctx.t('groupBoard.sendReport')}</button>
              <button part="button" type="button" class="small" @click=${() => this.closeForm('reporting', post.id)}>${this.ctx.t('room.cancel')}</button>
            </div>`
          : nothing}
        ${hiding
          ? html`<div class="inline-form" role="group" aria-labelledby="hide-label-${post.id}">
              <label part="label" id="hide-label-${post.id}" for="hide-${post.id}">${this.ctx.t('groupBoard.hideReason')}</label>
              <input
                part="input"
                id="hide-${post.id}"
                .value=${hiding.reason}
                maxlength="500"
                aria-invalid=${hiding.error ? 'true' : 'false'}
                aria-describedby=${hiding.error ? `hide-error-${post.id}` : nothing}
                @input=${(e: Event) => (this.s.hiding = { ...hiding, reason: (e.target as HTMLInputElement).value, error: '' })}
              />
              ${hiding.error ? html`<p class="error" id="hide-error-${post.id}">${hiding.error}</p>` : nothing}
              <button part="button" type="button" class="primary small" @click=${() => void this.hide()}>${this.ctx.t('groupBoard.hideConfirm')}</button>
              <button part="button" type="button" class="small" @click=${() => this.closeForm('hiding', post.id)}>${this.ctx.t('room.cancel')}</button>
            </div>`
          : nothing}
      </article>
    `;
  }

  private renderComposer(parentId: string | null) {
    const id = parentId ? `reply-${parentId}` : 'new-post';
    const value = parentId ? this.s.replyDraft : this.s.draft;
    return html`
      <form part="form" class="composer" novalidate @submit=${(e: SubmitEvent) => this.post(e, parentId)}>
        <label part="label" for=${id}>${parentId ? this.ctx.t('groupBoard.yourReply') : this.ctx.t('groupBoard.newPost')}</label>
        <textarea
          part="input"
          id=${id}
          rows=${parentId ? 2 : 3}
          maxlength=${POST_MAX}
          .value=${value}
          aria-describedby="${id}-count"
          @input=${(e: Event) => {
            const text = (e.target as HTMLTextAreaElement).value;
            if (parentId) this.s.replyDraft = text;
            else this.s.draft = text;
          }}
        ></textarea>
        <p class="muted" id="${id}-count">${this.ctx.t('groupBoard.count', { used: value.length, max: POST_MAX })}</p>
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.s.posting}>${parentId ? this.ctx.t('groupBoard.sendReply') : this.ctx.t('groupBoard.send')}</button>
          ${parentId ? html`<button part="button" type="button" @click=${() => (this.s.replyTo = null)}>${this.ctx.t('room.cancel')}</button>` : nothing}
        </div>
      </form>
    `;
  }

  /** The board: composer, threads with replies, report and hide forms, and the "more" button. */
  render() {
    return html`
      <section class="board" part="board" aria-labelledby="board-title">
        <h3 part="heading" id="board-title">${this.ctx.t('groupBoard.title')}</h3>
        <p class="muted">${this.ctx.t('groupBoard.intro')}</p>
        ${this.renderComposer(null)}
        ${this.s.postError ? html`<p class="error" role="alert">${this.s.postError}</p>` : nothing}
        ${this.s.status === 'offline' ? html`<p class="notice warning" part="notice">${this.ctx.t('room.offline')}</p>` : nothing}
        ${this.s.status === 'error' ? html`<p class="notice warning" part="notice">${this.ctx.t('groupBoard.loadError')}</p>` : nothing}
        ${this.s.status === 'loading' && this.s.threads.length === 0
          ? html`<p class="muted">${this.ctx.t('room.boardLoading')}</p>`
          : this.s.threads.length === 0 && this.s.status === 'idle'
            ? html`<p class="muted">${this.ctx.t('groupBoard.none')}</p>`
            : html`<ol class="threads">
                ${this.s.threads.map(
                  (thread) => html`<li>
                    ${this.renderPost(thread, thread)}
                    ${thread.replies.length > 0
                      ? html`<ol class="replies" aria-label=${this.ctx.t('groupBoard.replies', { name: thread.authorLabel })}>
                          ${thread.replies.map((reply) => html`<li>${this.renderPost(reply, null)}</li>`)}
                        </ol>`
                      : nothing}
                    ${this.s.replyTo === thread.id ? this.renderComposer(thread.id) : nothing}
                  </li>`,
                )}
              </ol>`}
        ${this.s.cursor
          ? html`<button part="button" type="button" @click=${() => void this.load(true)} ?disabled=${this.s.status === 'loading'}>${this.ctx.t('groupBoard.more')}</button>`
          : nothing}
      </section>
    `;
  }
}
