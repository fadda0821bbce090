import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import { registerJitsiApi } from '../../components/support-room/index.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { createGroup, ready, shadow, trpc } from './helpers.js';
import { jitsiPage as page, lastRoom as last, roomText as text, rsaPem, withJitsiDouble, type DoubleInstance, type TestDomains } from './jitsi-double.js';

/**
 * What each video provider gives the room (issue 19): the config the external_api.js double records
 * for self-hosted (with and without a transcriber), JaaS and the public test service; sound only;
 * and a group with no provider, which shows the board and the dial-in instead of a room.
 */
let endpoint: string;
let domains: TestDomains;
let adminToken: string;
const claims = (jwt: string) => JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
const header = (jwt: string) => JSON.parse(atob(jwt.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;

async function groupWith(video: Record<string, unknown> | null, alias: string) {
  const { groupId, members } = await createGroup();
  if (video) await trpc('groups.setVideoConfig', { groupId, ...video }, adminToken);
  const token = await ready(groupId, members[0]!, alias);
  const el = await fixture<CareSupportRoom>(html`
    <care-support-room endpoint=${endpoint} token=${token} group=${groupId} locale="en-US" jitsi-scheme="http" poll-interval="0"></care-support-room>
  `);
  await waitUntil(() => text(el).includes('Thursday recovery circle'), 'the group', { timeout: 10000 });
  return { el, groupId };
}

async function join(el: CareSupportRoom, { soundOnly = false } = {}): Promise<DoubleInstance> {
  await waitUntil(() => shadow(el).querySelector('[part="join-button"]'), 'join button', { timeout: 10000 });
  if (soundOnly) shadow(el).querySelector<HTMLInputElement>('.low-bandwidth input[type="checkbox"]')!.click();
  const joined = oneEvent(el, 'care-room-joined');
  shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
  await joined;
  return last();
}

before(async () => {
  ({ endpoint, domains, adminToken } = await withJitsiDouble());
  // The double also stands in for meet.jit.si (which a test cannot reach).
  registerJitsiApi('meet.jit.si', page.JitsiMeetExternalAPI);
});
afterEach(() => fixtureCleanup());

describe('<care-support-room> video providers', () => {
  it('self-hosted with a transcriber: captions in the toolbar and transcription on; an HS256 token', async () => {
    const { el } = await groupWith({ provider: 'self-hosted', domain: domains.ok, appId: 'care-wtr', appSecret: 'wtr-jitsi-secret-0123456789-abcdef', transcription: true }, 'Tall Pine');
    const api = await join(el);
    expect(api.domain).to.equal(domains.ok);
    expect(api.options.configOverwrite.toolbarButtons).to.include('closedcaptions');
    expect(api.options.configOverwrite.transcription).to.deep.include({ enabled: true, preferredLanguage: 'en' });
    expect(api.options.configOverwrite.transcribingEnabled).to.equal(true);
    expect(header(api.options.jwt!)).to.deep.equal({ alg: 'HS256', typ: 'JWT' });
    expect(claims(api.options.jwt!)).to.deep.include({ aud: 'jitsi', iss: 'care-wtr', sub: domains.ok });
    expect(api.options.configOverwrite).to.not.have.property('channelLastN');
    await expect(el).to.be.accessible();
  });

  it('self-hosted without a declared transcriber: no captions button, no transcription', async () => {
    const { el } = await groupWith({ provider: 'self-hosted', domain: domains.ok }, 'Low Fern');
    const api = await join(el);
    expect(api.options.configOverwrite.toolbarButtons).to.not.include('closedcaptions');
    expect(api.options.configOverwrite.transcription).to.deep.equal({ enabled: false });
    expect(api.options.configOverwrite.transcribingEnabled).to.equal(false);
    expect(api.options.jwt, 'no token without an app secret').to.equal(undefined);
  });

  it('jaas: the room is <app id>/<room> with an RS256 token (kid <app id>/<key id>); captions follow the transcription feature', async () => {
    const appId = 'vpaas-magic-cookie-0123456789abcdef';
    const video = { provider: 'jaas', domain: domains.ok, appId, keyId: 'k9', privateKey: await rsaPem() };
    const { el } = await groupWith(video, 'Bright Lake');
    const api = await join(el);
    expect(api.options.roomName).to.match(new RegExp(`^${appId}/care-[0-9a-f]{24}$`));
    expect(header(api.options.jwt!)).to.deep.equal({ alg: 'RS256', kid: `${appId}/k9`, typ: 'JWT' });
    const body = claims(api.options.jwt!);
    expect(body).to.deep.include({ aud: 'jitsi', iss: 'chat', sub: appId });
    expect((body.context as { features: Record<string, string> }).features).to.deep.equal({ livestreaming: 'false', recording: 'false', transcription: 'true', 'outbound-call': 'false', 'sip-outbound-call': 'false' });
    expect(api.options.configOverwrite.toolbarButtons).to.include('closedcaptions');
    fixtureCleanup();

    const off = await groupWith({ ...video, transcription: false }, 'Still Brook');
    const quiet = await join(off.el);
    expect(quiet.options.configOverwrite.toolbarButtons).to.not.include('closedcaptions');
    expect((claims(quiet.options.jwt!).context as { features: Record<string, string> }).features.transcription).to.equal('false');
  });

  it('public-demo for one group: meet.jit.si without a token, and members are told it is a public test room', async () => {
    const { el } = await groupWith({ provider: 'public-demo', publicOptIn: true }, 'Open Field');
    expect(text(el)).to.include('This video room is a public test room');
    const api = await join(el);
    expect(api.domain).to.equal('meet.jit.si');
    expect(api.options.jwt).to.equal(undefined);
    expect(api.options.configOverwrite.toolbarButtons).to.not.include('closedcaptions');
    await expect(el).to.be.accessible();
  });

  it('sound only: starts audio-only, and anyone who turns video back on sends and receives little (resolution, constraints, last-N)', async () => {
    const { el } = await groupWith({ provider: 'self-hosted', domain: domains.ok }, 'Soft Rain');
    const api = await join(el, { soundOnly: true });
    const config = api.options.configOverwrite;
    expect(config.startAudioOnly).to.equal(true);
    expect(config.startWithVideoMuted).to.equal(true);
    expect(config.resolution).to.equal(180);
    expect(config.constraints).to.deep.equal({ video: { height: { ideal: 180, max: 180, min: 90 } } });
    expect(config.channelLastN).to.equal(2);
    expect(config.startLastN).to.equal(1);
  });

  it('no provider: the board and the dial-in, no device check and no join button', async () => {
    const { el, groupId } = await groupWith({ provider: 'none', dialIn: { number: '+1 202 555 0123', pin: '4455#' } }, 'Quiet Shore');
    expect(text(el)).to.include('This group has no video room. Join by phone, or take part on the group board below.');
    const phone = shadow(el).querySelector<HTMLAnchorElement>('.no-video a[href^="tel:"]')!;
    expect(phone.getAttribute('href')).to.equal('tel:+12025550123');
    expect(text(el)).to.include('then enter the PIN 4455#');
    expect(shadow(el).querySelector('[part="join-button"]')).to.equal(null);
    expect(shadow(el).querySelector('[part="device-check"]')).to.equal(null);
    await waitUntil(() => shadow(el).querySelector('[part="board"]'), 'the board', { timeout: 10000 });
    await expect(el).to.be.accessible();
    // Staff are told why.
    fixtureCleanup();
    const staff = await fixture<CareSupportRoom>(html`
      <care-support-room endpoint=${endpoint} token=${adminToken} group=${groupId} locale="en-US" poll-interval="0"></care-support-room>
    `);
    await waitUntil(() => text(staff).includes('For staff: this group has no video room'), 'the staff notice', { timeout: 10000 });
  });
});
