import type { TFunction } from 'i18next';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CrisisResources, DangerNotices } from '../../server/contract/index.js';
import { DANGER_NOTE_MAX } from '../../server/contract/danger-flags.js';
import type { CareClient } from '../core/api-client.js';
import { renderCrisisLines } from '../core/crisis-lines.js';
import { codeOf, failureOf, failureText } from '../core/failure.js';
import { addEnglish } from '../core/i18n.js';
import crisis from '../../locales/en/crisis.json';
import dangerFlag from '../../locales/en/dangerFlag.json';
import { ROOM_FAILURES } from './failure-text.js';

addEnglish({ dangerFlag, crisis });

/** Who the person is worried about: a post's author, or someone in the live room by the name they appear under. */
export type FlagTarget = { kind: 'post'; postId: string; label: string } | { kind: 'participant'; label: string; id?: string | undefined };

/** Id of the button `<care-support-room>` adds to Jitsi's toolbar (configOverwrite.customToolbarButtons); a click opens crisis help. */
export const CRISIS_TOOLBAR_BUTTON = 'care-crisis-help';

/** A small life-ring icon for Jitsi's toolbar (a data URL: nothing is fetched). */
const CRISIS_ICON =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="white" stroke-width="2"><circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="4"/><path d="M5.6 5.6l3.6 3.6M14.8 14.8l3.6 3.6M18.4 5.6l-3.6 3.6M9.2 14.8l-3.6 3.6"/></svg>');

/**
 * What Jitsi's IFrame API offers for crisis help inside the video: no way to forward key presses
 * (an iframe keeps its keys), but a custom toolbar button whose clicks arrive as `toolbarButtonClicked`.
 */
export function crisisToolbarConfig(toolbarButtons: unknown, label: string): Record<string, unknown> {
  const buttons = Array.isArray(toolbarButtons) ? (toolbarButtons as string[]) : [];
  return {
    customToolbarButtons: [{ id: CRISIS_TOOLBAR_BUTTON, icon: CRISIS_ICON, text: label }],
    toolbarButtons: [...buttons, CRISIS_TOOLBAR_BUTTON],
  };
}

export interface DangerFlagOptions {
  api(): CareClient;
  t(): TFunction;
  locale(): string;
  announce(message: string): void;
  /** Seconds between checks for new notices while the person moderates the group (0: never). */
  pollSeconds(): number;
  /** Whether the person moderates the group (then others' flags reach them as notices). */
  moderates(): boolean;
}

/**
 * "May be in danger" in the support room: the flag dialog (a post's author from the board, or a
 * participant of the live room), the flagged person's private notice with their region's crisis
 * resources, and the moderators' notices (aliases only). Calls `groups.flagDanger`,
 * `groups.dangerNotices`, `groups.dismissDangerNotice` and `crisis.resources`.
 */
export class DangerFlagController implements ReactiveController {
  /** People in the live room other than the person (from Jitsi's participantJoined/Left). */
  participants = new Map<string, string>();
  target: FlagTarget | null = null;
  note = '';
  sending = false;
  result: { ok: boolean; message: string } | null = null;
  notices: DangerNotices | null = null;
  resources: CrisisResources | null = null;
  private groupId: string | null = null;
  private returnFocus: HTMLElement | null = null;
  /** Moderators' notices already on screen (their ids), so only new ones are announced. */
  private shownModeration = new Set<string>();
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly onJoined = (event: Event) => {
    const { id, displayName } = (event as CustomEvent<{ id?: string; displayName?: string }>).detail ?? {};
    if (id) this.participants.set(id, displayName ?? '');
    this.host.requestUpdate();
  };
  private readonly onLeft = (event: Event) => {
    const { id } = (event as CustomEvent<{ id?: string }>).detail ?? {};
    if (id) this.participants.delete(id);
    this.host.requestUpdate();
  };

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment },
    private readonly options: DangerFlagOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('care-participant-joined', this.onJoined);
    this.host.addEventListener('care-participant-left', this.onLeft);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('care-participant-joined', this.onJoined);
    this.host.removeEventListener('care-participant-left', this.onLeft);
    this.stopPolling();
  }

  private stopPolling(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  /**
   * A moderator's notices stay current while the page is open: a flag raised in the room or on the
   * board reaches them within `pollSeconds` (checked only while the page is visible), and each new
   * one is announced in the room's live region.
   */
  private schedulePoll(groupId: string): void {
    this.stopPolling();
    const seconds = this.options.pollSeconds();
    if (seconds <= 0 || !this.host.isConnected) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      if (this.groupId !== groupId) return;
      if (document.visibilityState === 'hidden') return this.schedulePoll(groupId);
      void this.load(groupId, true);
    }, seconds * 1000);
  }

  /** The room left: nobody is in it any more. */
  clearParticipants(): void {
    this.participants.clear();
    this.host.requestUpdate();
  }

  /** Loads the person's notices for the group (once per group, or again with `force`). */
  async load(groupId: string, force = false): Promise<void> {
    if (this.groupId === groupId && !force) return;
    if (this.groupId !== groupId) this.shownModeration.clear();
    const first = this.groupId !== groupId || this.notices === null;
    this.groupId = groupId;
    try {
      const notices = await this.options.api().groups.dangerNotices.query({ groupId });
      if (this.groupId !== groupId) return;
      this.notices = notices;
      if (notices.mine && !this.resources) {
        this.resources = await this.options.api().crisis.resources.query({ locale: this.options.locale() });
      }
      const fresh = notices.moderation.filter((n) => !this.shownModeration.has(n.id));
      for (const n of notices.moderation) this.shownModeration.add(n.id);
      if (!first && fresh.length > 0) {
        const t = this.options.t();
        this.options.announce(fresh.map((n) => t('dangerFlag.moderatorItem', { name: n.label, via: t(`dangerFlag.via.${n.via}`) })).join(' '));
      }
      if (this.options.moderates()) this.schedulePoll(groupId);
    } catch {
      // The notices are an extra: the room works without them (a later load tries again).
      if (this.groupId === groupId && !force) this.groupId = null;
      else if (this.groupId === groupId && this.options.moderates()) this.schedulePoll(groupId);
    }
    this.host.requestUpdate();
  }

  /** Opens the confirmation dialog for `target`; focus returns to `from` when it closes. */
  async open(target: FlagTarget, from: HTMLElement | null): Promise<void> {
    this.target = target;
    this.note = '';
    this.result = null;
    this.returnFocus = from;
    this.host.requestUpdate();
    await (this.host as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const dialog = this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.danger-flag');
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLElement>('#danger-note')?.focus();
  }

  close(): void {
    const dialog = this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.danger-flag');
    if (dialog?.open) dialog.close();
    this.target = null;
    this.host.requestUpdate();
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back?.isConnected) back.focus();
  }

  private async send(event: SubmitEvent, groupId: string): Promise<void> {
    event.preventDefault();
    const target = this.target;
    if (!target || this.sending) return;
    const t = this.options.t();
    this.sending = true;
    this.host.requestUpdate();
    const note = this.note.trim();
    try {
      // Jitsi's participant ids are its own, not ours: a participant is named by the alias they appear under.
      const input = target.kind === 'post' ? { groupId, postId: target.postId } : { groupId, participantAlias: target.label };
      const done = await this.options.api().groups.flagDanger.mutate({ ...input, ...(note ? { note } : {}) });
      this.result = { ok: true, message: t('dangerFlag.sent', { name: done.label }) };
      this.options.announce(this.result.message);
      this.sending = false;
      this.close();
      void this.load(groupId, true);
    } catch (error) {
      const failure = failureOf(error);
      const message = codeOf(error) === 'TOO_MANY_REQUESTS' ? t('dangerFlag.tooMany') : t('dangerFlag.failed', { message: failureText(failure, t, ROOM_FAILURES) });
      this.result = { ok: false, message };
      this.options.announce(message);
      this.sending = false;
      this.host.requestUpdate();
    }
  }

  private async dismiss(groupId: string): Promise<void> {
    try {
      await this.options.api().groups.dismissDangerNotice.mutate({ groupId });
      if (this.notices) this.notices = { ...this.notices, mine: null };
      this.options.announce(this.options.t()('dangerFlag.dismissed'));
    } catch (error) {
      this.options.announce(this.options.t()('dangerFlag.failed', { message: failureText(failureOf(error), this.options.t(), ROOM_FAILURES) }));
    }
    this.host.requestUpdate();
  }

  /** The flagged person's private notice and, for moderators, the group's recent flags (aliases only). */
  renderNotices(groupId: string) {
    const t = this.options.t();
    const notices = this.notices;
    if (!notices) return nothing;
    const mine = notices.mine;
    const resources = this.resources;
    return html`
      ${mine
        ? html`<section class="notice danger-private" part="danger-notice" aria-labelledby="danger-private-title">
            <h3 part="heading" id="danger-private-title">${t('dangerFlag.mineTitle')}</h3>
            <p>${t('dangerFlag.mineText')}</p>
            ${resources ? renderCrisisLines(resources, t, this.options.locale()) : nothing}
            <p class="muted">${t('dangerFlag.minePrivate')}</p>
            <button part="button" type="button" @click=${() => void this.dismiss(groupId)}>${t('dangerFlag.dismiss')}</button>
          </section>`
        : nothing}
      ${notices.moderation.length > 0
        ? html`<section class="notice warning danger-moderation" part="danger-moderation" aria-labelledby="danger-moderation-title">
            <h3 part="heading" id="danger-moderation-title">${t('dangerFlag.moderatorTitle')}</h3>
            <ul>
              ${notices.moderation.map(
                (n) => html`<li>
                  ${t('dangerFlag.moderatorItem', { name: n.label, via: t(`dangerFlag.via.${n.via}`) })}
                  <time datetime=${n.createdAt}>${new Date(n.createdAt).toLocaleString(this.options.locale())}</time>
                </li>`,
              )}
            </ul>
          </section>`
        : nothing}
    `;
  }

  /** Inside the live room: flag someone who is in it. */
  renderParticipants() {
    const t = this.options.t();
    const people = [...this.participants.entries()].filter(([, name]) => name);
    return html`<details class="danger-participants" part="danger-participants">
      <summary>${t('dangerFlag.participantsTitle')}</summary>
      <p class="muted">${t('dangerFlag.participantsIntro')}</p>
      ${people.length === 0
        ? html`<p class="muted">${t('dangerFlag.noParticipants')}</p>`
        : html`<ul class="participants">
            ${people.map(
              ([id, name]) => html`<li>
                <bdi>${name}</bdi>
                <button
                  part="button"
                  type="button"
                  class="small"
                  data-participant=${id}
                  aria-label=${t('dangerFlag.flagPerson', { name })}
                  @click=${(e: Event) => void this.open({ kind: 'participant', label: name, id }, e.currentTarget as HTMLElement)}
                >
                  ${t('dangerFlag.flag')}
                </button>
              </li>`,
            )}
          </ul>`}
    </details>`;
  }

  /** The confirmation dialog, and the result of the last flag (a polite status). */
  renderDialog(groupId: string) {
    const t = this.options.t();
    const target = this.target;
    const name = target?.label ?? '';
    return html`
      <dialog class="danger-flag" part="danger-dialog" aria-labelledby="danger-title" aria-describedby="danger-text" @close=${() => this.target && this.close()}>
        ${target
          ? html`<form part="form" method="dialog" novalidate @submit=${(e: SubmitEvent) => void this.send(e, groupId)}>
              <h3 part="heading" id="danger-title">${t('dangerFlag.dialogTitle', { name })}</h3>
              <p id="danger-text">${t('dangerFlag.dialogText', { name })}</p>
              <p>${t('dangerFlag.emergencyNow')}</p>
              <label part="label" for="danger-note">${t('dangerFlag.noteLabel')}</label>
              <textarea
                part="input"
                id="danger-note"
                rows="2"
                maxlength=${DANGER_NOTE_MAX}
                .value=${this.note}
                @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}
              ></textarea>
              ${this.result && !this.result.ok ? html`<p class="error" role="alert">${this.result.message}</p>` : nothing}
              <div class="actions">
                <button part="button" class="primary" type="submit" ?disabled=${this.sending}>${this.sending ? t('dangerFlag.sending') : t('dangerFlag.confirm')}</button>
                <button part="button" type="button" @click=${() => this.close()}>${t('dangerFlag.cancel')}</button>
              </div>
            </form>`
          : nothing}
      </dialog>
      ${this.result?.ok ? html`<p class="notice ok danger-result" part="notice" role="status">${this.result.message}</p>` : nothing}
    `;
  }
}
