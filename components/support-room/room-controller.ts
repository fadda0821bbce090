import { TRPCClientError } from '@trpc/client';
import type { TFunction } from 'i18next';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { GroupSummary, JoinResult } from '../../server/contract/groups.js';
import { REMOVED_FROM_SESSION_MESSAGE } from '../../server/contract/room-moderation.js';
import type { CareClient } from '../core/api-client.js';
import { codeOf, failureOf, type Failure } from '../core/failure.js';
import type { SupportRoomEventDetails } from './events.js';
import type { CareEventDetail, CareEventName } from '../core/events.js';
import { jaasAppId, JitsiLoadError, loadJitsiApi, type JitsiMeetApi, type JitsiMeetOptions } from './jitsi-loader.js';

export type RoomPhase = 'before' | 'joining' | 'in-session' | 'after';
export type JoinProblem = 'script-timeout' | 'script-failed' | 'closed' | 'full' | 'guidelines' | 'forbidden' | 'removed' | 'offline' | 'other';

interface Participant {
  id?: string;
  displayName?: string;
}

/** After leaving, wait this long for Jitsi's readyToClose before closing the room ourselves. */
export const CLOSE_FALLBACK_MS = 3_000;

/** What the room controller needs from the element that hosts it. */
export interface RoomControllerOptions {
  api(): CareClient;
  endpoint(): string;
  token(): string | null;
  /** The UI language Jitsi should use (`en`, `es`…). */
  language(): string;
  t(): TFunction;
  /** Scheme and timeout for loading `external_api.js` (see {@link loadJitsiApi}). */
  scheme(): 'https' | 'http';
  scriptTimeout(): number;
  /** The box the video goes in, once the host rendered the live room. */
  videoBox(): HTMLElement | null;
  emit<K extends keyof SupportRoomEventDetails & CareEventName>(name: K, detail: CareEventDetail<K>): void;
  /** Says something in the host's live region. */
  announce(message: string): void;
  /** A call failed: tell the person (`message`) and the page (`care-error`). */
  fail(failure: Failure, message: string): void;
  /** The group's details may have changed (closed room, new guidelines): load them again. */
  refreshGroup(): void;
  /** The join failed: the message about it is on screen after the next render. */
  joinFailed(): void;
  /** The live room closed: the host shows what comes after a session. */
  closed(): void;
  /** Left while still joining (never in the session): the host is back where Join was pressed. */
  joinCancelled(): void;
  /** The room exists (Jitsi's API object): for the lobby and moderation (room-lobby.ts). */
  videoReady?(video: JitsiMeetApi, joined: JoinResult, groupId: string): void;
  /** The room is gone (closed, or the element left the page). */
  videoGone?(): void;
  /** More `configOverwrite` for the room, given the room's own (the crisis help toolbar button). */
  extraConfig?(config: Record<string, unknown>): Record<string, unknown>;
  /** Jitsi's `toolbarButtonClicked`: a button listed in `buttonsWithNotifyClick` or a custom one was pressed. */
  toolbarButton?(key: string): void;
}

/**
 * The live video part of a support room: joins through `groups.join`, loads Jitsi's IFrame API from
 * the group's video domain, places the room in the host's video box, mirrors Jitsi's events as
 * `care-*` events, records attendance (with a keepalive request when the page goes away), and
 * closes the room when Jitsi says so, or by itself a little after leaving if Jitsi does not.
 */
export class RoomController implements ReactiveController {
  phase: RoomPhase = 'before';
  joinProblem: JoinProblem | null = null;
  /** What `groups.join` answered, from joining until the person goes back to the group. */
  joined: JoinResult | null = null;
  participants = 0;

  private video: JitsiMeetApi | null = null;
  private groupId: string | null = null;
  private attendanceId: string | null = null;
  /**
   * Counts join attempts: leaving (or the element leaving the page) while one is under way moves it
   * on, and the attempt stops at its next step instead of opening a room nobody wants any more.
   */
  private attempt = 0;
  /** The room ticket of the attempt under way, from `groups.join`'s answer until the room closes. */
  private ticket: JoinResult | null = null;
  /** Jitsi said videoConferenceJoined: from then on Leave hangs up instead of cancelling the join. */
  private conferenceJoined = false;
  /** The attempt that was left before `groups.join` answered: its care-room-left waits for the room's name. */
  private leftBeforeTicket = 0;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onPageHide = () => this.leftWithPage();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: RoomControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.onPageHide);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.onPageHide);
    if (this.groupId && this.attendanceId) void this.recordAttendance(this.groupId, 'left');
    clearTimeout(this.closeTimer);
    // A join under way stops: the element is gone (back on a page, it starts from the group again).
    this.attempt++;
    if (this.phase === 'joining') this.phase = 'before';
    this.video?.dispose();
    this.video = null;
    this.ticket = null;
    this.options.videoGone?.();
  }

  /** True while a live room exists (joined or joining). */
  get active(): boolean {
    return this.phase === 'joining' || this.phase === 'in-session';
  }

  private set(changes: Partial<Pick<RoomController, 'phase' | 'joinProblem' | 'joined' | 'participants'>>): void {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }

  /** Joins the group's live room. `lowBandwidth` starts with sound only. */
  async join(group: GroupSummary, { needsGuidelines, lowBandwidth }: { needsGuidelines: boolean; lowBandwidth: boolean }): Promise<void> {
    if (this.active) return;
    const attempt = ++this.attempt;
    const cancelled = () => attempt !== this.attempt;
    this.groupId = group.id;
    this.conferenceJoined = false;
    this.set({ phase: 'joining', joinProblem: null });
    this.options.announce(this.options.t()('room.live.joining'));
    let joined: JoinResult;
    try {
      joined = await this.options.api().groups.join.mutate({ groupId: group.id });
    } catch (error) {
      if (cancelled()) return;
      const failure = failureOf(error);
      const code = codeOf(error);
      const problem: JoinProblem =
        failure.kind === 'offline'
          ? 'offline'
          : code === 'CONFLICT'
            ? 'full'
            : code === 'FORBIDDEN'
              ? error instanceof TRPCClientError && error.message === REMOVED_FROM_SESSION_MESSAGE
                ? 'removed'
                : 'forbidden'
              : code === 'PRECONDITION_FAILED'
                ? needsGuidelines
                  ? 'guidelines'
                  : 'closed'
                : 'other';
      this.set({ phase: 'before', joinProblem: problem });
      this.options.fail(failure, this.options.t()(`room.problem.${problem}`));
      if (problem === 'closed' || problem === 'guidelines') this.options.refreshGroup();
      this.options.joinFailed();
      return;
    }
    if (cancelled()) {
      // Left before the ticket came: the room's name is known only now.
      if (this.leftBeforeTicket === attempt) this.options.emit('care-room-left', { groupId: group.id, roomName: joined.roomName });
      return;
    }
    this.ticket = joined;
    let JitsiMeetExternalAPI;
    try {
      JitsiMeetExternalAPI = await loadJitsiApi(joined.domain, { scheme: this.options.scheme(), timeoutMs: this.options.scriptTimeout(), appId: jaasAppId(joined) });
    } catch (error) {
      if (cancelled()) return;
      const reason = error instanceof JitsiLoadError ? error.kind : 'failed';
      const problem: JoinProblem = reason === 'timeout' ? 'script-timeout' : 'script-failed';
      this.set({ phase: 'before', joinProblem: problem });
      const message = this.options.t()(`room.problem.${problem}`);
      this.options.announce(message);
      this.options.emit('care-error', { kind: 'video-unavailable', reason, message });
      this.options.joinFailed();
      return;
    }
    if (cancelled()) return;
    this.set({ joined, participants: 0, phase: 'in-session' });
    await this.host.updateComplete;
    if (cancelled()) return;
    const parentNode = this.options.videoBox();
    if (!parentNode) return;
    const language = this.options.language();
    const options: JitsiMeetOptions = {
      roomName: joined.roomName,
      parentNode,
      width: '100%',
      height: '100%',
      lang: language,
      userInfo: { displayName: joined.displayName },
      configOverwrite: withExtra(jitsiConfig(joined, language, lowBandwidth), this.options.extraConfig),
      interfaceConfigOverwrite: { MOBILE_APP_PROMO: false, SHOW_CHROME_EXTENSION_BANNER: false, TOOLBAR_BUTTONS: toolbar(joined) },
      ...(joined.jwt ? { jwt: joined.jwt } : {}),
    };
    try {
      this.video = new JitsiMeetExternalAPI(joined.domain, options);
    } catch (error) {
      this.set({ phase: 'before', joinProblem: 'script-failed' });
      this.options.emit('care-error', { kind: 'video-unavailable', reason: 'failed', message: String(error) });
      this.options.joinFailed();
      return;
    }
    this.listen(this.video, joined, group.id);
    this.options.videoReady?.(this.video, joined, group.id);
  }

  /**
   * Leaves the live room; the room closes on Jitsi's readyToClose, or after a short wait without it.
   * While the room is still joining (the ticket, Jitsi's script or the conference on its way), the
   * join is cancelled: the room closes now and the person is back where Join was pressed.
   */
  leave(): void {
    if (this.video && this.conferenceJoined) {
      this.video.executeCommand('hangup');
      clearTimeout(this.closeTimer);
      this.closeTimer = setTimeout(() => this.close(), CLOSE_FALLBACK_MS);
    } else if (this.active) {
      this.cancelJoin();
    }
  }

  private cancelJoin(): void {
    const attempt = this.attempt++;
    const { ticket, groupId } = this;
    if (ticket && groupId) this.options.emit('care-room-left', { groupId, roomName: ticket.roomName });
    else this.leftBeforeTicket = attempt;
    // Never in the session, so no question about it: back to where Join was pressed.
    this.close('before');
  }

  /** Moderators: ends the session for everyone, then leaves. */
  endForEveryone(): void {
    if (!this.video) return;
    this.video.executeCommand('endConference');
    this.leave();
  }

  /** Moderators: mutes every microphone. */
  muteEveryone(): void {
    this.video?.executeCommand('muteEveryone', 'audio');
  }

  /** After the session: back to the group, ready to join again. */
  reset(): void {
    this.set({ phase: 'before', joined: null });
  }

  private listen(video: JitsiMeetApi, joined: JoinResult, groupId: string): void {
    video.addListener('videoConferenceJoined', () => {
      this.conferenceJoined = true;
      this.options.announce(this.options.t()('room.live.joined', { name: joined.displayName }));
      this.options.emit('care-room-joined', { groupId, roomName: joined.roomName, displayName: joined.displayName });
      void this.recordAttendance(groupId, 'joined');
    });
    video.addListener('participantJoined', (payload) => {
      const p = (payload ?? {}) as Participant;
      this.set({ participants: this.participants + 1 });
      this.options.emit('care-participant-joined', { id: p.id, displayName: p.displayName });
    });
    video.addListener('participantLeft', (payload) => {
      const p = (payload ?? {}) as Participant;
      this.set({ participants: Math.max(0, this.participants - 1) });
      this.options.emit('care-participant-left', { id: p.id });
    });
    video.addListener('videoConferenceLeft', () => {
      this.options.emit('care-room-left', { groupId, roomName: joined.roomName });
      void this.recordAttendance(groupId, 'left');
      clearTimeout(this.closeTimer);
      this.closeTimer = setTimeout(() => this.close(), CLOSE_FALLBACK_MS);
    });
    video.addListener('toolbarButtonClicked', (payload) => {
      const key = (payload as { key?: unknown } | undefined)?.key;
      if (typeof key === 'string') this.options.toolbarButton?.(key);
    });
    video.addListener('readyToClose', () => {
      this.options.emit('care-room-ready-to-close', { groupId });
      this.close();
    });
  }

  private async recordAttendance(groupId: string, event: 'joined' | 'left'): Promise<void> {
    try {
      if (event === 'joined') {
        const attempt = this.attempt;
        const { attendanceId } = await this.options.api().groups.attendance.mutate({ groupId, event });
        // Left while "joined" was being recorded: record the leave now, as the leave would have.
        if (attempt === this.attempt && this.phase === 'in-session') this.attendanceId = attendanceId;
        else if (attendanceId) await this.options.api().groups.attendance.mutate({ groupId, event: 'left', attendanceId });
      } else if (this.attendanceId) {
        const attendanceId = this.attendanceId;
        this.attendanceId = null;
        await this.options.api().groups.attendance.mutate({ groupId, event, attendanceId });
      }
    } catch {
      // Attendance is bookkeeping: it never stands between a person and their group.
    }
  }

  /**
   * The person closed the tab or navigated away during a session: record that they left with a
   * keepalive request, which outlives the page (the tRPC client's requests do not). Plain JSON, as
   * the API takes from any HTTP client.
   */
  private leftWithPage(): void {
    const { groupId, attendanceId } = this;
    const token = this.options.token();
    if (!groupId || !attendanceId || !token) return;
    this.attendanceId = null;
    void fetch(`${this.options.endpoint().replace(/\/$/, '')}/trpc/groups.attendance`, {
      method: 'POST',
      keepalive: true,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ groupId, event: 'left', attendanceId }),
    }).catch(() => undefined);
  }

  /** Closes the room: `after` a session (its feedback comes next), or back `before` it when the join was cancelled. */
  private close(next: 'after' | 'before' = 'after'): void {
    clearTimeout(this.closeTimer);
    if (!this.video && !this.active) return;
    this.attempt++;
    if (this.attendanceId && this.groupId) void this.recordAttendance(this.groupId, 'left');
    this.video?.dispose();
    this.video = null;
    this.ticket = null;
    this.conferenceJoined = false;
    this.options.videoGone?.();
    this.set(next === 'after' ? { phase: 'after' } : { phase: 'before', joined: null });
    this.options.announce(this.options.t()('room.live.left'));
    if (next === 'after') this.options.closed();
    else this.options.joinCancelled();
  }
}

const withExtra = (config: Record<string, unknown>, extra: RoomControllerOptions['extraConfig']) => (extra ? { ...config, ...extra(config) } : config);

/** Sound only: what people who turn their camera back on send and receive (see {@link jitsiConfig}). */
export const LOW_BANDWIDTH = { height: 180, minHeight: 90, lastN: 2, startLastN: 1 } as const;

/**
 * The toolbar: no button the room cannot honour. Captions only where the provider can transcribe
 * (`joined.captions`: JaaS with transcription on, or a self-hosted deployment that declares it).
 */
export function toolbar(joined: Pick<JoinResult, 'moderator' | 'captions'>): string[] {
  const buttons = ['microphone', 'camera', ...(joined.captions ? ['closedcaptions'] : []), 'chat', 'raisehand', 'tileview', 'participants-pane', 'settings', 'fullscreen', 'hangup'];
  return joined.moderator ? [...buttons, 'mute-everyone', 'security'] : buttons;
}

/** The `configOverwrite` the room gets from its provider's capabilities and the person's choices. */
export function jitsiConfig(joined: Pick<JoinResult, 'moderator' | 'captions'>, lang: string, lowBandwidth: boolean): Record<string, unknown> {
  return {
    defaultLanguage: lang,
    // The pre-session screen already checked devices and asked for the display name.
    prejoinConfig: { enabled: false },
    prejoinPageEnabled: false,
    readOnlyName: true,
    disableDeepLinking: true,
    disableInviteFunctions: true,
    startAudioOnly: lowBandwidth,
    startWithVideoMuted: lowBandwidth,
    // Captions (subtitles) in the person's language, only where the provider can transcribe.
    transcription: joined.captions ? { enabled: true, useAppLanguage: true, preferredLanguage: lang } : { enabled: false },
    transcribingEnabled: joined.captions,
    ...(lowBandwidth
      ? {
          // Sound only: whoever turns video back on still sends and receives little.
          resolution: LOW_BANDWIDTH.height,
          constraints: { video: { height: { ideal: LOW_BANDWIDTH.height, max: LOW_BANDWIDTH.height, min: LOW_BANDWIDTH.minHeight } } },
          channelLastN: LOW_BANDWIDTH.lastN,
          startLastN: LOW_BANDWIDTH.startLastN,
        }
      : {}),
    toolbarButtons: toolbar(joined),
  };
}
