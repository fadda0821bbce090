import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import { jitsiScriptUrl, registerJitsiApi, type JitsiMeetConstructor } from '../../components/support-room/index.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { createGroup, ready, shadow, tokenFor, trpc, uid } from './helpers.js';
import { jitsiPage as page, lastRoom as last, roomText as text, rsaPem, withJitsiDouble, type DoubleInstance, type TestDomains } from './jitsi-double.js';

/**
 * The lobby and removing someone for the session (issue 19, item 2), with the external_api.js double:
 * the moderator's room turns the lobby on, knocks are listed and announced, Admit/Reject and
 * Remove send the IFrame API commands a real room takes (recorded by the double), a removal goes
 * through the server (which then refuses that member a room token), and members see the waiting
 * and removed states. Also JaaS's per-app script URL.
 */
/** The lobby's waiting room holds videoConferenceJoined until the test lets the member in. */
interface WaitingInstance extends DoubleInstance {
  holdJoin?: boolean;
}
const status = (el: Element) => shadow(el).querySelector('[role="status"]')!.textContent ?? '';
const WAIT_DOMAIN = 'lobby-wait.example';
const SECRET = 'wtr-lobby-secret-0123456789-abcdef';

let endpoint: string;
let domains: TestDomains;
let adminToken: string;

before(async () => {
  ({ endpoint, domains, adminToken } = await withJitsiDouble());
  // A room whose member waits in Jitsi's lobby: videoConferenceJoined comes only when let in (the test releases it).
  const Double = page.JitsiMeetExternalAPI as unknown as new (domain: string, options: unknown) => WaitingInstance;
  class WaitingRoom extends Double {
    constructor(domain: string, options: unknown) {
      super(domain, options);
      this.holdJoin = true;
    }
    override emit(event: string, payload: unknown) {
      if (event === 'videoConferenceJoined' && this.holdJoin) return;
      super.emit(event, payload);
    }
  }
  registerJitsiApi(WAIT_DOMAIN, WaitingRoom as unknown as JitsiMeetConstructor);
});
afterEach(() => fixtureCleanup());

async function setUp(domain = domains.ok) {
  const { groupId, moderator, members } = await createGroup({ members: 2 });
  await trpc('groups.setVideoConfig', { groupId, provider: 'self-hosted', domain, appId: 'care-wtr', appSecret: SECRET }, adminToken);
  const river = await ready(groupId, members[0]!, 'River');
  const cedar = await ready(groupId, members[1]!, 'Cedar');
  return { groupId, modToken: await tokenFor(moderator, 'clinician'), river, cedar };
}

async function room(token: string, groupId: string, locale = 'en-US') {
  const el = await fixture<CareSupportRoom>(html`
    <care-support-room endpoint=${endpoint} token=${token} group=${groupId} locale=${locale} jitsi-scheme="http" poll-interval="0"></care-support-room>
  `);
  await waitUntil(() => shadow(el).querySelector('[part="join-button"]'), 'join button', { timeout: 10000 });
  return el;
}

async function join(el: CareSupportRoom, { waitJoined = true } = {}): Promise<WaitingInstance> {
  const joined = waitJoined ? oneEvent(el, 'care-room-joined') : null;
  const count = page.__jitsiDouble.instances.length;
  shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
  if (joined) await joined;
  else await waitUntil(() => page.__jitsiDouble.instances.length > count, 'the room', { timeout: 10000 });
  return last();
}

describe('<care-support-room> lobby: the moderator', () => {
  it('turns the lobby on, lists and announces each knock, and Admit/Reject answer it from the keyboard', async () => {
    const { groupId, modToken } = await setUp();
    const el = await room(modToken, groupId);
    const api = await join(el);
    await waitUntil(() => api.commands.some((c) => c[0] === 'toggleLobby'), 'toggleLobby');
    expect(api.commands.find((c) => c[0] === 'toggleLobby')).to.deep.equal(['toggleLobby', true]);
    await waitUntil(() => text(el).includes('The lobby is on'), 'lobby on');

    api.emit('knockingParticipant', { participant: { id: 'k-river', name: 'River' } });
    api.emit('knockingParticipant', { participant: { id: 'k-cedar', name: 'Cedar' } });
    await waitUntil(() => shadow(el).querySelectorAll('.knockers li').length === 2, 'two knocks');
    await waitUntil(() => status(el).includes('Cedar is waiting in the lobby.'), 'announced');
    await expect(el).to.be.accessible();

    // Keyboard only: focus Admit for River and press Enter; focus moves to the next Admit.
    shadow(el).querySelector<HTMLButtonElement>('.knockers .admit')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => api.commands.some((c) => c[0] === 'answerKnockingParticipant'), 'answered');
    expect(api.commands.filter((c) => c[0] === 'answerKnockingParticipant')).to.deep.equal([['answerKnockingParticipant', 'k-river', true]]);
    await waitUntil(() => status(el).includes('You let River in.'), 'announced');
    await waitUntil(() => shadow(el).activeElement?.classList.contains('admit'), 'focus on the next Admit');
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement?.classList.contains('reject')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => api.commands.filter((c) => c[0] === 'answerKnockingParticipant').length === 2, 'rejected');
    expect(api.commands.filter((c) => c[0] === 'answerKnockingParticipant')[1]).to.deep.equal(['answerKnockingParticipant', 'k-cedar', false]);
    expect(text(el)).to.include('No one is waiting.');
  });

  it('removes a member for the session after confirming: the server records it, the room kicks them, and their next join is refused', async () => {
    const { groupId, modToken, river } = await setUp();
    const el = await room(modToken, groupId);
    const api = await join(el);
    api.emit('participantJoined', { id: 'p-river', displayName: 'River' });
    api.emit('participantJoined', { id: 'p-cedar', displayName: 'Cedar' });
    await waitUntil(() => shadow(el).querySelectorAll('.people li').length === 2, 'two people');

    // Asking is not doing: the confirmation opens with focus in the reason field; Cancel changes nothing.
    shadow(el).querySelector<HTMLButtonElement>('.people [data-id="p-river"]')!.click();
    await waitUntil(() => shadow(el).activeElement?.id === 'remove-reason', 'focus on the reason');
    expect(text(el)).to.include('Remove River for the rest of this session?');
    await expect(el).to.be.accessible();
    shadow(el).querySelector<HTMLButtonElement>('.confirm-no')!.click();
    await waitUntil(() => !shadow(el).querySelector('.confirm-remove'), 'closed');
    expect(api.commands.some((c) => c[0] === 'kickParticipant')).to.equal(false);

    shadow(el).querySelector<HTMLButtonElement>('.people [data-id="p-river"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(el).activeElement?.id === 'remove-reason', 'focus on the reason');
    await sendKeys({ type: 'Shared a phone number' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => api.commands.some((c) => c[0] === 'kickParticipant'), 'kicked', { timeout: 10000 });
    expect(api.commands.find((c) => c[0] === 'kickParticipant')).to.deep.equal(['kickParticipant', 'p-river']);
    await waitUntil(() => status(el).includes('River was removed for the rest of this session.'), 'announced');
    await waitUntil(() => shadow(el).querySelectorAll('.people li').length === 1, 'River left the list');

    let refusal = '';
    try {
      await trpc('groups.join', { groupId }, river);
    } catch (error) {
      refusal = String(error);
    }
    expect(refusal).to.include('removed you from this session');
  });

  it('has one list of the people in the room, each with "may be in danger" and Remove, usable from the keyboard', async () => {
    const { groupId, modToken } = await setUp();
    const el = await room(modToken, groupId);
    const api = await join(el);
    api.emit('participantJoined', { id: 'p-river', displayName: 'River' });
    api.emit('participantJoined', { id: 'p-cedar', displayName: 'Cedar' });
    await waitUntil(() => shadow(el).querySelectorAll('.people li').length === 2, 'two people');
    // The flag dialog's code is here (its <dialog> is rendered), yet the room's own flag list is not shown to a moderator.
    await waitUntil(() => shadow(el).querySelector('dialog.danger-flag'), 'the flag dialog’s code', { timeout: 5000 });
    expect(shadow(el).querySelector('[part="danger-participants"]') === null, 'no second list').to.equal(true);
    const lists = [...shadow(el).querySelectorAll('ul')].filter((ul) => ul.textContent?.includes('River'));
    expect(lists, 'River is listed once').to.have.length(1);
    const river = shadow(el).querySelector('.people [data-id="p-river"]')!.closest('li')!;
    expect([...river.querySelectorAll('button')].map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'May be in danger: flag River',
      'Remove for this session: River',
    ]);
    await expect(el).to.be.accessible();

    // Keyboard only: Flag opens the dialog about River; Escape closes it and focus comes back to Flag.
    river.querySelector<HTMLButtonElement>('.flag')!.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = shadow(el).querySelector<HTMLDialogElement>('dialog.danger-flag')!;
    await waitUntil(() => dialog.open, 'the flag dialog opened');
    expect(dialog.textContent).to.include('River');
    await waitUntil(() => shadow(el).activeElement?.id === 'danger-note', 'focus in the dialog');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'closed');
    await waitUntil(() => shadow(el).activeElement?.getAttribute('data-flag') === 'p-river', 'focus back on Flag for River');
    expect(api.commands.some((c) => c[0] === 'kickParticipant'), 'flagging removes no one').to.equal(false);
  });

  it('lists people the room gives no name as "Unnamed participant N", with Remove only, which puts them out by their room id', async () => {
    const { groupId, modToken, river } = await setUp();
    const el = await room(modToken, groupId);
    const api = await join(el);
    api.emit('participantJoined', { id: 'p-river', displayName: 'River' });
    api.emit('participantJoined', { id: 'p-phone' });
    api.emit('participantJoined', { id: 'p-blank', displayName: '' });
    await waitUntil(() => shadow(el).querySelectorAll('.people li').length === 3, 'three people, named or not');
    const row = (id: string) => shadow(el).querySelector(`.people [data-id="${id}"]`)!.closest('li')!;
    const labels = (id: string) => [...row(id).querySelectorAll('button')].map((b) => b.getAttribute('aria-label'));
    expect(row('p-phone').textContent).to.include('Unnamed participant 1');
    expect(row('p-blank').textContent).to.include('Unnamed participant 2');
    // No flag for them: a flag names the person by the name they appear under, and they have none.
    expect(labels('p-phone')).to.deep.equal(['Remove for this session: Unnamed participant 1']);
    expect(labels('p-blank')).to.deep.equal(['Remove for this session: Unnamed participant 2']);
    expect(labels('p-river')).to.deep.equal(['May be in danger: flag River', 'Remove for this session: River']);
    expect(text(el)).to.include('We cannot tell which member an unnamed participant is');
    await expect(el).to.be.accessible();

    // Keyboard only: the confirmation says the removal is not recorded (no reason to give); Enter puts them out by Jitsi's id.
    row('p-blank').querySelector<HTMLButtonElement>('.remove')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(el).activeElement?.classList.contains('confirm-yes'), 'focus on the confirmation');
    expect(text(el)).to.include('Remove Unnamed participant 2 from the room?');
    expect(text(el)).to.include('the removal is not recorded and they could join again');
    expect(shadow(el).querySelector('#remove-reason')).to.equal(null);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => api.commands.some((c) => c[0] === 'kickParticipant'), 'kicked');
    expect(api.commands.filter((c) => c[0] === 'kickParticipant')).to.deep.equal([['kickParticipant', 'p-blank']]);
    await waitUntil(() => status(el).includes('Unnamed participant 2 is out of the room. They could join again.'), 'announced');
    await waitUntil(() => shadow(el).activeElement?.id === 'people-title', 'focus back on the list');
    api.emit('participantKickedOut', { kicked: { id: 'p-blank', local: false }, kicker: { id: 'local-1' } });
    await waitUntil(() => shadow(el).querySelectorAll('.people li').length === 2, 'out of the list');

    // A name the room gives later replaces the placeholder, and flagging comes with it.
    api.emit('displayNameChange', { id: 'p-phone', displayname: 'Cedar' });
    await waitUntil(() => labels('p-phone').length === 2, 'named now');
    expect(labels('p-phone')).to.deep.equal(['May be in danger: flag Cedar', 'Remove for this session: Cedar']);
    expect(text(el)).to.not.include('We cannot tell which member');
    // Nobody was recorded as removed: the members still get a room ticket.
    expect((await trpc<{ roomName: string }>('groups.join', { groupId }, river)).roomName).to.be.a('string');
  });

  it('in Arabic, right to left', async () => {
    const { groupId, modToken } = await setUp();
    const el = await room(modToken, groupId, 'ar');
    const api = await join(el);
    api.emit('knockingParticipant', { participant: { id: 'k1', name: 'River' } });
    api.emit('participantJoined', { id: 'p-phone' });
    await waitUntil(() => shadow(el).querySelector('.knockers li'), 'a knock');
    await waitUntil(() => text(el).includes('غرفة الانتظار'), 'Arabic texts', { timeout: 10000 });
    expect(shadow(el).querySelector('[part="base"]')!.getAttribute('dir')).to.equal('rtl');
    expect(text(el)).to.include('السماح بالدخول');
    // Without the bidi isolates i18n puts around right-to-left interpolations.
    const removeName = shadow(el).querySelector('.people [data-id="p-phone"]')!.getAttribute('aria-label')!.replace(/[\u2066-\u2069]/g, '');
    expect(removeName).to.equal('إزالة لهذه الجلسة: مشارك بلا اسم 1');
    await expect(el).to.be.accessible();
  });
});

describe('<care-support-room> lobby: members', () => {
  it('a member waiting to be let in is told so, with the board still there; the notice goes once they are in', async () => {
    const { groupId, river } = await setUp(WAIT_DOMAIN);
    const el = await room(river, groupId);
    const api = await join(el, { waitJoined: false });
    await waitUntil(() => text(el).includes('Waiting for a moderator to let you in.'), 'waiting');
    expect(text(el)).to.include('If no moderator has joined yet, there is no lobby');
    expect(shadow(el).querySelector('care-group-board'), 'the board stays').to.not.equal(null);
    await expect(el).to.be.accessible();
    api.holdJoin = false;
    const joined = oneEvent(el, 'care-room-joined');
    api.emit('videoConferenceJoined', { id: 'local-1' });
    await joined;
    await waitUntil(() => !text(el).includes('Waiting for a moderator'), 'in');
    expect(api.commands.some((c) => c[0] === 'toggleLobby'), 'members do not touch the lobby').to.equal(false);
  });

  it('a removed member is told kindly, the room closes, and joining again is refused with the same words', async () => {
    const { groupId, modToken, river } = await setUp();
    const el = await room(river, groupId);
    const api = await join(el);
    api.emit('participantKickedOut', { kicked: { id: 'local-1', local: true }, kicker: { id: 'mod-1' } });
    await waitUntil(() => text(el).includes('A moderator removed you from this session'), 'removed');
    expect(api.commands.some((c) => c[0] === 'hangup')).to.equal(true);
    await waitUntil(() => !shadow(el).querySelector('.video'), 'the room closed', { timeout: 5000 });
    await waitUntil(() => status(el).includes('A moderator removed you from this session.'), 'announced, not "you left"');
    expect(text(el)).to.include('crisis help');
    expect(shadow(el).querySelector('.feedback'), 'no feedback question').to.equal(null);
    await expect(el).to.be.accessible();

    // The server refuses them too (the moderator removed them there).
    const roster = await trpc<{ participants: { participantId: string; name: string }[] }>('groups.roomParticipants', { groupId }, modToken, 'query');
    await trpc('groups.removeFromSession', { groupId, participantId: roster.participants.find((p) => p.name === 'River')!.participantId }, modToken);
    fixtureCleanup();
    const again = await room(river, groupId);
    shadow(again).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    await waitUntil(() => shadow(again).querySelector('.join-problem'), 'refused', { timeout: 10000 });
    expect(text(again)).to.include('A moderator removed you from this session. You can join the next session');
  });
});

describe('JaaS script', () => {
  it('loads the per-app external_api.js 8x8 documents; self-hosted keeps /external_api.js', async () => {
    expect(jitsiScriptUrl('8x8.vc', 'https', 'vpaas-magic-cookie-0123abcd')).to.equal('https://8x8.vc/vpaas-magic-cookie-0123abcd/external_api.js');
    expect(jitsiScriptUrl('meet.clinic.example')).to.equal('https://meet.clinic.example/external_api.js');
    expect(() => jitsiScriptUrl('8x8.vc', 'https', '../evil')).to.throw();

    const appId = `vpaas-magic-cookie-${uid('lobby').replace(/[^a-z0-9]/g, '')}`;
    const { groupId, members } = await createGroup();
    const pem = await rsaPem();
    await trpc('groups.setVideoConfig', { groupId, provider: 'jaas', domain: domains.ok, appId, keyId: 'k1', privateKey: pem }, adminToken);
    const el = await room(await ready(groupId, members[0]!, 'Bright Lake'), groupId);
    performance.setResourceTimingBufferSize(10_000);
    performance.clearResourceTimings();
    await join(el);
    const loaded = performance.getEntriesByType('resource').map((e) => e.name);
    expect(loaded).to.include(`http://${domains.ok}/${appId}/external_api.js`);
  });
});
