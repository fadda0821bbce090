import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import { registerJitsiApi, type JitsiMeetOptions } from '../components/support-room/index.js';
import type { CareSupportRoom } from '../components/support-room/support-room.js';
import type { BoardThread, GroupSummary, JoinResult } from '../server/contract/groups.js';
import { REMOVED_FROM_SESSION_MESSAGE } from '../server/contract/room-moderation.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

const STORY_DOMAIN = 'video.example.test';

type LobbyState = 'none' | 'waiting' | 'knocking' | 'removed';

/**
 * Stands in for Jitsi's IFrame API in stories: a placeholder room that plays back join and leave,
 * and for the lobby stories what a real room sends: no videoConferenceJoined while a member waits in
 * the lobby; knocks and participants for a moderator; participantKickedOut for a removed member.
 */
class StoryJitsiRoom {
  static lobby: LobbyState = 'none';
  private readonly listeners = new Map<string, ((payload: unknown) => void)[]>();
  private readonly box: HTMLElement;
  constructor(_domain: string, options: JitsiMeetOptions) {
    this.box = document.createElement('p');
    this.box.className = 'story-video';
    this.box.textContent = `Video room: ${options.userInfo?.displayName ?? ''}`;
    options.parentNode.append(this.box);
    const lobby = StoryJitsiRoom.lobby;
    if (lobby === 'waiting') return;
    setTimeout(() => {
      this.emit('videoConferenceJoined', { roomName: options.roomName, id: 'story-local' });
      if (lobby === 'knocking') {
        this.emit('participantJoined', { id: 'p-sunny', displayName: 'Sunny' });
        this.emit('participantJoined', { id: 'p-maple', displayName: 'Maple' });
        // Someone the room gives no name (a phone dial-in, or a name cleared in Jitsi).
        this.emit('participantJoined', { id: 'p-unnamed', displayName: '' });
        this.emit('knockingParticipant', { participant: { id: 'k-fox', name: 'Quiet Fox' } });
        this.emit('knockingParticipant', { participant: { id: 'k-heron', name: 'Blue Heron' } });
      }
      if (lobby === 'removed') this.emit('participantKickedOut', { kicked: { id: 'story-local', local: true }, kicker: { id: 'story-moderator' } });
    }, 10);
  }
  addListener(event: string, listener: (payload: unknown) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  private emit(event: string, payload: unknown) {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
  executeCommand(command: string) {
    if (command === 'hangup') {
      setTimeout(() => {
        this.emit('videoConferenceLeft', {});
        this.emit('readyToClose', {});
      }, 10);
    }
  }
  /** As Jitsi's dispose(): the room's listeners go with it, so a late timer plays back nothing. */
  dispose() {
    this.listeners.clear();
    this.box.remove();
  }
}
registerJitsiApi(STORY_DOMAIN, StoryJitsiRoom);

type ListState = 'guidelines' | 'ready' | 'closed' | 'staff-public' | 'offline' | 'loading' | 'missing' | 'no-video' | 'public-test';
/** `held`: groups.join answers only when a story releases it (releaseHeldJoin), so the join stays under way. */
type JoinState = 'ok' | 'full' | 'unavailable' | 'removed' | 'held';
type BoardState = 'posts' | 'moderated' | 'empty';

interface Args {
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  list: ListState;
  join: JoinState;
  board: BoardState;
  moderator: boolean;
  signedIn: boolean;
  /** The lobby and removal states the stand-in room plays back. */
  lobby: LobbyState;
  /** Seconds between board polls while live updates are off (0: never), as on `<care-alerts>`. */
  pollInterval: number;
  /** "May be in danger": nothing, the flagged person's private notice, or the moderators' notice. */
  danger: 'none' | 'mine' | 'moderation';
}

function dangerAnswer(args: Args): MockAnswer {
  return {
    data: {
      mine: args.danger === 'mine' ? { flaggedAt: minutes(-30) } : null,
      moderation: args.danger === 'moderation' ? [{ id: 'f1', label: 'Sunny', via: 'post', createdAt: minutes(-20) }] : [],
    },
  };
}

const storyResources = (): MockAnswer => ({
  data: {
    region: 'US',
    emergency: '911',
    lines: [{ name: '988 Suicide & Crisis Lifeline', call: '988', text: '988', languages: ['en', 'es'], hours: '24/7', source: 'https://988lifeline.org', lastChecked: '2026-11-25' }],
    language: 'en',
    contacts: [],
    onCall: null,
    fetchedAt: new Date().toISOString(),
  },
});

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

function group(args: Args): GroupSummary {
  const open = args.list !== 'closed';
  const session = open ? { start: minutes(-5), end: minutes(85) } : { start: minutes(2 * 24 * 60 + 95), end: minutes(2 * 24 * 60 + 185) };
  const accepted = args.list !== 'guidelines';
  return {
    id: 'story-group',
    name: 'Evening recovery circle',
    topic: 'recovery',
    description: 'A peer support group for people in recovery, with a counsellor moderating. Come as you are.',
    language: 'en',
    timeZone: 'America/New_York',
    schedule: [{ day: 'thu', start: '18:30', minutes: 90 }],
    capacity: 12,
    moderators: [{ name: 'Dr. Rivera' }],
    guidelines: {
      en: 'What is shared here stays here.\nSpeak from your own experience; listen without judging.\nThis group is not for emergencies. If you are in danger, call 988 or 911.',
      es: 'Lo que se comparte aquí se queda aquí.\nHable desde su propia experiencia; escuche sin juzgar.\nEste grupo no es para emergencias. Si está en peligro, llame al 988 o al 911.',
    },
    guidelinesVersion: 1,
    nextSession: session,
    upcoming: [session],
    roomOpen: open,
    dialIn: { number: '+1 202 555 0199', pin: '482913#' },
    video:
      args.list === 'no-video'
        ? { provider: 'none', domain: null, mode: 'none', captions: false, publicTestRoom: false }
        : args.list === 'staff-public' || args.list === 'public-test'
          ? { provider: 'public-demo', domain: STORY_DOMAIN, mode: 'public', captions: false, publicTestRoom: true }
          : { provider: 'jaas', domain: STORY_DOMAIN, mode: 'token', captions: true, publicTestRoom: false },
    membership: args.moderator || args.list === 'staff-public'
      ? { role: 'moderator', displayMode: 'name', alias: null, displayName: 'Dr. Rivera', guidelinesAcceptedVersion: null, guidelinesAcceptedAt: null }
      : {
          role: 'member',
          displayMode: 'alias',
          alias: accepted ? 'Quiet Fox' : null,
          displayName: accepted ? 'Quiet Fox' : 'Group member',
          guidelinesAcceptedVersion: accepted ? 1 : null,
          guidelinesAcceptedAt: accepted ? minutes(-60 * 24) : null,
        },
    notices: args.list === 'staff-public' ? ['public-domain'] : [],
  };
}

function listAnswer(args: Args): MockAnswer {
  if (args.list === 'offline') return 'offline';
  if (args.list === 'loading') return 'pending';
  if (args.list === 'missing') return { data: { groups: [] } };
  return { data: { groups: [group(args)] } };
}

function boardAnswer(args: Args): MockAnswer {
  if (args.board === 'empty') return { data: { threads: [], nextCursor: null } };
  const post = (id: string, author: string, body: string, extra: Partial<BoardThread> = {}): BoardThread => ({
    id,
    parentId: null,
    authorLabel: author,
    byModerator: false,
    mine: false,
    body,
    createdAt: minutes(-90),
    hidden: null,
    reportCount: 0,
    replies: [],
    ...extra,
  });
  const threads: BoardThread[] = [
    post('t1', 'Dr. Rivera', 'Welcome! If you cannot make it live, share how your week went here.', {
      byModerator: true,
      createdAt: minutes(-3 * 24 * 60),
      replies: [{ ...post('r1', 'Sunny', 'Thirty days today. The evening walks really help.'), parentId: 't1' }],
    }),
    post('t2', 'Maple', '<img src=x onerror=alert(1)> Does anyone have tips for weekends?'),
  ];
  if (args.board === 'moderated') {
    threads.unshift(post('t3', 'Anon', 'Selling pills, message me', { hidden: { at: minutes(-10), reason: 'Selling drugs' }, reportCount: 2 }));
  }
  return { data: { threads, nextCursor: null } };
}

/** Releases the `groups.join` answer a `join: 'held'` story holds back. */
let releaseHeldJoin: (() => void) | null = null;

function joinAnswer(args: Args): MockAnswer | Promise<MockAnswer> {
  if (args.join === 'held') {
    return new Promise((resolve) => {
      releaseHeldJoin = () => resolve(joinAnswer({ ...args, join: 'ok' }));
    });
  }
  if (args.join === 'full') return { error: { httpStatus: 409, code: 'CONFLICT', message: 'The room is full right now' } };
  if (args.join === 'removed') return { error: { httpStatus: 403, code: 'FORBIDDEN', message: REMOVED_FROM_SESSION_MESSAGE } };
  const result: JoinResult = {
    provider: 'jaas',
    domain: args.join === 'unavailable' ? 'blocked video domain' : STORY_DOMAIN,
    captions: true,
    publicTestRoom: false,
    roomName: 'care-0123456789abcdef01234567',
    jwt: null,
    displayName: args.moderator ? 'Dr. Rivera' : 'Quiet Fox',
    moderator: args.moderator,
    session: { start: minutes(-5), end: minutes(85) },
  };
  return { data: result };
}

const meta: Meta<Args> = {
  title: 'Client/Support room',
  component: 'care-support-room',
  args: { locale: 'en-US', theme: 'auto', dir: 'ltr', list: 'ready', join: 'ok', board: 'posts', moderator: false, signedIn: true, pollInterval: 0, lobby: 'none', danger: 'none' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    list: { control: 'select', options: ['guidelines', 'ready', 'closed', 'staff-public', 'public-test', 'no-video', 'offline', 'loading', 'missing'] },
    join: { control: 'select', options: ['ok', 'full', 'unavailable', 'removed', 'held'] },
    lobby: { control: 'select', options: ['none', 'waiting', 'knocking', 'removed'] },
    board: { control: 'select', options: ['posts', 'moderated', 'empty'] },
    pollInterval: { control: { type: 'number', min: 0 }, name: 'poll-interval (seconds)' },
    danger: { control: 'inline-radio', options: ['none', 'mine', 'moderation'] },
  },
  render: (args) => {
    StoryJitsiRoom.lobby = args.lobby;
    mockCareServer({
      'groups.roomParticipants': () => ({ data: { participants: [{ participantId: 'story-sunny', name: 'Sunny' }, { participantId: 'story-maple', name: 'Maple' }] } }),
      'groups.removeFromSession': () => ({ data: { groupId: 'story-group', participantId: 'story-sunny', until: minutes(85), created: true } }),
      'groups.list': () => listAnswer(args),
      'groups.messages': () => boardAnswer(args),
      'groups.join': () => joinAnswer(args),
      'groups.attendance': () => ({ data: { attendanceId: 'story-attendance' } }),
      'groups.feedback': () => ({ data: { saved: true } }),
      'groups.setAlias': () => ({ data: group({ ...args, list: 'ready' }).membership }),
      'groups.acceptGuidelines': () => ({ data: group({ ...args, list: 'ready' }).membership }),
      'groups.post': () => ({ data: { id: 'new', parentId: null, authorLabel: 'Quiet Fox', byModerator: false, mine: true, body: 'Hello', createdAt: minutes(0), hidden: null, reportCount: 0 } }),
      'groups.report': () => ({ data: { reported: true } }),
      'groups.dangerNotices': () => dangerAnswer(args),
      'groups.flagDanger': () => ({ data: { flagged: true, label: 'Maple', via: 'post' } }),
      'groups.dismissDangerNotice': () => ({ data: { dismissed: 1 } }),
      'crisis.resources': () => storyResources(),
      'groups.hide': () => ({ data: { id: 't2', parentId: null, authorLabel: 'Maple', byModerator: false, mine: false, body: '', createdAt: minutes(0), hidden: { at: minutes(0), reason: 'x' }, reportCount: 0 } }),
    });
    const token = args.signedIn ? mockToken(args.moderator ? 'story-moderator' : 'story-member', args.moderator ? 'clinician' : 'client') : '';
    return html`<care-support-room
      endpoint=${MOCK_ENDPOINT}
      token=${token}
      group="story-group"
      locale=${args.locale}
      theme=${args.theme}
      dir=${args.dir}
      poll-interval=${args.pollInterval}
    ></care-support-room>`;
  },
};
export default meta;

type Story = StoryObj<Args>;

const element = (canvas: HTMLElement) => canvas.querySelector('care-support-room') as CareSupportRoom;
const expectText = (text: string) => ({ expectText: text });

async function until(canvas: HTMLElement, check: (root: ShadowRoot) => boolean) {
  const el = element(canvas);
  for (let i = 0; i < 400 && !check(el.shadowRoot!); i++) await new Promise((r) => setTimeout(r, 20));
  await el.updateComplete;
}

/**
 * Joined: Jitsi said videoConferenceJoined (its announcement is in the live region). Until then the
 * room is still joining, and Leave cancels the join instead of asking about the session.
 */
const inSession = (canvas: HTMLElement) => until(canvas, (root) => (root.textContent ?? '').includes('You joined the session as'));

async function clickButton(canvas: HTMLElement, label: string) {
  await until(canvas, (root) => [...root.querySelectorAll('button')].some((b) => b.textContent?.trim() === label));
  const el = element(canvas);
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)?.click();
  await new Promise((r) => setTimeout(r, 60));
  await el.updateComplete;
}

export const Guidelines: Story = { args: { list: 'guidelines' }, parameters: expectText('I have read the guidelines and agree to follow them') };
export const GuidelinesMissingConsent: Story = {
  args: { list: 'guidelines' },
  parameters: expectText('Please tick the box to show you accept the guidelines.'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Accept and continue'),
};
export const ReadyToJoin: Story = { parameters: expectText('Join the session') };
export const ChangeAlias: Story = {
  parameters: expectText('Change how you appear'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Change'),
};
export const BeforeTheSession: Story = { args: { list: 'closed' }, parameters: expectText('The room opens 10 minutes before the session starts.') };
export const DeviceCheckBlocked: Story = {
  parameters: expectText('Choose “Allow” for the camera and the microphone.'),
  play: async ({ canvasElement }) => {
    const media = navigator.mediaDevices;
    const original = Object.getOwnPropertyDescriptor(media, 'getUserMedia');
    Object.defineProperty(media, 'getUserMedia', { configurable: true, value: () => Promise.reject(new DOMException('Blocked', 'NotAllowedError')) });
    try {
      await clickButton(canvasElement, 'Check my camera and microphone');
    } finally {
      if (original) Object.defineProperty(media, 'getUserMedia', original);
      else delete (media as unknown as Record<string, unknown>).getUserMedia;
    }
  },
};
export const InSession: Story = {
  parameters: expectText('You are in the session'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
export const InSessionModerator: Story = {
  args: { moderator: true },
  parameters: expectText('Mute everyone'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
export const ModeratorConfirmEnd: Story = {
  args: { moderator: true },
  parameters: expectText('End the session for everyone?'),
  play: async ({ canvasElement }) => {
    await clickButton(canvasElement, 'Join the session');
    await clickButton(canvasElement, 'End the session for everyone');
  },
};
export const VideoUnavailable: Story = {
  args: { join: 'unavailable' },
  parameters: expectText('The video room could not be loaded.'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
export const RoomFull: Story = {
  args: { join: 'full' },
  parameters: expectText('The room is full right now.'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
export const AfterTheSession: Story = {
  parameters: expectText('Was this session helpful?'),
  play: async ({ canvasElement }) => {
    await clickButton(canvasElement, 'Join the session');
    await inSession(canvasElement);
    await clickButton(canvasElement, 'Leave the session');
  },
};
/**
 * Leave while joining: the room's ticket (groups.join) has not come yet when the person presses
 * Leave. The join is cancelled: Join is back, and the live region says they left; the ticket that
 * comes afterwards opens no room.
 */
export const LeaveWhileJoining: Story = {
  args: { join: 'held' },
  parameters: expectText('You left the session.'),
  play: async ({ canvasElement }) => {
    await clickButton(canvasElement, 'Join the session');
    await until(canvasElement, (root) => root.querySelector('#live-title')?.textContent?.trim() === 'Joining the room…');
    await clickButton(canvasElement, 'Leave the session');
    releaseHeldJoin?.();
    releaseHeldJoin = null;
    await until(canvasElement, (root) => {
      const join = root.querySelector<HTMLButtonElement>('[part="join-button"]');
      return !!join && !join.disabled && join.textContent?.trim() === 'Join the session' && root.querySelector('[part="status"]')?.textContent === 'You left the session.';
    });
  },
};
export const FeedbackSent: Story = {
  parameters: expectText('Thank you. Your answer helps us improve the group.'),
  play: async ({ canvasElement }) => {
    await clickButton(canvasElement, 'Join the session');
    await inSession(canvasElement);
    await clickButton(canvasElement, 'Leave the session');
    await until(canvasElement, (root) => !!root.querySelector('input[name="rating"]'));
    element(canvasElement).shadowRoot!.querySelector<HTMLInputElement>('input[name="rating"][value="5"]')!.click();
    await clickButton(canvasElement, 'Send');
  },
};
export const BoardWithHostileText: Story = { parameters: expectText('<img src=x onerror=alert(1)> Does anyone have tips for weekends?') };
export const BoardEmpty: Story = { args: { board: 'empty' }, parameters: expectText('No messages yet.') };
export const BoardReporting: Story = {
  parameters: expectText('Why are you reporting this message?'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Report'),
};
export const ModeratorBoard: Story = {
  args: { moderator: true, board: 'moderated' },
  parameters: expectText('Hidden from members. Reason: Selling drugs'),
};
export const StaffPublicDomainNotice: Story = {
  args: { list: 'staff-public', moderator: true },
  parameters: expectText('For staff: this group’s video uses the public test service video.example.test'),
};
/** A group with no video provider: the board and the dial-in, no device check and no join button. */
export const NoVideoRoom: Story = { args: { list: 'no-video' }, parameters: expectText('This group has no video room. Join by phone, or take part on the group board below.') };
/** A group that opted in to the public test service: every member is told. */
export const PublicTestRoom: Story = { args: { list: 'public-test' }, parameters: expectText('This video room is a public test room') };
export const Loading: Story = { args: { list: 'loading' }, parameters: expectText('Loading your group…') };
export const Offline: Story = { args: { list: 'offline' }, parameters: expectText('You seem to be offline.') };
export const NotAMember: Story = { args: { list: 'missing' }, parameters: expectText('This group isn’t available to you.') };
export const NotConnected: Story = { args: { signedIn: false }, parameters: expectText('This widget is not connected to your clinic yet.') };
export const Spanish: Story = { args: { locale: 'es', list: 'guidelines' }, parameters: expectText('Normas del grupo') };
export const SpanishInSession: Story = {
  args: { locale: 'es-MX' },
  parameters: expectText('Está en la sesión'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Entrar a la sesión'),
};
export const RightToLeft: Story = { args: { dir: 'rtl' }, parameters: expectText('Join the session') };
export const Dark: Story = { args: { theme: 'dark', board: 'moderated', moderator: true }, parameters: expectText('Hidden from members. Reason: Selling drugs') };
/** A member waits in Jitsi's lobby until a moderator lets them in; the board stays below. */
export const WaitingInLobby: Story = {
  args: { lobby: 'waiting' },
  parameters: expectText('Waiting for a moderator to let you in.'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
/** A moderator with two people knocking (Admit / Reject) and two in the room, in one list (May be in danger / Remove for this session). */
export const ModeratorWithKnockers: Story = {
  args: { moderator: true, lobby: 'knocking' },
  parameters: expectText('Quiet Fox'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
/** The confirmation step before removing someone for the rest of the session. */
export const ModeratorConfirmRemove: Story = {
  args: { moderator: true, lobby: 'knocking' },
  parameters: expectText('Remove Sunny for the rest of this session?'),
  play: async ({ canvasElement }) => {
    await clickButton(canvasElement, 'Join the session');
    await clickButton(canvasElement, 'Remove for this session');
  },
};
/** A moderator flags someone from their one list of the room's people: the confirmation dialog. */
export const ModeratorFlagInRoom: Story = {
  args: { moderator: true, lobby: 'knocking' },
  parameters: expectText('Tell the care team that Sunny may be in danger?'),
  play: async ({ canvasElement }) => {
    await clickButton(canvasElement, 'Join the session');
    await until(canvasElement, (root) => !!root.querySelector('.people [data-flag="p-sunny"]'));
    element(canvasElement).shadowRoot!.querySelector<HTMLButtonElement>('.people [data-flag="p-sunny"]')!.click();
  },
};
/** Someone the room gives no name: listed as "Unnamed participant 1", with Remove only, and told what that removal can and cannot do. */
export const ModeratorUnnamedParticipant: Story = {
  args: { moderator: true, lobby: 'knocking' },
  parameters: expectText('They leave the room now. Because they have no name, we cannot tell which member they are'),
  play: async ({ canvasElement }) => {
    await clickButton(canvasElement, 'Join the session');
    await until(canvasElement, (root) => !!root.querySelector('.people [data-id="p-unnamed"]'));
    element(canvasElement).shadowRoot!.querySelector<HTMLButtonElement>('.people [data-id="p-unnamed"]')!.click();
  },
};
/** A member a moderator removed: told kindly in the room, which then closes. */
export const RemovedFromSession: Story = {
  args: { lobby: 'removed' },
  parameters: expectText('A moderator removed you from this session'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
/** The same member trying to join again before the session ends. */
export const RemovedJoinRefused: Story = {
  args: { join: 'removed' },
  parameters: expectText('A moderator removed you from this session. You can join the next session'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
/** Right to left, in Arabic: a moderator with people knocking. */
export const ModeratorWithKnockersArabic: Story = {
  args: { moderator: true, lobby: 'knocking', locale: 'ar', dir: 'rtl', board: 'empty' },
  parameters: expectText('غرفة الانتظار'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'الانضمام إلى الجلسة'),
};

/** In the room: crisis help sits before the video, with how its shortcut works around the video frame. */
export const InSessionCrisisHelp: Story = {
  parameters: expectText('Keys typed inside the video go to the video service'),
  play: ({ canvasElement }) => clickButton(canvasElement, 'Join the session'),
};
/** Flagging a post's author as maybe in danger: the confirmation dialog. */
export const FlagPostDialog: Story = {
  parameters: expectText('Tell the care team that Maple may be in danger?'),
  play: async ({ canvasElement }) => {
    await until(canvasElement, (root) => [...root.querySelectorAll('button')].some((b) => b.getAttribute('aria-label') === 'May be in danger: flag Maple'));
    [...element(canvasElement).shadowRoot!.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'May be in danger: flag Maple')!.click();
  },
};
/** The flagged person's private notice with their region's crisis lines (never who flagged them). */
export const FlaggedPersonResources: Story = { args: { danger: 'mine' }, parameters: expectText('Someone in your group is thinking of you') };
/** Moderators see the alias of a flagged member, nothing more. */
export const ModeratorDangerNotice: Story = { args: { danger: 'moderation', moderator: true }, parameters: expectText('Sunny was flagged from a post.') };
/** The private notice in Arabic, right to left. */
export const FlaggedPersonResourcesArabic: Story = { args: { danger: 'mine', locale: 'ar', dir: 'rtl' }, parameters: expectText('شخص في مجموعتك يفكر فيك') };
