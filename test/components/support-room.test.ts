import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { careServer, createGroup, ready, shadow, tokenFor, trpc, uid } from './helpers.js';

interface DoubleInstance {
  domain: string;
  options: {
    roomName: string;
    jwt?: string;
    lang: string;
    parentNode: HTMLElement;
    userInfo: { displayName: string };
    configOverwrite: Record<string, unknown>;
    interfaceConfigOverwrite: Record<string, unknown>;
  };
  commands: unknown[][];
  disposed: boolean;
  emit(event: string, payload: unknown): void;
}
declare global {
  interface Window {
    __jitsiDouble?: { instances: DoubleInstance[]; loads: number };
    __pwned?: unknown;
  }
}

const APP_SECRET = 'wtr-jitsi-secret-0123456789-abcdef';
let endpoint: string;
let domains: { ok: string; missing: string; hang: string };
let adminToken: string;


async function useVideoDomain(domain: string) {
  // A self-hosted Jitsi that declares a transcriber, so the room offers captions.
  await trpc('groups.setVideoConfig', { provider: 'self-hosted', domain, appId: 'care-wtr', appSecret: APP_SECRET, transcription: true }, adminToken);
}

/** `poll` is the board's `poll-interval`, in seconds (0, the default here, turns polling off). */
async function room(token: string, groupId: string, attrs: { locale?: string; timeout?: number; poll?: number } = {}) {
  const el = await fixture<CareSupportRoom>(html`
    <care-support-room
      endpoint=${endpoint}
      token=${token}
      group=${groupId}
      locale=${attrs.locale ?? 'en-US'}
      jitsi-scheme="http"
      script-timeout=${attrs.timeout ?? 5000}
      poll-interval=${attrs.poll ?? 0}
    ></care-support-room>
  `);
  return el;
}

const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');
async function waitForText(el: Element, wanted: string, timeout = 10000) {
  await waitUntil(() => text(el).includes(wanted), `waiting for "${wanted}" in: ${text(el).slice(0, 400)}`, { timeout });
}
function button(el: Element, label: string): HTMLButtonElement {
  const found = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === label);
  if (!found) throw new Error(`no button "${label}"`);
  return found;
}
/** The element that has focus, looking inside open shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function inViewport(el: Element): boolean {
  const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
}
const instances = () => window.__jitsiDouble?.instances ?? [];
const lastInstance = () => instances()[instances().length - 1]!;

before(async () => {
  ({ endpoint } = await careServer());
  domains = await executeServerCommand('jitsi-test-domain');
  adminToken = await tokenFor(uid('admin'), 'admin');
});
afterEach(() => fixtureCleanup());

describe('<care-support-room> before the session', () => {
  it('shows the group, the next session in the person’s time zone, and the guidelines; accepting with an alias unlocks joining', async () => {
    const { groupId, members } = await createGroup();
    const el = await room(await tokenFor(members[0]!), groupId);
    await waitForText(el, 'Thursday recovery circle');
    expect(text(el)).to.include('Happening now:');
    expect(text(el)).to.include('(your time)');
    expect(text(el)).to.include('Keep what is shared here private.');
    expect(shadow(el).querySelector('[part="join-button"]'), 'no join before guidelines').to.equal(null);
    expect(shadow(el).querySelector('[part="board"]'), 'no board before guidelines').to.equal(null);
    await expect(el).to.be.accessible();

    // Submitting without ticking the box says what is missing and moves focus there.
    const alias = shadow(el).querySelector<HTMLInputElement>('#alias')!;
    alias.value = 'Blue Heron';
    alias.dispatchEvent(new Event('input'));
    shadow(el).querySelector<HTMLButtonElement>('.guidelines button[type="submit"]')!.click();
    await waitForText(el, 'Please tick the box');
    expect(shadow(el).activeElement?.id).to.equal('accept');

    const accepted = oneEvent(el, 'care-guidelines-accepted');
    shadow(el).querySelector<HTMLInputElement>('#accept')!.click();
    shadow(el).querySelector<HTMLButtonElement>('.guidelines button[type="submit"]')!.click();
    const { detail } = await accepted;
    expect(detail).to.deep.equal({ groupId, version: 1, displayName: 'Blue Heron' });
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'), 'join button after acceptance');
    expect(text(el)).to.include('You appear as Blue Heron.');
    await waitUntil(() => shadow(el).querySelector('[part="board"]'), 'the board (its code loads once the person may see it)');
    await expect(el).to.be.accessible();
  });

  it('counts down with seconds, or only whole minutes when reduced motion is asked for', async () => {
    const { groupId, members } = await createGroup({ offsetMinutes: 30 });
    const token = await ready(groupId, members[0]!, 'Cedar');
    try {
      await emulateMedia({ reducedMotion: 'no-preference' });
      const el = await room(token, groupId);
      await waitForText(el, 'Starts in');
      const countdown = () => shadow(el).querySelector('[part="countdown"]')!.textContent;
      expect(countdown()).to.match(/Starts in 2\d minutes, \d+ seconds?/);
      expect(text(el)).to.include('The room opens 10 minutes before');
      fixtureCleanup();
      await emulateMedia({ reducedMotion: 'reduce' });
      const calm = await room(token, groupId);
      await waitForText(calm, 'Starts in');
      expect(shadow(calm).querySelector('[part="countdown"]')!.textContent).to.match(/Starts in (29|30) minutes\s*$/);
      expect(shadow(calm).querySelector('[part="countdown"]')!.getAttribute('role')).to.equal('timer');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('explains in plain words what to do when the browser blocks the camera and microphone', async () => {
    const { groupId, members } = await createGroup();
    const token = await ready(groupId, members[0]!, 'Willow');
    const media = navigator.mediaDevices;
    const original = Object.getOwnPropertyDescriptor(media, 'getUserMedia');
    Object.defineProperty(media, 'getUserMedia', {
      configurable: true,
      value: () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
    });
    try {
      const el = await room(token, groupId);
      await waitForText(el, 'Check my camera and microphone');
      button(el, 'Check my camera and microphone').click();
      await waitForText(el, 'Your browser is not allowing the camera or microphone.');
      expect(text(el)).to.include('Choose “Allow” for the camera and the microphone.');
      await waitUntil(() => shadow(el).querySelector('[role="status"]')!.textContent.includes('not allowing'));
      await expect(el).to.be.accessible();
    } finally {
      if (original) Object.defineProperty(media, 'getUserMedia', original);
      else delete (media as unknown as Record<string, unknown>).getUserMedia;
    }
  });

  it('asks the server for its own group only, not every group of the person', async () => {
    const { groupId, members } = await createGroup();
    const token = await tokenFor(members[0]!);
    const original = window.fetch;
    const listInputs: unknown[] = [];
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
      const paths = url.pathname.split('/trpc/')[1]?.split(',') ?? [];
      // A batched GET carries its inputs as {"<index>": input} in the input parameter.
      const inputs = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<string, unknown>;
      paths.forEach((path, i) => {
        if (path === 'groups.list') listInputs.push(inputs[String(i)]);
      });
      return original(input, init);
    };
    try {
      const el = await room(token, groupId);
      await waitForText(el, 'Thursday recovery circle');
    } finally {
      window.fetch = original;
    }
    expect(listInputs).to.deep.equal([{ groupId }]);
  });

  it('tells a person outside the group that it is not available to them', async () => {
    const { groupId } = await createGroup();
    const el = await room(await tokenFor(uid('outsider')), groupId);
    await waitForText(el, 'This group isn’t available to you.');
    await expect(el).to.be.accessible();
  });
});

describe('<care-support-room> loading the video service', () => {
  it('shows a clear error when external_api.js cannot be loaded, and constructs nothing', async () => {
    await useVideoDomain(domains.missing);
    const { groupId, members } = await createGroup();
    const el = await room(await ready(groupId, members[0]!, 'Aspen'), groupId);
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'));
    const before = instances().length;
    const failed = oneEvent(el, 'care-error');
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    const { detail } = await failed;
    expect(detail.kind).to.equal('video-unavailable');
    expect(detail.reason).to.equal('failed');
    await waitForText(el, 'The video room could not be loaded.');
    expect(text(el)).to.include('join by phone, or post on the group board');
    expect(instances().length).to.equal(before);
    expect(shadow(el).querySelector('[part="join-button"]')!.textContent).to.include('Try joining again');
    await expect(el).to.be.accessible();
  });

  it('moves focus to the message and scrolls it into view when joining the video fails below the fold', async () => {
    await setViewport({ width: 1280, height: 900 });
    await useVideoDomain(domains.missing);
    const { groupId, members } = await createGroup();
    const token = await ready(groupId, members[0]!, 'Cedar');
    const page = await fixture<HTMLElement>(html`
      <div>
        <div style="block-size: 1400px">Portal content above the room</div>
        <care-support-room endpoint=${endpoint} token=${token} group=${groupId} locale="en-US" jitsi-scheme="http" poll-interval="0"></care-support-room>
      </div>
    `);
    const el = page.querySelector('care-support-room')!;
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'));
    const join = shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!;
    join.scrollIntoView();
    const failed = oneEvent(el, 'care-error');
    join.click();
    await failed;
    await waitForText(el, 'The video room could not be loaded.');
    await waitUntil(() => deepActive() !== document.body && deepActive()?.textContent?.includes('could not be loaded'), 'focus on the message');
    await waitUntil(() => inViewport(deepActive()!), 'message in view');
  });

  it('gives up after script-timeout when the script never arrives, and lets the person try again', async () => {
    await useVideoDomain(domains.hang);
    const { groupId, members } = await createGroup();
    const el = await room(await ready(groupId, members[0]!, 'Birch'), groupId, { timeout: 400 });
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'));
    const started = Date.now();
    const failed = oneEvent(el, 'care-error');
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    const { detail } = await failed;
    expect(detail.reason).to.equal('timeout');
    expect(Date.now() - started).to.be.within(350, 4000);
    await waitForText(el, 'The video room is taking too long to load.');
    // The failed load is forgotten: the next attempt fetches again rather than reusing the failure.
    const again = oneEvent(el, 'care-error');
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    expect((await again).detail.reason).to.equal('timeout');
  });
});

describe('<care-support-room> in the session', () => {
  before(async () => {
    await useVideoDomain(domains.ok);
  });

  it('creates the Jitsi room inside its shadow root with the room, token, language and alias, and mirrors its events', async () => {
    const { groupId, members } = await createGroup();
    const member = members[0]!;
    const el = await room(await ready(groupId, member, 'Quiet Fox'), groupId);
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'));
    const joinedEvent = oneEvent(el, 'care-room-joined');
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    const joined = await joinedEvent;

    const api = lastInstance();
    expect(api.domain).to.equal(domains.ok);
    expect(api.options.userInfo.displayName).to.equal('Quiet Fox');
    expect(api.options.lang).to.equal('en');
    expect(api.options.roomName).to.match(/^care-[0-9a-f]{24}$/);
    expect(api.options.parentNode.getRootNode()).to.equal(el.shadowRoot);
    expect(shadow(el).querySelector('.video iframe')).to.not.equal(null);
    expect(api.options.configOverwrite.transcription).to.deep.include({ enabled: true });
    expect(api.options.configOverwrite.toolbarButtons).to.include('closedcaptions');
    expect(api.options.configOverwrite.toolbarButtons).to.not.include('mute-everyone');
    const claims = JSON.parse(atob(api.options.jwt!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
      aud: string;
      iss: string;
      sub: string;
      room: string;
      context: { user: { name: string; moderator: string } };
    };
    expect(claims).to.deep.include({ aud: 'jitsi', iss: 'care-wtr', sub: domains.ok, room: api.options.roomName });
    expect(claims.context.user).to.deep.include({ name: 'Quiet Fox', moderator: 'false' });
    expect(joined.detail).to.deep.equal({ groupId, roomName: api.options.roomName, displayName: 'Quiet Fox' });
    await waitUntil(() => shadow(el).querySelector('[role="status"]')!.textContent.includes('You joined the session as Quiet Fox.'));

    const participantJoined = oneEvent(el, 'care-participant-joined');
    api.emit('participantJoined', { id: 'p2', displayName: 'Sunny' });
    expect((await participantJoined).detail).to.deep.equal({ id: 'p2', displayName: 'Sunny' });
    const participantLeft = oneEvent(el, 'care-participant-left');
    api.emit('participantLeft', { id: 'p2' });
    expect((await participantLeft).detail).to.deep.equal({ id: 'p2' });
    await expect(el).to.be.accessible();

    const left = oneEvent(el, 'care-room-left');
    const closed = oneEvent(el, 'care-room-ready-to-close');
    button(el, 'Leave the session').click();
    await left;
    await closed;
    expect(api.commands.map((c) => c[0])).to.include('hangup');
    expect(api.disposed).to.equal(true);
    expect(shadow(el).querySelector('.video')).to.equal(null);

    // After: the one-question feedback prompt; attendance counts in progress.summary.
    await waitForText(el, 'Was this session helpful?');
    expect(shadow(el).activeElement?.id).to.equal('feedback-title');
    await expect(el).to.be.accessible();
    shadow(el).querySelector<HTMLInputElement>('input[name="rating"][value="4"]')!.click();
    const feedback = oneEvent(el, 'care-feedback');
    button(el, 'Send').click();
    expect((await feedback).detail).to.deep.equal({ groupId, rating: 4 });
    await waitForText(el, 'Thank you. Your answer helps us improve the group.');
    const summary = await trpc<{ sessionsAttended: { group: number } }>('progress.summary', undefined, await tokenFor(member), 'query');
    expect(summary.sessionsAttended.group).to.equal(1);
  });

  it('records that the person left when the page goes away mid-session (keepalive request)', async () => {
    const { groupId, members } = await createGroup();
    const el = await room(await ready(groupId, members[0]!, 'Still Lake'), groupId);
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'));
    const calls: { url: string; init: RequestInit | undefined; status: number; body: unknown }[] = [];
    const realFetch = window.fetch;
    window.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('groups.attendance')) calls.push({ url, init, status: response.status, body: await response.clone().json() });
      return response;
    };
    try {
      const joined = oneEvent(el, 'care-room-joined');
      shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
      await joined;
      await waitUntil(() => calls.length === 1, 'attendance recorded on joining', { timeout: 5000 });
      // The widget keeps the attendance id once its own read of the answer is done, which can be a
      // task after this wrapper's read of the clone: a page that goes away before then has nothing to close.
      await waitUntil(
        () => {
          if (calls.length === 1) window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
          return calls.length === 2;
        },
        'attendance closed as the page goes away',
        { timeout: 5000 },
      );
      const [joinedCall, leftCall] = calls as [(typeof calls)[0], (typeof calls)[0]];
      const attendanceId = (joinedCall.body as [{ result: { data: { attendanceId: string } } }])[0].result.data.attendanceId;
      expect(leftCall.init?.keepalive).to.equal(true);
      expect(JSON.parse(leftCall.init?.body as string)).to.deep.equal({ groupId, event: 'left', attendanceId });
      expect(leftCall.status).to.equal(200);
      expect(leftCall.body).to.deep.equal({ result: { data: { attendanceId } } });
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls, 'only once').to.have.length(2);
    } finally {
      window.fetch = realFetch;
      el.remove();
    }
  });

  it('loads external_api.js once per domain, and passes the UI language from the locale', async () => {
    const loads = window.__jitsiDouble!.loads;
    const { groupId, members } = await createGroup();
    const el = await room(await ready(groupId, members[0]!, 'Roble'), groupId, { locale: 'es-MX' });
    await waitForText(el, 'Entrar a la sesión');
    const joined = oneEvent(el, 'care-room-joined');
    button(el, 'Entrar a la sesión').click();
    await joined;
    expect(lastInstance().options.lang).to.equal('es');
    expect(lastInstance().options.userInfo.displayName).to.equal('Roble');
    expect(window.__jitsiDouble!.loads).to.equal(loads);
    await waitForText(el, 'Salir de la sesión');
    el.leave();
    await waitForText(el, '¿Le ayudó esta sesión?');
  });

  it('gives moderators mute everyone and end the session for everyone', async () => {
    const { groupId, moderator } = await createGroup();
    const el = await room(await tokenFor(moderator, 'clinician'), groupId);
    await waitUntil(() => shadow(el).querySelector('[part="join-button"]'));
    const joined = oneEvent(el, 'care-room-joined');
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    await joined;
    const api = lastInstance();
    expect(api.options.configOverwrite.toolbarButtons).to.include('mute-everyone');
    const claims = JSON.parse(atob(api.options.jwt!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { context: { user: { moderator: string } } };
    expect(claims.context.user.moderator).to.equal('true');

    button(el, 'Mute everyone').click();
    expect(api.commands).to.deep.include(['muteEveryone', 'audio']);
    button(el, 'End the session for everyone').click();
    await expect(el).to.be.accessible();
    const closed = oneEvent(el, 'care-room-ready-to-close');
    button(el, 'Yes, end it').click();
    await closed;
    expect(api.commands.map((c) => c[0])).to.include.members(['endConference', 'hangup']);
  });
});

describe('<care-support-room> group board', () => {
  it('renders hostile text inert, lets members report, and moderators hide a post with a reason members then never see', async () => {
    const { groupId, members, moderator } = await createGroup({ members: 2 });
    const author = await room(await ready(groupId, members[0]!, 'Mallory'), groupId);
    await waitForText(author, 'No messages yet.');
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const box = shadow(author).querySelector<HTMLTextAreaElement>('#new-post')!;
    box.value = hostile;
    box.dispatchEvent(new Event('input'));
    const posted = oneEvent(author, 'care-posted');
    button(author, 'Post message').click();
    const { detail } = await posted;
    await waitForText(author, hostile);
    expect(shadow(author).querySelector('.post img, .post script')).to.equal(null);
    expect(window.__pwned).to.equal(undefined);
    fixtureCleanup();

    const reader = await room(await ready(groupId, members[1]!, 'Reader'), groupId, { poll: 1 });
    await waitForText(reader, hostile);
    expect(text(reader)).to.include('Mallory');
    button(reader, 'Report').click();
    await reader.updateComplete;
    shadow(reader).querySelector<HTMLSelectElement>('select')!.value = 'spam';
    shadow(reader).querySelector<HTMLSelectElement>('select')!.dispatchEvent(new Event('change'));
    button(reader, 'Send report').click();
    await waitUntil(() => shadow(reader).querySelector('[role="status"]')!.textContent.includes('A moderator will look at it.'));

    const mod = await room(await tokenFor(moderator, 'clinician'), groupId);
    await waitForText(mod, 'Reported by 1 member');
    button(mod, 'Hide').click();
    await mod.updateComplete;
    await waitUntil(() => deepActive()?.id === `hide-${detail.post.id}`, 'focus on the reason field');
    await waitUntil(() => inViewport(deepActive()!), 'reason field in view');
    button(mod, 'Hide message').click();
    await waitForText(mod, 'Please give a reason of at least 3 characters.');
    const reason = shadow(mod).querySelector<HTMLInputElement>(`#hide-${detail.post.id}`)!;
    reason.value = 'Unsafe link';
    reason.dispatchEvent(new Event('input'));
    button(mod, 'Hide message').click();
    await waitForText(mod, 'Hidden from members. Reason: Unsafe link');
    await expect(mod).to.be.accessible();

    // The member's board updates by itself and the hidden post is gone.
    await waitUntil(() => !text(reader).includes(hostile), 'hidden post leaves the member board', { timeout: 5000 });
    await waitForText(reader, 'No messages yet.');
  });
});

describe('<care-support-room> parts of the board', () => {
  it('lets a host page style the board through the room’s ::part names (board, post)', async () => {
    const { groupId, members } = await createGroup({ offsetMinutes: 3 * 24 * 60 });
    const token = await ready(groupId, members[0]!, 'Painter');
    await trpc('groups.post', { groupId, body: 'Styled from outside.' }, token);
    const style = document.createElement('style');
    style.textContent = 'care-support-room::part(board) { outline: 3px solid rgb(1, 2, 3); } care-support-room::part(post) { outline: 2px solid rgb(4, 5, 6); }';
    document.head.append(style);
    try {
      const el = await room(token, groupId);
      await waitForText(el, 'Styled from outside.');
      expect(getComputedStyle(shadow(el).querySelector('[part="board"]')!).outlineColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(shadow(el).querySelector('[part="post"]')!).outlineColor).to.equal('rgb(4, 5, 6)');
    } finally {
      style.remove();
    }
  });
});

describe('<care-support-room> poll-interval', () => {
  async function boardPolls(el: CareSupportRoom): Promise<number> {
    await waitUntil(() => shadow(el).querySelector('care-group-board'), 'the board element');
    return (shadow(el).querySelector('care-group-board') as HTMLElement & { pollInterval: number }).pollInterval;
  }

  it('is in seconds, like <care-alerts>: poll-interval="30" polls the board every 30 seconds, without a warning', async () => {
    const { groupId, members } = await createGroup({ offsetMinutes: 3 * 24 * 60 });
    const token = await ready(groupId, members[0]!, 'Seconds');
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const el = await room(token, groupId, { poll: 30 });
      expect(el.pollInterval).to.equal(30);
      expect(await boardPolls(el)).to.equal(30);
    } finally {
      console.warn = warn;
    }
    expect(warnings.filter((w) => String(w[0]).includes('poll-interval'))).to.deep.equal([]);
  });

  it('still reads the old millisecond form (1000 or more) for one release, warning once that the unit is now seconds', async () => {
    const { groupId, members } = await createGroup({ offsetMinutes: 3 * 24 * 60 });
    const token = await ready(groupId, members[0]!, 'Legacy');
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const el = await room(token, groupId, { poll: 15000 });
      expect(await boardPolls(el)).to.equal(15);
      el.setAttribute('poll-interval', '20000');
      await el.updateComplete;
      expect(await boardPolls(el)).to.equal(20);
    } finally {
      console.warn = warn;
    }
    const about = warnings.filter((w) => String(w[0]).includes('poll-interval'));
    expect(about, 'one warning').to.have.length(1);
    expect(String(about[0]![0])).to.include('seconds');
    expect(String(about[0]![0])).to.include('poll-interval="15"');
  });
});

describe('<care-support-room> for TypeScript hosts', () => {
  it('declares its events in GlobalEventHandlersEventMap, so handlers get typed details', () => {
    const el = document.createElement('care-support-room');
    const seen: string[] = [];
    // These lines compile only because events.ts declares the events' details.
    el.addEventListener('care-room-joined', (e) => seen.push(e.detail.roomName));
    el.addEventListener('care-feedback', (e) => seen.push(String(e.detail.rating)));
    el.addEventListener('care-posted', (e) => seen.push(e.detail.post.id));
    el.dispatchEvent(new CustomEvent('care-room-joined', { detail: { groupId: 'g', roomName: 'care-room', displayName: 'Fox' } }));
    el.dispatchEvent(new CustomEvent('care-feedback', { detail: { groupId: 'g', rating: 4 } }));
    expect(seen).to.deep.equal(['care-room', '4']);
  });
});
