import type { TFunction } from 'i18next';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CrisisResources, DangerNotices } from '../../server/contract/index.js';
import type { CareClient } from '../core/api-client.js';
import { renderCrisisLines } from '../core/crisis-lines.js';
import { failureOf, failureText } from '../core/failure.js';
import { addEnglish } from '../core/i18n.js';
import { LazyModule } from '../core/lazy-module.js';
import type * as DialogModule from './danger-flag-dialog.js';
import crisis from '../../locales/en/crisis.json';
import dangerFlag from '../../locales/en/dangerFlag.json';
import { ROOM_FAILURES } from './failure-text.js';

addEnglish({ dangerFlag, crisis });

type DialogCode = typeof DialogModule;

/** Who the person is worried about: a post's author, or someone in the live room by the name they appear under. */
export type FlagTarget = { kind: 'post'; postId: string; label: string } | { kind: 'participant'; label: string; id?: string | undefined };

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
  /** The dialog's code (danger-flag-dialog.ts), fetched when a flag is first opened or the live room lists its people. */
  private readonly dialog: LazyModule<DialogCode>;
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
    readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment },
    readonly options: DangerFlagOptions,
  ) {
    this.dialog = new LazyModule(() => import('./danger-flag-dialog.js'), host);
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
      // The crisis lines first: the private notice never shows without them.
      if (notices.mine && !this.resources) {
        this.resources = await this.options.api().crisis.resources.query({ locale: this.options.locale() });
      }
      if (this.groupId !== groupId) return;
      this.notices = notices;
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
    try {
      await this.dialog.get();
      if (!this.host.isConnected) return;
    } catch (error) {
      this.options.announce(this.options.t()('dangerFlag.failed', { message: failureText(failureOf(error), this.options.t(), ROOM_FAILURES) }));
      return;
    }
    this.target = target;
    this.note = '';
    this.result = null;
    this.returnFocus = from;
    this.host.requestUpdate();
    await (this.host as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    if (!this.host.isConnected) return;
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

  /** Starts fetching the dialog's code (the host's willUpdate, when the live room will list its people). */
  prefetchDialog(): void {
    this.dialog.prefetch();
  }

  /** Inside the live room: flag someone who is in it (once the dialog's code is here: see prefetchDialog). */
  renderParticipants() {
    return this.dialog.value?.renderParticipants(this) ?? nothing;
  }

  /** The confirmation dialog, and the result of the last flag (a polite status). */
  renderDialog(groupId: string) {
    return this.dialog.value?.renderDialog(this, groupId) ?? nothing;
  }
}
