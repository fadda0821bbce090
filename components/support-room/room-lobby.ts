import type { TFunction } from 'i18next';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { JoinResult } from '../../server/contract/groups.js';
import { REMOVAL_REASON_MAX } from '../../server/contract/room-moderation.js';
import type { CareClient } from '../core/api-client.js';
import { failureOf, type Failure } from '../core/failure.js';
import type { JitsiMeetApi } from './jitsi-loader.js';
import { addEnglish } from '../core/i18n.js';
import roomLobby from '../../locales/en/roomLobby.json';

// The lobby's and removal's strings load with this chunk (the live room's), not with the element.
addEnglish({ roomLobby });

/** Someone in the room or knocking, as Jitsi's IFrame API names them (its own endpoint id, and the name shown). */
export interface RoomPerson {
  id: string;
  name: string;
}

/**
 * Someone in the room as the moderator's list holds them: `name` is Jitsi's display name, empty when
 * the room gives none (a phone dial-in, a client that sends no name); such a person is listed as
 * "Unnamed participant `unnamed`", numbered in the order they came so two of them can be told apart.
 */
export interface PersonInRoom extends RoomPerson {
  unnamed: number | null;
}

export interface RoomModerationOptions {
  api(): CareClient;
  t(): TFunction;
  /** Says something in the host's polite live region. */
  announce(message: string): void;
  /** A call failed: tell the person and the page (`care-error`). */
  fail(failure: Failure, message: string): void;
  /** Leaves the live room (the removed person's room closes; Jitsi has already put them out). */
  leave(): void;
  /** Where this controller's buttons and fields are (the host's shadow root). */
  root(): ParentNode | null;
  /** "May be in danger" for someone in the room (the flag dialog); focus returns to `from` when it closes. */
  flag?(person: RoomPerson, from: HTMLElement): void;
}

/**
 * The lobby and moderation of a live room (issue 19, item 2), on top of Jitsi's IFrame API:
 *
 * - A moderator's room turns Jitsi's lobby on once they are in (`toggleLobby`); from then on members
 *   knock. Each knock (`knockingParticipant`, `{ participant: { id, name } }`) is listed here with the
 *   name the member chose and announced politely; Admit and Reject answer it
 *   (`answerKnockingParticipant`). Jitsi's own lobby notice keeps working alongside.
 * - A member who is not in yet (no `videoConferenceJoined`) sees that they wait to be let in; the
 *   group board and crisis help stay on the page.
 * - A moderator removes someone for the rest of the session: after a confirmation step (with an
 *   optional reason), `groups.roomParticipants` tells which member the name belongs to (Jitsi's ids
 *   are its own), `groups.removeFromSession` records it (the server then refuses them a room token
 *   until the session ends), and `kickParticipant` puts them out of the room now.
 * - The person removed (`participantKickedOut` naming them, `local: true`) is told kindly, and the
 *   room closes; crisis help and the board stay reachable.
 * - A moderator has one list of the people in the room, each with "may be in danger" (the flag
 *   dialog, `options.flag`) and Remove: the room's own list for flagging is then not shown.
 *   Someone the room gives no name is listed too ("Unnamed participant 1"), with Remove only: it
 *   puts them out of the room by Jitsi's id, but no member can be told from them, so it is not
 *   recorded (see putOut).
 *
 * Moderators skip the lobby: their room token says `context.user.moderator: 'true'`, which makes
 * them moderators in Jitsi (JaaS reads it; a self-hosted Prosody needs a token-moderation module).
 */
export class RoomModerationController implements ReactiveController {
  /** A member waits to be let in (the room exists, Jitsi has not let them join). */
  waiting = false;
  /** The moderator's room turned the lobby on. */
  lobbyOn = false;
  /** The person was removed from this session (by Jitsi's kick, seen here). */
  removed = false;
  knockers: RoomPerson[] = [];
  people: PersonInRoom[] = [];
  /** The participant whose removal waits for the moderator's confirmation. */
  confirming: PersonInRoom | null = null;
  reason = '';
  removing = false;
  removeError = '';

  private video: JitsiMeetApi | null = null;
  private joined: JoinResult | null = null;
  private groupId: string | null = null;
  /** Unnamed participants numbered so far in this room. */
  private unnamedCount = 0;
  private readonly listeners: [string, (payload: unknown) => void][] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: RoomModerationOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.detach();
  }

  private get t(): TFunction {
    return this.options.t();
  }

  private get moderator(): boolean {
    return this.joined?.moderator ?? false;
  }

  private update(): void {
    this.host.requestUpdate();
  }

  /** The moderator's list of people in the room is on screen (it offers flagging too). */
  get listsPeople(): boolean {
    return !this.removed && !this.waiting && this.moderator && this.video !== null;
  }

  /** The room exists: listen to it. */
  attach(video: JitsiMeetApi, joined: JoinResult, groupId: string): void {
    this.detach();
    Object.assign(this, { video, joined, groupId, waiting: !joined.moderator, lobbyOn: false, removed: false, knockers: [], people: [], confirming: null, reason: '', removeError: '', unnamedCount: 0 });
    const on = (event: string, listener: (payload: unknown) => void) => {
      video.addListener(event, listener);
      this.listeners.push([event, listener]);
    };
    on('videoConferenceJoined', () => {
      this.waiting = false;
      if (this.moderator && !this.lobbyOn) {
        video.executeCommand('toggleLobby', true);
        this.lobbyOn = true;
        this.options.announce(this.t('roomLobby.lobby.onAnnounce'));
      }
      this.update();
    });
    on('knockingParticipant', (payload) => {
      const p = (payload as { participant?: { id?: unknown; name?: unknown } } | null)?.participant;
      if (!this.moderator || typeof p?.id !== 'string') return;
      const name = typeof p.name === 'string' && p.name ? p.name : this.t('roomLobby.lobby.noName');
      if (!this.knockers.some((k) => k.id === p.id)) this.knockers = [...this.knockers, { id: p.id, name }];
      this.options.announce(this.t('roomLobby.lobby.knocking', { name }));
      this.update();
    });
    on('participantJoined', (payload) => {
      const p = (payload ?? {}) as { id?: unknown; displayName?: unknown };
      if (typeof p.id !== 'string') return;
      const name = typeof p.displayName === 'string' ? p.displayName.trim() : '';
      const known = this.people.find((x) => x.id === p.id);
      this.people = [...this.people.filter((x) => x.id !== p.id), this.named(p.id, name, known)];
      // Let in from Jitsi's own lobby panel: no longer waiting here.
      this.knockers = this.knockers.filter((k) => k.id !== p.id && k.name !== name);
      this.update();
    });
    on('displayNameChange', (payload) => {
      const p = (payload ?? {}) as { id?: unknown; displayname?: unknown };
      if (typeof p.id !== 'string' || typeof p.displayname !== 'string') return;
      const name = p.displayname.trim();
      this.people = this.people.map((x) => (x.id === p.id ? this.named(x.id, name, x) : x));
      this.update();
    });
    on('participantLeft', (payload) => {
      const id = (payload as { id?: unknown } | null)?.id;
      this.people = this.people.filter((x) => x.id !== id);
      this.knockers = this.knockers.filter((k) => k.id !== id);
      if (this.confirming?.id === id) this.confirming = null;
      this.update();
    });
    on('participantKickedOut', (payload) => {
      const kicked = (payload as { kicked?: { id?: unknown; local?: unknown } } | null)?.kicked;
      if (kicked?.local === true) {
        this.removed = true;
        this.waiting = false;
        this.options.announce(this.t('room.removed.announce'));
        this.options.leave();
      } else if (typeof kicked?.id === 'string') {
        this.people = this.people.filter((x) => x.id !== kicked.id);
      }
      this.update();
    });
  }

  /** A person with the name the room gives them; without one, their placeholder's number (kept once given). */
  private named(id: string, name: string, known?: PersonInRoom): PersonInRoom {
    return { id, name, unnamed: name ? (known?.unnamed ?? null) : (known?.unnamed ?? ++this.unnamedCount) };
  }

  /** How the list names a person: their name in the room, or "Unnamed participant 2". */
  private label(person: PersonInRoom): string {
    return person.name || this.t('room.people.unnamed', { number: person.unnamed ?? 0 });
  }

  /** The room is gone: stop listening (what was said stays until the next room). */
  detach(): void {
    const video = this.video;
    if (video?.removeListener) for (const [event, listener] of this.listeners) video.removeListener(event, listener);
    this.listeners.length = 0;
    this.video = null;
    this.waiting = false;
    this.knockers = [];
    this.people = [];
    this.confirming = null;
  }

  /** A new join attempt: forget that the person was removed from an earlier room. */
  reset(): void {
    this.removed = false;
    this.update();
  }

  answer(person: RoomPerson, admit: boolean): void {
    if (!this.video) return;
    this.video.executeCommand('answerKnockingParticipant', person.id, admit);
    const index = this.knockers.findIndex((k) => k.id === person.id);
    this.knockers = this.knockers.filter((k) => k.id !== person.id);
    this.options.announce(this.t(admit ? 'roomLobby.lobby.admitted' : 'roomLobby.lobby.rejected', { name: person.name }));
    this.update();
    // Keep the keyboard in the list: the next person's Admit, or the lobby heading.
    void this.focusAfter(() => {
      const buttons = [...(this.options.root()?.querySelectorAll<HTMLElement>('.knockers .admit') ?? [])];
      return buttons[Math.min(index, buttons.length - 1)] ?? this.options.root()?.querySelector<HTMLElement>('#lobby-title') ?? null;
    });
  }

  askRemove(person: PersonInRoom): void {
    this.confirming = person;
    this.reason = '';
    this.removeError = '';
    this.update();
    // Without a name there is no record, so no reason to type: focus goes to the confirmation itself.
    void this.focusAfter(() => this.options.root()?.querySelector<HTMLElement>(person.name ? '#remove-reason' : '.confirm-yes') ?? null);
  }

  cancelRemove(): void {
    const id = this.confirming?.id;
    this.confirming = null;
    this.removeError = '';
    this.update();
    void this.focusAfter(() => this.options.root()?.querySelector<HTMLElement>(`.people [data-id="${CSS.escape(id ?? '')}"]`) ?? null);
  }

  async confirmRemove(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const person = this.confirming;
    const groupId = this.groupId;
    if (!person || !groupId || this.removing) return;
    if (!person.name) return this.putOut(person);
    this.removing = true;
    this.removeError = '';
    this.update();
    try {
      const { participants } = await this.options.api().groups.roomParticipants.query({ groupId });
      const matches = participants.filter((p) => p.name === person.name);
      if (matches.length !== 1) {
        this.removeError = this.t('roomLobby.remove.unknown', { name: person.name });
        this.options.announce(this.removeError);
        return;
      }
      const reason = this.reason.trim();
      await this.options.api().groups.removeFromSession.mutate({ groupId, participantId: matches[0]!.participantId, ...(reason ? { reason } : {}) });
      this.video?.executeCommand('kickParticipant', person.id);
      this.confirming = null;
      this.options.announce(this.t('roomLobby.remove.done', { name: person.name }));
      void this.focusAfter(() => this.options.root()?.querySelector<HTMLElement>('#people-title') ?? null);
    } catch (error) {
      const failure = failureOf(error);
      this.removeError = this.t('roomLobby.remove.failed');
      this.options.fail(failure, this.removeError);
    } finally {
      this.removing = false;
      this.update();
    }
  }

  /**
   * Someone without a name in the room: no member can be told from them (`groups.roomParticipants`
   * knows members by the name the room shows), so nothing is recorded and the server cannot refuse
   * them a new room token; the room puts them out by Jitsi's own participant id, and the moderator
   * was told beforehand that they could come back.
   */
  private putOut(person: PersonInRoom): void {
    this.video?.executeCommand('kickParticipant', person.id);
    this.confirming = null;
    this.options.announce(this.t('room.people.unnamedDone', { name: this.label(person) }));
    this.update();
    void this.focusAfter(() => this.options.root()?.querySelector<HTMLElement>('#people-title') ?? null);
  }

  private async focusAfter(find: () => HTMLElement | null): Promise<void> {
    await this.host.updateComplete;
    find()?.focus();
  }

  // ---- Rendering ----------------------------------------------------------------------------

  /** Inside the live room, under the video: the waiting notice, or the moderator's lobby and people. */
  render() {
    if (this.removed) return this.renderRemoved();
    if (this.waiting) {
      return html`<div class="notice lobby-waiting" part="notice">
        <p><strong>${this.t('roomLobby.lobby.waiting')}</strong></p>
        <p>${this.t('roomLobby.lobby.waitingHow')}</p>
        <p>${this.t('roomLobby.lobby.waitingMeanwhile')}</p>
      </div>`;
    }
    if (!this.moderator || !this.video) return nothing;
    return html`${this.renderLobby()} ${this.renderPeople()}`;
  }

  private renderLobby() {
    return html`<section class="lobby" part="lobby" aria-labelledby="lobby-title">
      <h4 id="lobby-title" tabindex="-1">${this.t('roomLobby.lobby.title')}</h4>
      <p class="muted">${this.lobbyOn ? this.t('roomLobby.lobby.on') : this.t('roomLobby.lobby.starting')}</p>
      ${this.knockers.length === 0
        ? html`<p class="muted">${this.t('roomLobby.lobby.none')}</p>`
        : html`<ul class="knockers" aria-label=${this.t('roomLobby.lobby.listLabel')}>
            ${this.knockers.map(
              (k) => html`<li>
                <bdi class="name">${k.name}</bdi>
                <span class="actions">
                  <button part="button" type="button" class="primary admit" aria-label=${this.t('roomLobby.lobby.admitName', { name: k.name })} @click=${() => this.answer(k, true)}>
                    ${this.t('roomLobby.lobby.admit')}
                  </button>
                  <button part="button" type="button" class="reject" aria-label=${this.t('roomLobby.lobby.rejectName', { name: k.name })} @click=${() => this.answer(k, false)}>
                    ${this.t('roomLobby.lobby.reject')}
                  </button>
                </span>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderPeople() {
    const confirming = this.confirming;
    const anyUnnamed = this.people.some((p) => !p.name);
    return html`<section class="people" part="people" aria-labelledby="people-title">
      <h4 id="people-title" tabindex="-1">${this.t('roomLobby.remove.title')}</h4>
      ${this.people.length === 0
        ? html`<p class="muted">${this.t('roomLobby.remove.nobody')}</p>`
        : html`<ul>
            ${this.people.map((p) => this.renderPerson(p, confirming !== null))}
          </ul>`}
      ${anyUnnamed ? html`<p class="muted" id="unnamed-note">${this.t('room.people.unnamedNote')}</p>` : nothing}
      ${confirming ? this.renderConfirmRemove(confirming) : nothing}
    </section>`;
  }

  /**
   * One person: "may be in danger" and Remove. Someone without a name gets Remove only: a flag names
   * the person by the name they appear under (or by our own room id, which Jitsi's events do not carry),
   * so there is no one the care team could be told about; the note under the list says so.
   */
  private renderPerson(p: PersonInRoom, confirming: boolean) {
    const name = this.label(p);
    return html`<li>
      <bdi class="name">${name}</bdi>
      <span class="actions">
        ${p.name && this.options.flag
          ? html`<button
              part="button"
              type="button"
              class="flag"
              data-flag=${p.id}
              aria-label=${this.t('dangerFlag.flagPerson', { name })}
              @click=${(e: Event) => this.options.flag?.(p, e.currentTarget as HTMLElement)}
            >
              ${this.t('dangerFlag.flag')}
            </button>`
          : nothing}
        <button
          part="button"
          type="button"
          class="danger remove"
          data-id=${p.id}
          aria-label=${this.t('roomLobby.remove.buttonName', { name })}
          aria-describedby=${p.name ? nothing : 'unnamed-note'}
          ?disabled=${confirming}
          @click=${() => this.askRemove(p)}
        >
          ${this.t('roomLobby.remove.button')}
        </button>
      </span>
    </li>`;
  }

  private renderConfirmRemove(confirming: PersonInRoom) {
    const name = this.label(confirming);
    const unnamed = !confirming.name;
    return html`<form class="confirm-remove" part="form" novalidate @submit=${(e: SubmitEvent) => void this.confirmRemove(e)} aria-labelledby="remove-question">
      <p id="remove-question"><strong>${this.t(unnamed ? 'room.people.unnamedQuestion' : 'roomLobby.remove.question', { name })}</strong></p>
      <p class="muted">${this.t(unnamed ? 'room.people.unnamedExplain' : 'roomLobby.remove.explain')}</p>
      ${unnamed
        ? nothing
        : html`<label part="label" for="remove-reason">${this.t('roomLobby.remove.reason')}</label>
            <input
              part="input"
              id="remove-reason"
              maxlength=${REMOVAL_REASON_MAX}
              autocomplete="off"
              .value=${this.reason}
              aria-describedby=${this.removeError ? 'remove-error' : nothing}
              @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)}
            />`}
      ${this.removeError ? html`<p class="error" id="remove-error" role="alert">${this.removeError}</p>` : nothing}
      <div class="actions">
        <button part="button" type="submit" class="danger confirm-yes" ?disabled=${this.removing}>
          ${this.removing ? this.t('roomLobby.remove.removing') : this.t('roomLobby.remove.yes', { name })}
        </button>
        <button part="button" type="button" class="confirm-no" @click=${() => this.cancelRemove()}>${this.t('room.cancel')}</button>
      </div>
    </form>`;
  }

  /** What the removed person sees, in the room and after it: kind, with where help is. */
  renderRemoved() {
    return html`<div class="notice removed" part="notice">
      <p><strong>${this.t('room.removed.title')}</strong></p>
      <p>${this.t('room.removed.text')}</p>
      <p>${this.t('room.removed.help')}</p>
    </div>`;
  }
}
