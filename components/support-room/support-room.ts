import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  ALIAS_MAX,
  ALIAS_PATTERN,
  type GroupSummary,
} from '../../server/contract/groups.js';
import { codeOf, failureOf, failureText, type Failure } from '../core/failure.js';
import { CareElement } from '../core/care-element.js';
import { LazyModule } from '../core/lazy-module.js';
import { focusAndReveal } from '../core/reveal.js';
import { tokens } from '../core/theme.js';
import { roleOf } from '../core/token.js';
import { ClockController, formatCountdown } from './countdown.js';
import { DeviceCheckController } from './device-check.js';
import type * as liveRoomCode from './live-room-code.js';
import type { RoomController, RoomPhase } from './room-controller.js';
import type { RoomModerationController } from './room-lobby.js';
import type { SessionFeedbackController } from './session-feedback.js';
import { roomLobbyStyles } from './room-lobby.styles.js';
import { DangerFlagController } from './danger-flag.js';
import { ROOM_FAILURES } from './failure-text.js';
import type { CareGroupBoard } from './group-board.js';
import { pollSeconds } from './poll-interval.js';
import { supportRoomStyles } from './support-room.styles.js';
import room from '../../locales/en/room.json';
import { addEnglish, directionOf } from '../core/i18n.js';
import { dateTimeFormat, listFormat } from '../core/intl.js';

addEnglish({ room });


/** The live room's controllers: a chunk of its own (liveRoom). */
interface LiveRoom {
  room: RoomController;
  moderation: RoomModerationController;
  feedback: SessionFeedbackController;
}

/**
 * A support group's room: group details, the next session in the person's own time zone with a
 * countdown, the group guidelines to accept, how they appear (name or alias), a camera and
 * microphone check, a low-bandwidth way in, the live Jitsi video room, the group board for people
 * who cannot attend live, and a one-question feedback prompt after each session.
 *
 * The Jitsi IFrame API (`external_api.js`) is loaded from the group's video domain only when the
 * person joins, and the video is placed inside this element's shadow root.
 *
 * @summary Support-group room with live video (Jitsi), guidelines, alias and a group board.
 * @tag care-support-room
 *
 * @event care-guidelines-accepted - The person accepted the guidelines. `detail: { groupId, version, displayName }`.
 * @event care-room-joined - Mirrors Jitsi `videoConferenceJoined`. `detail: { groupId, roomName, displayName }`.
 * @event care-room-left - Mirrors Jitsi `videoConferenceLeft`. `detail: { groupId, roomName }`.
 * @event care-participant-joined - Mirrors Jitsi `participantJoined`. `detail: { id, displayName }`.
 * @event care-participant-left - Mirrors Jitsi `participantLeft`. `detail: { id }`.
 * @event care-room-ready-to-close - Mirrors Jitsi `readyToClose`; the room is closed after it. `detail: { groupId }`.
 * @event care-posted - A message was posted to the group board. `detail: { post }`.
 * @event care-feedback - Session feedback was sent. `detail: { groupId, rating }`.
 * @event care-error - Something failed that the person may need help with. `detail: { kind, message }`; `kind` is a failure kind, or `video-unavailable` with the loader's `reason` (`timeout`, `failed`, `missing-api`, `bad-domain`).
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The group name.
 * @csspart session - Next session, countdown and join controls.
 * @csspart countdown - The countdown to the next session.
 * @csspart guidelines - The group guidelines and the accept form.
 * @csspart device-check - The camera and microphone check.
 * @csspart join-button - The button that joins the live room.
 * @csspart video - The box holding the Jitsi video.
 * @csspart controls - Leave, mute everyone and end session buttons.
 * @csspart board - The group board.
 * @csspart post - One message on the board.
 * @csspart feedback - The after-session feedback prompt.
 * @csspart notice - Messages: errors, closed room, staff notices.
 * @csspart status - The live region that announces results.
 * @csspart button - Buttons without a more specific part (retry, cancel, secondary actions).
 * @csspart choice - A radio button or checkbox.
 * @csspart form - A form inside the widget.
 * @csspart heading - Section headings inside the widget.
 * @csspart input - Text boxes, selects and text areas without a more specific part.
 * @csspart label - Labels of text boxes, selects and text areas.
 * @csspart link - Links without a more specific part.
 * @csspart option - The box around one choice: a radio button or checkbox with its text.
 *
 * @cssproperty --care-color-primary - Buttons, links and focus ring.
 * @cssproperty --care-color-on-primary - Text on the primary colour.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Background of posts and notices.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Secondary text.
 * @cssproperty --care-color-border - Borders.
 * @cssproperty --care-color-danger - Errors.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-font-family - Font.
 * @cssproperty --care-space - Base spacing.
 * @cssproperty --care-focus-ring - Focus outline.
 * @cssproperty --care-support-room-max-width - Widest the widget grows.
 * @cssproperty --care-support-room-video-height - Height of the video room (default 32rem).
 */
export class CareSupportRoom extends CareElement {
  static override styles = [tokens, supportRoomStyles, roomLobbyStyles];

  /** Id of the support group, as the clinic's portal knows it. */
  @property() group = '';
  /**
   * Scheme used to load `external_api.js`. `http` is honoured only for loopback hosts (tests and
   * local development); real video domains always load over https.
   */
  @property({ attribute: 'jitsi-scheme' }) jitsiScheme: 'https' | 'http' = 'https';
  /** How long to wait for the video service's script, in milliseconds. */
  @property({ attribute: 'script-timeout', type: Number }) scriptTimeout = 15_000;
  /**
   * How often the group board checks for new messages, in seconds (0 turns polling off), as on
   * `<care-alerts>`. Polling runs only while live updates (`groups.onPost`) are unavailable.
   * Until the next release a value of 1000 or more is read as milliseconds (the old unit), with a warning.
   */
  @property({ attribute: 'poll-interval', type: Number }) pollInterval = 15;

  @state() private lowBandwidth = false;
  @state() private displayMode: 'name' | 'alias' = 'alias';
  @state() private aliasDraft = '';
  @state() private guidelinesChecked = false;
  @state() private acceptErrors: { alias?: string; accept?: string } = {};
  @state() private accepting = false;
  @state() private editingAlias = false;
  @state() private confirmEnd = false;

  private readonly clock = new ClockController(this);
  /** The camera and microphone check. */
  private readonly devices = new DeviceCheckController(this);
  /**
   * The live video room (joining, Jitsi's events, attendance, leaving) and its lobby and removals:
   * their code is a chunk of its own, fetched once the group's room is open (or Join is pressed),
   * so a page that shows a group before or between sessions does not download it.
   */
  private readonly liveRoom = new LazyModule(() => import('./live-room-code.js'), this, (code) => this.makeLiveRoom(code));
  /** The live room's code could not be fetched when Join was pressed (offline). */
  @state() private liveUnavailable = false;

  private get live(): LiveRoom | null {
    return this.liveRoom.value ?? null;
  }

  /** Makes the live room's controllers from its code (once per element: see liveRoom). */
  private makeLiveRoom({ RoomController, RoomModerationController, CRISIS_TOOLBAR_BUTTON, crisisToolbarConfig, SessionFeedbackController }: typeof liveRoomCode): LiveRoom {
    const room = new RoomController(this, {
      api: () => this.api,
      endpoint: () => this.config.endpoint,
      token: () => this.config.token,
      language: () => this.localize.language,
      t: () => this.t,
      scheme: () => this.jitsiScheme,
      scriptTimeout: () => this.scriptTimeout,
      videoBox: () => this.renderRoot.querySelector<HTMLElement>('.video'),
      emit: (name, detail) => this.emit(name, detail),
      announce: (message) => this.announce(message),
      fail: (failure, message) => this.fail(failure, message),
      refreshGroup: () => void this.info.run(),
      joinFailed: () => void this.revealJoinProblem(),
      closed: () => {
        this.safety.clearParticipants();
        // Removed from the session: the room closed because of it; say that again, not "you left".
        if (moderation.removed) this.announce(this.t('room.removed.announce'));
        else this.showFeedback();
      },
      videoReady: (video, joined, groupId) => moderation.attach(video, joined, groupId),
      joinCancelled: () => {
        this.safety.clearParticipants();
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part="join-button"]')?.focus());
      },
      videoGone: () => moderation.detach(),
      // Crisis help inside the video: Jitsi's toolbar gets a button whose clicks come back here.
      extraConfig: (config) => crisisToolbarConfig(config.toolbarButtons, this.t('dangerFlag.toolbarButton')),
      toolbarButton: (key) => {
        if (key === CRISIS_TOOLBAR_BUTTON) this.openCrisisHelp();
      },
    });
    const moderation = new RoomModerationController(this, {
      api: () => this.api,
      t: () => this.t,
      announce: (message) => this.announce(message),
      fail: (failure, message) => this.fail(failure, message),
      leave: () => room.leave(),
      root: () => this.renderRoot,
      flag: (person, from) => void this.safety.open({ kind: 'participant', label: person.name, id: person.id }, from),
    });
    const feedback = new SessionFeedbackController(this, {
      api: () => this.api,
      t: () => this.t,
      announce: (message) => this.announce(message),
      fail: (failure, message) => this.fail(failure, message),
      failureText: (failure) => this.failureText(failure),
      sent: (detail) => this.emit('care-feedback', detail),
      back: () => this.backToGroup(),
      root: () => this.renderRoot,
    });
    return { room, moderation, feedback };
  }

  private get phase(): RoomPhase {
    return this.live?.room.phase ?? 'before';
  }

  /** "May be in danger" flags, the flagged person's private notice, moderators' notices (danger-flag.ts). */
  private readonly safety = new DangerFlagController(this, {
    api: () => this.api,
    t: () => this.t,
    locale: () => this.config.locale,
    announce: (message) => this.announce(message),
    pollSeconds: () => pollSeconds(this.pollInterval).seconds,
    moderates: () => this.isModerator,
  });
  /** `<care-crisis-button>` is loaded with the live room (a lazy chunk), so crisis help sits outside the video. */
  private readonly crisisButton = new LazyModule(() => import('../crisis/care-crisis-button.js'), this);
  /** "Add to your calendar": the .ics download and the subscription link (a chunk fetched when a group with a next session is shown). */
  private readonly calendar = new LazyModule(
    () => import('./group-calendar.js'),
    this,
    ({ GroupCalendarController }) =>
      new GroupCalendarController(this, {
        api: () => this.api,
        endpoint: () => this.config.endpoint,
        language: () => this.localize.language,
        t: () => this.t,
        announce: (message) => this.announce(message),
      }),
  );
  /** The group board's code (it defines `<care-group-board>`) loads when the person may first see it. */
  private readonly boardCode = new LazyModule(() => import('./group-board.js'), this);
  private readonly boardApi = () => this.api;
  /** The legacy millisecond `poll-interval` was reported (once per element). */
  private warnedPollUnit = false;

  private readonly info = new Task(this, {
    // A newer run (another group, endpoint or token) aborts the request of the one before.
    task: async ([endpoint, token, group], { signal }): Promise<GroupSummary | 'missing' | null> => {
      void endpoint;
      if (!token || !group) return null;
      const { groups } = await this.api.groups.list.query({ groupId: group }, { signal });
      return groups.find((g) => g.id === group) ?? 'missing';
    },
    args: () => [this.config.endpoint, this.config.token, this.group] as const,
  });

  /** Leaves the live room, as the leave button does. */
  leave(): void {
    this.live?.room.leave();
  }

  private get groupInfo(): GroupSummary | null {
    const value = this.info.value;
    return value && value !== 'missing' ? value : null;
  }

  private get isModerator(): boolean {
    return this.groupInfo?.membership?.role === 'moderator' || roleOf(this.config.token) === 'admin';
  }

  private needsGuidelines(group: GroupSummary): boolean {
    const m = group.membership;
    return !!m && m.role === 'member' && m.guidelinesAcceptedVersion !== group.guidelinesVersion;
  }

  private canParticipate(group: GroupSummary): boolean {
    return this.isModerator || (!!group.membership && !this.needsGuidelines(group));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('pollInterval') && pollSeconds(this.pollInterval).legacy && !this.warnedPollUnit) {
      this.warnedPollUnit = true;
      console.warn(
        `[care-widgets] <care-support-room poll-interval="${this.pollInterval}">: poll-interval is now in seconds, as on <care-alerts>. ` +
          `${this.pollInterval} is read as milliseconds (${this.pollInterval / 1000} seconds) for this release only; write poll-interval="${this.pollInterval / 1000}".`,
      );
    }
    const group = this.groupInfo;
    if (group && this.config.token) void this.safety.load(group.id);
    if (group?.nextSession) this.calendar.prefetch();
    // Fetched while the person reads the group page, so Join does not wait for it.
    if (group?.roomOpen && this.canParticipate(group)) this.liveRoom.prefetch();
    if (this.live?.room.active) {
      this.crisisButton.prefetch();
      // The live room lists who is in it, to flag someone: the flag dialog's code comes with that list.
      this.safety.prefetchDialog();
    }
    if (group && this.canParticipate(group)) this.boardCode.prefetch();
  }

  /** The board element, once it is on screen (tests read its live-update state through it). */
  private get board(): CareGroupBoard | null {
    return this.renderRoot?.querySelector('care-group-board') ?? null;
  }

  /** Opens the room's crisis help dialog (Jitsi's toolbar button, or the page calling it). */
  openCrisisHelp(): void {
    this.renderRoot.querySelector<HTMLElement & { show(reason: string): void }>('care-crisis-button')?.show('api');
  }

  private fail(failure: Failure, message: string): void {
    this.announce(message);
    this.emit('care-error', { kind: failure.kind, message: failure.message });
  }

  // ---- Before the session -------------------------------------------------------------------

  /** The guidelines shown to this person and the language the clinic wrote them in. */
  private guidelinesFor(group: GroupSummary): { text: string; lang: string } {
    const wanted = this.localize.language;
    const lang = [wanted, group.language].find((l) => group.guidelines[l] !== undefined) ?? Object.keys(group.guidelines)[0] ?? group.language;
    return { text: group.guidelines[lang] ?? '', lang };
  }

  private async acceptGuidelines(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const group = this.groupInfo;
    if (!group || this.accepting) return;
    const needsAcceptance = this.needsGuidelines(group);
    const alias = this.aliasDraft.trim().replace(/\s+/g, ' ');
    const errors: typeof this.acceptErrors = {};
    if (this.displayMode === 'alias' && (alias.length < 2 || alias.length > ALIAS_MAX || !ALIAS_PATTERN.test(alias))) {
      errors.alias = this.t('room.alias.invalid', { max: ALIAS_MAX });
    }
    if (needsAcceptance && !this.guidelinesChecked) errors.accept = this.t('room.guidelines.required');
    this.acceptErrors = errors;
    if (Object.keys(errors).length > 0) {
      this.announce(Object.values(errors).join(' '));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(errors.alias ? '#alias' : '#accept')?.focus();
      return;
    }
    this.accepting = true;
    try {
      const membership = await this.api.groups.setAlias.mutate({
        groupId: group.id,
        mode: this.displayMode,
        ...(this.displayMode === 'alias' ? { alias } : {}),
      });
      if (needsAcceptance) {
        await this.api.groups.acceptGuidelines.mutate({ groupId: group.id, version: group.guidelinesVersion });
        this.emit('care-guidelines-accepted', { groupId: group.id, version: group.guidelinesVersion, displayName: membership.displayName });
      }
      this.editingAlias = false;
      this.announce(this.t('room.alias.saved', { name: membership.displayName }));
      await this.info.run();
    } catch (error) {
      const failure = failureOf(error);
      if (codeOf(error) === 'CONFLICT') {
        this.acceptErrors = { alias: this.t('room.alias.taken') };
        this.announce(this.t('room.alias.taken'));
      } else {
        this.fail(failure, this.failureText(failure));
      }
    } finally {
      this.accepting = false;
    }
  }

  private async checkDevices(): Promise<void> {
    const outcome = await this.devices.check({ audioOnly: this.lowBandwidth });
    this.announce(this.t(`room.device.${outcome}`));
  }

  // ---- Joining and the live room ------------------------------------------------------------

  private join(): void {
    const group = this.groupInfo;
    if (!group) return;
    this.confirmEnd = false;
    this.liveUnavailable = false;
    this.liveRoom.get().then(
      ({ room, moderation }) => {
        moderation.reset();
        return room.join(group, { needsGuidelines: this.needsGuidelines(group), lowBandwidth: this.lowBandwidth });
      },
      (error: unknown) => {
        this.liveUnavailable = true;
        this.fail(failureOf(error), this.t('room.problem.offline'));
        void this.revealJoinProblem();
      },
    );
  }

  /** The join button the person pressed goes busy and the message appears above it: take focus there. */
  private async revealJoinProblem(): Promise<void> {
    await this.updateComplete;
    focusAndReveal(this.renderRoot.querySelector<HTMLElement>('.join-problem'));
  }

  /** The live room closed: ask the one feedback question, with focus on it. */
  private showFeedback(): void {
    this.confirmEnd = false;
    this.live?.feedback.ask();
  }

  private muteEveryone(): void {
    this.live?.room.muteEveryone();
    this.announce(this.t('room.moderator.muted'));
  }

  private endSession(): void {
    this.live?.room.endForEveryone();
  }

  // ---- After the session --------------------------------------------------------------------

  private backToGroup(): void {
    this.live?.room.reset();
  }

  private failureText(failure: Failure): string {
    return failureText(failure, this.t, ROOM_FAILURES);
  }

  // ---- Rendering ----------------------------------------------------------------------------

  private formatSessionTime(iso: string): string {
    return dateTimeFormat(this.config.locale, {
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(iso));
  }

  private renderHeader(group: GroupSummary) {
    return html`
      <header class="group-header">
        <h2 id="title" part="title"><bdi>${group.name}</bdi></h2>
        <p class="topic">${this.t(`room.topics.${group.topic}`)}</p>
        ${group.description ? html`<p class="description" lang=${group.language} dir=${directionOf(group.language)}>${group.description}</p>` : nothing}
        ${group.moderators.length > 0
          ? html`<p class="muted">${this.t('room.moderatedBy', { names: listFormat(this.localize.language).format(group.moderators.map((m) => m.name)) })}</p>`
          : nothing}
      </header>
      ${group.notices.map(
        (notice) => html`<p class="notice warning" part="notice">${this.t(`room.notices.${notice}`, { domain: group.video.domain ?? '' })}</p>`,
      )}
      ${group.video.publicTestRoom ? html`<p class="notice warning public-test-room" part="notice">${this.t('room.video.publicTestRoom')}</p>` : nothing}
    `;
  }

  private renderSchedule(group: GroupSummary) {
    const next = group.nextSession;
    if (!next) return html`<p>${this.t('room.noSessions')}</p>`;
    const now = this.clock.now;
    const start = Date.parse(next.start);
    const end = Date.parse(next.end);
    const live = now >= start && now < end;
    const withSeconds = !this.clock.reducedMotion;
    return html`
      <p class="when">
        ${live ? this.t('room.session.now') : this.t('room.session.next')}
        <strong><time datetime=${next.start}>${this.formatSessionTime(next.start)}</time></strong>
        <span class="muted">${this.t('room.session.yourTime')}</span>
      </p>
      <p class="countdown" part="countdown" role="timer" aria-live="off">
        ${live
          ? this.t('room.session.endsIn', { time: formatCountdown(end - now, this.t, withSeconds, this.config.locale) })
          : this.t('room.session.startsIn', { time: formatCountdown(start - now, this.t, withSeconds, this.config.locale) })}
      </p>
      ${group.roomOpen && !live ? html`<p class="muted">${this.t('room.session.openEarly')}</p>` : nothing}
    `;
  }

  private renderGuidelinesText(group: GroupSummary) {
    // The clinic's own words keep their language and direction inside a page in another language.
    const { text, lang } = this.guidelinesFor(group);
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    return html`<ul class="guidelines-text" lang=${lang} dir=${directionOf(lang)}>${lines.map((line) => html`<li>${line}</li>`)}</ul>`;
  }

  private renderAliasChoice(group: GroupSummary) {
    const name = group.membership?.displayMode === 'name' ? group.membership.displayName : null;
    const aliasError = this.acceptErrors.alias;
    return html`
      <fieldset class="appear">
        <legend>${this.t('room.alias.legend')}</legend>
        <p class="muted" id="alias-help">${this.t('room.alias.help')}</p>
        <label part="option" class="option">
          <input part="choice" type="radio" name="display" value="alias" .checked=${this.displayMode === 'alias'} @change=${() => (this.displayMode = 'alias')} />
          ${this.t('room.alias.useAlias')}
        </label>
        ${this.displayMode === 'alias'
          ? html`<div class="alias-field">
              <label part="label" for="alias">${this.t('room.alias.label')}</label>
              <input
                part="input"
                id="alias"
                name="alias"
                autocomplete="off"
                maxlength=${ALIAS_MAX}
                .value=${this.aliasDraft}
                aria-invalid=${aliasError ? 'true' : 'false'}
                aria-describedby=${aliasError ? 'alias-help alias-error' : 'alias-help'}
                @input=${(e: Event) => (this.aliasDraft = (e.target as HTMLInputElement).value)}
              />
              ${aliasError ? html`<p class="error" id="alias-error">${aliasError}</p>` : nothing}
            </div>`
          : nothing}
        <label part="option" class="option">
          <input part="choice" type="radio" name="display" value="name" .checked=${this.displayMode === 'name'} @change=${() => (this.displayMode = 'name')} />
          ${name ? this.t('room.alias.useNameKnown', { name }) : this.t('room.alias.useName')}
        </label>
      </fieldset>
    `;
  }

  private renderAcceptForm(group: GroupSummary) {
    const needsAcceptance = this.needsGuidelines(group);
    const acceptError = this.acceptErrors.accept;
    return html`
      <section class="guidelines" part="guidelines" aria-labelledby="guidelines-title">
        <h3 part="heading" id="guidelines-title">${needsAcceptance ? this.t('room.guidelines.title') : this.t('room.alias.change')}</h3>
        ${needsAcceptance
          ? html`<p>${group.membership?.guidelinesAcceptedVersion ? this.t('room.guidelines.changed') : this.t('room.guidelines.intro')}</p>
              ${this.renderGuidelinesText(group)}`
          : nothing}
        <form part="form" novalidate @submit=${this.acceptGuidelines}>
          ${this.renderAliasChoice(group)}
          ${needsAcceptance
            ? html`<label part="option" class="option accept">
                  <input
                    part="choice"
                    id="accept"
                    type="checkbox"
                    .checked=${this.guidelinesChecked}
                    aria-invalid=${acceptError ? 'true' : 'false'}
                    aria-describedby=${acceptError ? 'accept-error' : nothing}
                    @change=${(e: Event) => (this.guidelinesChecked = (e.target as HTMLInputElement).checked)}
                  />
                  ${this.t('room.guidelines.accept')}
                </label>
                ${acceptError ? html`<p class="error" id="accept-error">${acceptError}</p>` : nothing}`
            : nothing}
          <div class="actions">
            <button part="button" class="primary" type="submit" ?disabled=${this.accepting}>
              ${this.accepting ? this.t('room.saving') : needsAcceptance ? this.t('room.guidelines.submit') : this.t('room.alias.save')}
            </button>
            ${!needsAcceptance ? html`<button part="button" type="button" @click=${() => (this.editingAlias = false)}>${this.t('room.cancel')}</button>` : nothing}
          </div>
        </form>
      </section>
    `;
  }

  private renderDeviceCheck() {
    const state = this.devices.state;
    return html`
      <section class="device-check" part="device-check" aria-labelledby="device-title">
        <h3 part="heading" id="device-title">${this.t('room.device.title')}</h3>
        <p class="muted">${this.t('room.device.intro')}</p>
        <button part="button" type="button" @click=${this.checkDevices} ?disabled=${state === 'checking'}>
          ${state === 'checking' ? this.t('room.device.checkingButton') : this.t('room.device.check')}
        </button>
        ${state !== 'unknown' && state !== 'checking'
          ? html`<p class="notice ${state === 'ready' ? 'ok' : 'warning'}">${this.t(`room.device.${state}`)}</p>
              ${state === 'denied' ? html`<ol class="help">${(this.t('room.device.deniedSteps', { returnObjects: true }) as string[]).map((s) => html`<li>${s}</li>`)}</ol>` : nothing}`
          : nothing}
      </section>
    `;
  }

  private renderLowBandwidth(group: GroupSummary) {
    return html`
      <section class="low-bandwidth" aria-labelledby="low-title">
        <h3 part="heading" id="low-title">${this.t('room.low.title')}</h3>
        <label part="option" class="option">
          <input part="choice" type="checkbox" .checked=${this.lowBandwidth} @change=${(e: Event) => (this.lowBandwidth = (e.target as HTMLInputElement).checked)} />
          ${this.t('room.low.audioOnly')}
        </label>
        ${this.renderDialIn(group)}
        <p>${this.t('room.low.text')}</p>
      </section>
    `;
  }

  private renderDialIn(group: GroupSummary) {
    if (!group.dialIn) return nothing;
    return html`<p class="dial-in">
      ${this.t('room.low.phone')}
      <a part="link" dir="ltr" href="tel:${group.dialIn.number.replace(/[^\d+]/g, '')}">${group.dialIn.number}</a>
      ${group.dialIn.pin ? html`<span>${this.t('room.low.pin', { pin: group.dialIn.pin })}</span>` : nothing}
    </p>`;
  }

  /** No video provider for this group: the board and the dial-in, never a room that cannot open. */
  private renderNoVideo(group: GroupSummary) {
    return html`<div class="no-video">
      <p>${this.t(group.dialIn ? 'room.video.nonePhone' : 'room.video.none')}</p>
      ${this.renderDialIn(group)}
    </div>`;
  }

  private renderJoin(group: GroupSummary) {
    const canJoin = this.canParticipate(group) && (group.membership !== null || this.isModerator);
    const problem = this.live?.room.joinProblem ?? (this.liveUnavailable ? 'offline' : null);
    const phase = this.phase;
    return html`
      ${problem
        ? html`<div class="notice warning join-problem" part="notice" role="alert" tabindex="-1">
            <p>${this.t(`room.problem.${problem}`)}</p>
            ${problem === 'script-timeout' || problem === 'script-failed' ? html`<p>${this.t('room.problem.alternatives')}</p>` : nothing}
          </div>`
        : nothing}
      ${group.roomOpen
        ? html`<button class="primary join" part="join-button" type="button" ?disabled=${!canJoin || phase === 'joining'} @click=${this.join}>
            ${phase === 'joining' ? this.t('room.live.joining') : problem === 'script-timeout' || problem === 'script-failed' ? this.t('room.live.retry') : this.t('room.live.join')}
          </button>`
        : html`<p class="muted">${this.t('room.session.closed')}</p>`}
    `;
  }

  private renderBefore(group: GroupSummary) {
    const needs = this.needsGuidelines(group);
    const membership = group.membership;
    return html`
      <section class="session" part="session" aria-labelledby="session-title">
        <h3 part="heading" id="session-title">${this.t('room.session.title')}</h3>
        ${this.renderSchedule(group)}
        ${group.nextSession ? (this.calendar.value?.render(group) ?? nothing) : nothing}
        ${!membership && !this.isModerator ? html`<p class="notice" part="notice">${this.t('room.notModerator')}</p>` : nothing}
        ${membership && !needs && !this.editingAlias
          ? html`<p>
              ${this.t('room.alias.appearAs', { name: membership.displayName })}
              <button part="button" type="button" class="link" @click=${() => this.startAliasEdit(group)}>${this.t('room.alias.changeButton')}</button>
            </p>`
          : nothing}
        ${needs || this.editingAlias ? this.renderAcceptForm(group) : nothing}
        ${this.canParticipate(group) && !this.editingAlias
          ? group.video.provider === 'none'
            ? this.renderNoVideo(group)
            : html`${this.renderDeviceCheck()} ${this.renderLowBandwidth(group)} ${this.renderJoin(group)}`
          : nothing}
      </section>
    `;
  }

  private startAliasEdit(group: GroupSummary): void {
    this.editingAlias = true;
    this.displayMode = group.membership?.displayMode ?? 'alias';
    this.aliasDraft = group.membership?.alias ?? '';
    this.acceptErrors = {};
  }

  private renderLive() {
    const joined = this.live?.room.joined ?? null;
    const moderator = joined?.moderator ?? false;
    return html`
      <section class="live" aria-labelledby="live-title">
        <h3 part="heading" id="live-title">${this.phase === 'joining' ? this.t('room.live.joining') : this.t('room.live.title')}</h3>
        ${joined ? html`<p class="muted">${this.t('room.alias.appearAs', { name: joined.displayName })}</p>` : nothing}
        ${this.renderRoomSafety()}
        <div class="video" part="video"></div>
        ${this.live?.moderation.render() ?? nothing}
        <div class="controls" part="controls">
          <button part="button" type="button" class="primary" @click=${() => this.leave()}>${this.t('room.live.leave')}</button>
          ${moderator
            ? html`<button part="button" type="button" @click=${this.muteEveryone}>${this.t('room.moderator.muteAll')}</button>
                ${this.confirmEnd
                  ? html`<span class="confirm" role="group" aria-label=${this.t('room.moderator.confirm')}>
                      <span>${this.t('room.moderator.confirm')}</span>
                      <button part="button" type="button" class="danger" @click=${this.endSession}>${this.t('room.moderator.endYes')}</button>
                      <button part="button" type="button" @click=${() => (this.confirmEnd = false)}>${this.t('room.cancel')}</button>
                    </span>`
                  : html`<button part="button" type="button" @click=${() => (this.confirmEnd = true)}>${this.t('room.moderator.end')}</button>`}`
            : nothing}
        </div>
      </section>
    `;
  }

  /**
   * Before the video in reading and tab order: crisis help (its shortcut works anywhere outside the
   * video) and flagging someone in the room; a moderator flags from their one list of the room's
   * people under the video, with Remove (room-lobby.ts), so this list is not shown to them too.
   */
  private renderRoomSafety() {
    const shortcut = 'Alt+Shift+H';
    return html`<div class="room-safety" part="room-safety">
      ${this.crisisButton.value
        ? html`<care-crisis-button
            variant="inline"
            shortcut=${shortcut}
            endpoint=${this.config.endpoint}
            token=${this.config.token ?? ''}
            locale=${this.config.locale}
          ></care-crisis-button>`
        : nothing}
      <p class="muted crisis-hint" id="crisis-hint">${this.t('dangerFlag.crisisHint', { shortcut })}</p>
      ${this.live?.moderation.listsPeople ? nothing : this.safety.renderParticipants()}
    </div>`;
  }

  private renderState() {
    if (!this.config.token) return html`<p class="notice warning" part="notice">${this.t('common.notConfigured')}</p>`;
    if (!this.group) return html`<p class="notice warning" part="notice">${this.t('room.noGroup')}</p>`;
    return this.info.render({
      initial: () => html`<p class="muted">${this.t('room.loading')}</p>`,
      pending: () => (this.groupInfo ? this.renderGroup(this.groupInfo) : html`<p class="muted" aria-busy="true">${this.t('room.loading')}</p>`),
      error: (error) => {
        const failure = failureOf(error);
        return html`<div class="notice warning" part="notice" role="alert">
          <p>${this.failureText(failure)}</p>
          <button part="button" type="button" @click=${() => void this.info.run()}>${this.t('room.retry')}</button>
        </div>`;
      },
      complete: (value) =>
        value === 'missing' || value === null
          ? html`<p class="notice warning" part="notice">${this.t('room.notFound')}</p>`
          : this.renderGroup(value),
    });
  }

  private renderGroup(group: GroupSummary) {
    const phase = this.phase;
    return html`
      ${this.renderHeader(group)}
      ${this.safety.renderNotices(group.id)}
      ${phase === 'before' ? this.renderBefore(group) : nothing}
      ${phase === 'joining' || phase === 'in-session' ? this.renderLive() : nothing}
      ${phase === 'after' ? (this.live?.moderation.removed ? this.live.moderation.renderRemoved() : (this.live?.feedback.render(group.id, this.live.room.joined?.session.start) ?? nothing)) : nothing}
      ${this.canParticipate(group) ? this.renderBoard(group) : nothing}
      ${this.safety.renderDialog(group.id)}
    `;
  }

  private renderBoard(group: GroupSummary) {
    if (!this.boardCode.value) return html`<p class="muted" aria-busy="true">${this.t('room.boardLoading')}</p>`;
    return html`<care-group-board
      .group=${group}
      .api=${this.boardApi}
      .endpoint=${this.config.endpoint}
      .token=${this.config.token}
      .locale=${this.config.locale}
      .moderator=${this.isModerator}
      .pollInterval=${pollSeconds(this.pollInterval).seconds}
      @group-board-announce=${(event: CustomEvent<string>) => this.announce(event.detail)}
      @group-board-flag=${(event: CustomEvent<{ postId: string; label: string; from: HTMLElement | null }>) =>
        void this.safety.open({ kind: 'post', postId: event.detail.postId, label: event.detail.label }, event.detail.from)}
    ></care-group-board>`;
  }

  protected override render() {
    const group = this.groupInfo;
    return html`
      <section
        class=${this.themeClass}
        part="base"
        lang=${this.localize.language}
        dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing}
        aria-labelledby=${group ? 'title' : 'fallback-title'}
      >
        ${group ? nothing : html`<h2 id="fallback-title" part="title">${this.t('room.title')}</h2>`}
        ${this.renderState()}
        <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
      </section>
    `;
  }
}
