import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../components/index.js';
import { registerJitsiApi, type JitsiMeetOptions } from '../../components/support-room/index.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { careServer, createGroup, ready, shadow, tokenFor, trpc, uid } from './helpers.js';

/**
 * The room's video lifecycle (its RoomController) with a Jitsi that never says `readyToClose`:
 * the room must close by itself after leaving, and let go of the video when it leaves the page.
 */
class SilentJitsi {
  static last: SilentJitsi | null = null;
  readonly commands: string[] = [];
  disposed = false;
  private readonly listeners = new Map<string, ((payload: unknown) => void)[]>();
  constructor(_domain: string, readonly options: JitsiMeetOptions) {
    SilentJitsi.last = this;
    setTimeout(() => this.emit('videoConferenceJoined', { roomName: options.roomName }), 10);
  }
  addListener(event: string, listener: (payload: unknown) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, payload: unknown) {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
  executeCommand(command: string) {
    this.commands.push(command);
    // Leaves the conference but never sends readyToClose.
    if (command === 'hangup') setTimeout(() => this.emit('videoConferenceLeft', {}), 10);
  }
  dispose() {
    this.disposed = true;
  }
}

let endpoint: string;
let domains: { ok: string; slow: string };
let adminToken: string;
const SECRET = 'wtr-jitsi-secret-0123456789-abcdef';

before(async () => {
  ({ endpoint } = await careServer());
  domains = await executeServerCommand('jitsi-test-domain');
  adminToken = await tokenFor(uid('admin'), 'admin');
  await trpc('groups.setVideoConfig', { domain: domains.ok, appId: 'care-wtr', appSecret: SECRET }, adminToken);
  registerJitsiApi(domains.ok, SilentJitsi, 'http');
});
afterEach(() => fixtureCleanup());

async function joinedRoom(alias: string) {
  const { groupId, members } = await createGroup();
  const token = await ready(groupId, members[0]!, alias);
  const el = await fixture<CareSupportRoom>(html`
    <care-support-room endpoint=${endpoint} token=${token} group=${groupId} locale="en-US" jitsi-scheme="http" poll-interval="0"></care-support-room>
  `);
  await waitUntil(() => shadow(el).querySelector('[part="join-button"]'), 'join button', { timeout: 10000 });
  const joined = oneEvent(el, 'care-room-joined');
  shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
  await joined;
  return { el, groupId, member: members[0]!, video: SilentJitsi.last! };
}

describe('<care-support-room> video lifecycle', () => {
  it('closes the room by itself about 3 seconds after leaving when Jitsi never says readyToClose', async () => {
    const { el, member, video } = await joinedRoom('Slow Heron');
    let readyToClose = false;
    el.addEventListener('care-room-ready-to-close', () => (readyToClose = true));
    const left = oneEvent(el, 'care-room-left');
    const started = Date.now();
    el.leave();
    await left;
    expect(video.commands).to.include('hangup');
    await waitUntil(() => shadow(el).querySelector('.feedback'), 'the feedback prompt', { timeout: 6000 });
    expect(Date.now() - started).to.be.within(2500, 5000);
    expect(video.disposed).to.equal(true);
    expect(readyToClose, 'no readyToClose came, none is mirrored').to.equal(false);
    expect(shadow(el).activeElement?.id).to.equal('feedback-title');
    await waitUntil(async () => {
      const summary = await trpc<{ sessionsAttended: { group: number } }>('progress.summary', undefined, await tokenFor(member), 'query');
      return summary.sessionsAttended.group === 1;
    }, 'attendance recorded');
  });

  it('lets go of the video and records that the person left when the room is removed mid-session', async () => {
    const bodies: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('groups.attendance')) bodies.push(typeof init?.body === 'string' ? init.body : '');
      return realFetch(input, init);
    };
    try {
      const { el, video } = await joinedRoom('Gone Owl');
      await waitUntil(() => bodies.length === 1, 'attendance recorded on joining', { timeout: 5000 });
      // Let the joined request come back with its attendanceId.
      await new Promise((resolve) => setTimeout(resolve, 500));
      el.remove();
      expect(video.disposed).to.equal(true);
      await waitUntil(() => bodies.length === 2, 'attendance closed as the room goes away', { timeout: 5000 });
      expect(bodies[1]).to.include('"left"');
    } finally {
      window.fetch = realFetch;
    }
  });
});

describe('<care-support-room> Leave while joining', () => {
  /** What the external_api.js double records once its script ran on the page. */
  const double = () => (window as unknown as { __jitsiDouble?: { loads: number; instances: unknown[] } }).__jitsiDouble;

  it('cancels the join: back at Join at once, the leave announced, no feedback asked, and no room opens when Jitsi’s script arrives', async () => {
    const { groupId, members } = await createGroup();
    // Jitsi's script for this group's domain is held by the test server until the test releases it.
    await trpc('groups.setVideoConfig', { groupId, provider: 'self-hosted', domain: domains.slow, appId: 'care-wtr', appSecret: SECRET }, adminToken);
    const member = members[0]!;
    const token = await ready(groupId, member, 'Late Wren');
    const el = await fixture<CareSupportRoom>(html`
      <care-support-room endpoint=${endpoint} token=${token} group=${groupId} locale="en-US" jitsi-scheme="http" poll-interval="0"></care-support-room>
    `);
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'), 'join button', { timeout: 10000 });
    const events: string[] = [];
    const left: { groupId: string; roomName: string }[] = [];
    el.addEventListener('care-room-joined', () => events.push('joined'));
    el.addEventListener('care-room-left', (e) => {
      events.push('left');
      left.push(e.detail);
    });

    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    await waitUntil(() => document.head.querySelector(`script[src^="http://${domains.slow}/"]`), 'Jitsi’s script requested', { timeout: 10000 });
    expect(shadow(el).textContent).to.include('Joining the room…');
    const leave = [...shadow(el).querySelectorAll<HTMLButtonElement>('[part="controls"] button')].find((b) => b.textContent?.trim() === 'Leave the session')!;
    leave.click();

    await waitUntil(() => events.includes('left'), 'care-room-left, as after a leave', { timeout: 3000 });
    expect(left[0]!.groupId).to.equal(groupId);
    expect(left[0]!.roomName).to.be.a('string').and.not.equal('');
    // Never in the session: no question about it, and Join is there again, with focus.
    await waitUntil(() => shadow(el).activeElement === shadow(el).querySelector('[part="join-button"]'), 'back at Join, focused', { timeout: 3000 });
    expect(shadow(el).querySelector('.feedback'), 'no feedback about a session never joined').to.equal(null);
    await waitUntil(() => shadow(el).querySelector('[role="status"]')!.textContent?.includes('You left the session.'), 'the leave announced');
    expect(shadow(el).querySelector('.video'), 'no video box').to.equal(null);

    // The script arrives after all: the cancelled join must not open the room.
    await executeServerCommand('jitsi-test-domain-release');
    await waitUntil(() => double()?.loads, 'Jitsi’s script ran', { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await el.updateComplete;
    expect(double()!.instances, 'no room was created').to.have.length(0);
    expect(shadow(el).querySelector('iframe'), 'no video iframe').to.equal(null);
    expect(shadow(el).querySelector('[part="join-button"]'), 'still back at Join').to.not.equal(null);
    expect(events).to.deep.equal(['left']);
    const summary = await trpc<{ sessionsAttended: { group: number } }>('progress.summary', undefined, await tokenFor(member), 'query');
    expect(summary.sessionsAttended.group, 'no attendance recorded').to.equal(0);
  });
});
