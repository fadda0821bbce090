import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareAlerts } from '../../components/clinician/alerts.js';
import type { CareCrisisButton } from '../../components/crisis/crisis-button.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { careServer, createGroup, ready, shadow, tokenFor, trpc, uid } from './helpers.js';

/**
 * Safety inside the room and on the board (issue 19, item 3), in a real browser against the real
 * server with the external_api.js double: crisis help outside the video (Tab, shortcut, Jitsi's
 * toolbar), "may be in danger" flags on a post and a participant, the flagged person's private
 * resources, the moderators' notice, and the clinician's alert arriving live.
 */
interface DoubleInstance {
  options: { configOverwrite: Record<string, unknown> };
  emit(event: string, payload: unknown): void;
}

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
  const domains = await executeServerCommand<{ ok: string }, undefined>('jitsi-test-domain');
  await trpc('groups.setVideoConfig', { provider: 'self-hosted', domain: domains.ok, appId: 'care-wtr', appSecret: 'wtr-jitsi-secret-0123456789-abcdef' }, await tokenFor(uid('admin'), 'admin'));
});
afterEach(() => fixtureCleanup());

const room = (token: string, groupId: string, locale = 'en-US') =>
  fixture<CareSupportRoom>(html`<care-support-room endpoint=${endpoint} token=${token} group=${groupId} locale=${locale} jitsi-scheme="http" poll-interval="0"></care-support-room>`);
const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');
const waitForText = (el: Element, wanted: string, timeout = 10000) =>
  waitUntil(() => text(el).includes(wanted), `waiting for "${wanted}" in: ${text(el).slice(0, 300)}`, { timeout });
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
const instances = () => (window as unknown as { __jitsiDouble?: { instances: DoubleInstance[] } }).__jitsiDouble?.instances ?? [];
const board = (el: CareSupportRoom) => shadow(el).querySelector('care-group-board')!;
/** The flag dialog: rendered once its code has loaded (the first flag opened). */
const flagDialog = (el: CareSupportRoom) => shadow(el).querySelector<HTMLDialogElement>('dialog.danger-flag')!;
const flagDialogOpen = (el: CareSupportRoom) => shadow(el).querySelector<HTMLDialogElement>('dialog.danger-flag')?.open === true;

async function joinRoom(el: CareSupportRoom): Promise<DoubleInstance> {
  await waitUntil(() => shadow(el).querySelector('[part="join-button"]'), 'join button', { timeout: 10000 });
  const count = instances().length;
  const joined = oneEvent(el, 'care-room-joined');
  shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
  await waitUntil(() => instances().length > count, 'the room is created', { timeout: 10000 });
  const api = instances()[instances().length - 1]!;
  api.emit('videoConferenceJoined', { id: 'me' });
  await joined;
  return api;
}

async function press(...keys: string[]): Promise<void> {
  for (const key of keys.slice(0, -1)) await sendKeys({ down: key });
  await sendKeys({ press: keys[keys.length - 1]! });
  for (const key of keys.slice(0, -1).reverse()) await sendKeys({ up: key });
}

/** A group where `flagged` (alias Sunny) wrote a post and `flagger` (alias Rowan) is ready too. */
async function groupWithPost() {
  const { groupId, members, moderator } = await createGroup({ members: 2 });
  const [flagged, flagger] = members as [string, string];
  const flaggedToken = await ready(groupId, flagged, 'Sunny');
  const flaggerToken = await ready(groupId, flagger, 'Rowan');
  const post = await trpc<{ id: string }>('groups.post', { groupId, body: 'Rough week, not sure I can keep going' }, flaggedToken);
  return { groupId, flagged, flagger, moderator, flaggedToken, flaggerToken, postId: post.id };
}

describe('crisis help inside the room', () => {
  it('sits before the video, uncovered: reachable by Tab, by its shortcut while focus is outside the video, and from Jitsi’s toolbar', async () => {
    const { groupId, members } = await createGroup();
    const el = await room(await ready(groupId, members[0]!, 'Heron'), groupId);
    const api = await joinRoom(el);
    await waitUntil(() => shadow(el).querySelector('care-crisis-button'), 'the crisis button in the room', { timeout: 10000 });
    const crisis = shadow(el).querySelector<CareCrisisButton>('care-crisis-button')!;
    await crisis.updateComplete;
    const trigger = shadow(crisis).querySelector<HTMLButtonElement>('[part="trigger"]')!;
    const iframe = shadow(el).querySelector('.video iframe')!;
    // Before the video in the document (and so in the tab order), and not under it on screen.
    expect(crisis.compareDocumentPosition(iframe) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    const box = trigger.getBoundingClientRect();
    const hit = shadow(el).elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    expect(hit).to.equal(crisis);
    expect(text(el)).to.include('Keys typed inside the video go to the video service');

    // Tab from the top of the page: the crisis button comes before the video.
    (document.activeElement as HTMLElement | null)?.blur();
    const order: Element[] = [];
    for (let i = 0; i < 6 && !order.includes(iframe); i++) {
      await sendKeys({ press: 'Tab' });
      const active = deepActive();
      if (active) order.push(active);
    }
    expect(order.indexOf(trigger), `tab order: ${order.map((e) => e.tagName).join(', ')}`).to.be.greaterThan(-1);
    if (order.includes(iframe)) expect(order.indexOf(trigger)).to.be.lessThan(order.indexOf(iframe));

    // The shortcut with focus on the room's own controls (outside the video).
    const leave = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Leave the session')!;
    leave.focus();
    await press('Alt', 'Shift', 'KeyH');
    await waitUntil(() => crisis.open, 'the shortcut opened crisis help');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !crisis.open, 'Escape closed it');

    // Jitsi's IFrame API cannot forward keys, but offers a toolbar button: ours opens crisis help.
    const config = api.options.configOverwrite as { customToolbarButtons?: { id: string; text: string }[]; toolbarButtons?: string[] };
    expect(config.customToolbarButtons?.[0]).to.deep.include({ id: 'care-crisis-help', text: 'Crisis help' });
    expect(config.toolbarButtons).to.include('care-crisis-help');
    api.emit('toolbarButtonClicked', { key: 'care-crisis-help' });
    await waitUntil(() => crisis.open, 'the toolbar button opened crisis help');
    crisis.close();
    await expect(el).to.be.accessible();
  });
});

describe('"may be in danger" flags', () => {
  it('flags a post with the keyboard alone: confirmation dialog, note, result in the live region, focus returns', async () => {
    const setup = await groupWithPost();
    const el = await room(setup.flaggerToken, setup.groupId);
    await waitUntil(() => board(el)?.querySelector('[part="post"]'), 'the post', { timeout: 10000 });
    const flagButton = [...board(el).querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'May be in danger: flag Sunny')!;
    expect(flagButton, 'a flag button named for the author').to.exist;
    flagButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => flagDialogOpen(el), 'the dialog opened');
    expect(flagDialog(el).textContent).to.include('Tell the care team that Sunny may be in danger?');
    expect(flagDialog(el).textContent).to.include('is not told who flagged them');
    expect(deepActive()?.id).to.equal('danger-note');
    await expect(el).to.be.accessible();
    await sendKeys({ type: 'Said goodbye' });
    await sendKeys({ press: 'Tab' });
    expect(deepActive()?.textContent?.trim()).to.equal('Yes, tell the care team');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(el).querySelector('[role="status"]')!.textContent.includes('The care team has been told about Sunny.'), 'announced', { timeout: 5000 });
    expect(flagDialog(el).open).to.equal(false);
    expect(deepActive()).to.equal(flagButton, 'focus returned to the flag button');
    const alerts = await trpc<{ items: { clientId: string; source: string; dangerFlag: { note: string; via: string } | null }[] }>(
      'alerts.list',
      { status: 'open', clientId: setup.flagged },
      await tokenFor(uid('clinician'), 'clinician'),
      'query',
    );
    expect(alerts.items.map((a) => [a.source, a.dangerFlag?.via, a.dangerFlag?.note])).to.deep.equal([['danger_flag', 'post', 'Said goodbye']]);

    // The moderator's room names the alias only.
    fixtureCleanup();
    const mod = await room(await tokenFor(setup.moderator, 'clinician'), setup.groupId);
    await waitForText(mod, 'Members flagged as maybe in danger');
    expect(text(mod)).to.include('Sunny was flagged from a post.');
    expect(shadow(mod).querySelector('[part="danger-moderation"]')!.textContent).to.not.include('Rowan');
    await expect(mod).to.be.accessible();
  });

  it("a moderator's open room shows a new flag within its poll interval and announces it", async () => {
    const setup = await groupWithPost();
    const mod = await fixture<CareSupportRoom>(
      html`<care-support-room endpoint=${endpoint} token=${await tokenFor(setup.moderator, 'clinician')} group=${setup.groupId} locale="en-US" jitsi-scheme="http" poll-interval="1"></care-support-room>`,
    );
    await waitUntil(() => shadow(mod).querySelector('[part="heading"]'), 'the group shown', { timeout: 10000 });
    expect(shadow(mod).querySelector('[part="danger-moderation"]'), 'no notice before any flag').to.equal(null);
    await trpc('groups.flagDanger', { groupId: setup.groupId, postId: setup.postId }, setup.flaggerToken);
    await waitForText(mod, 'Sunny was flagged from a post.', 5000);
    await waitUntil(() => shadow(mod).querySelector('[role="status"]')!.textContent.includes('Sunny was flagged from a post.'), 'announced', { timeout: 3000 });
    expect(shadow(mod).querySelector('[part="danger-moderation"]')!.textContent).to.not.include('Rowan');
  });

  it('flags someone in the live room by the name they appear under', async () => {
    const setup = await groupWithPost();
    const el = await room(setup.flaggerToken, setup.groupId);
    const api = await joinRoom(el);
    api.emit('participantJoined', { id: 'jitsi-p2', displayName: 'Sunny' });
    await waitUntil(() => shadow(el).querySelector('[part="danger-participants"]'), 'the participants list');
    const details = shadow(el).querySelector<HTMLDetailsElement>('[part="danger-participants"]');
    details!.querySelector('summary')!.click();
    await waitUntil(() => details!.querySelector('button[data-participant="jitsi-p2"]'), 'a flag button for Sunny');
    details!.querySelector<HTMLButtonElement>('button[data-participant="jitsi-p2"]')!.click();
    await waitUntil(() => flagDialogOpen(el), 'the dialog opened');
    flagDialog(el).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitForText(el, 'The care team has been told about Sunny.');
    const alerts = await trpc<{ items: { source: string; dangerFlag: { via: string } | null }[] }>(
      'alerts.list',
      { status: 'open', clientId: setup.flagged },
      await tokenFor(uid('clinician'), 'clinician'),
      'query',
    );
    expect(alerts.items.map((a) => a.dangerFlag?.via)).to.deep.equal(['participant']);
    // Cancel leaves nothing behind; a participant who left is no longer offered.
    api.emit('participantLeft', { id: 'jitsi-p2' });
    await waitUntil(() => !details!.querySelector('button[data-participant="jitsi-p2"]'), 'Sunny left');
  });

  it('the dialog is right to left in Arabic, translated, and passes axe', async () => {
    const setup = await groupWithPost();
    const el = await room(setup.flaggerToken, setup.groupId, 'ar');
    await waitUntil(() => board(el)?.querySelector('[part="post"]'), 'the post', { timeout: 10000 });
    // The Arabic strings load after the first English render.
    const arabicFlag = () => [...board(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'قد يكون في خطر');
    await waitUntil(arabicFlag, 'the flag button in Arabic', { timeout: 10000 });
    const flagButton = arabicFlag()!;
    // Names are isolated (FSI…PDI) inside right-to-left text.
    expect(flagButton.getAttribute('aria-label')).to.equal('قد يكون في خطر: الإبلاغ عن \u2068Sunny\u2069');
    flagButton.click();
    await waitUntil(() => flagDialogOpen(el), 'the dialog opened');
    expect(shadow(el).querySelector('[part="base"]')!.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(flagDialog(el)).direction).to.equal('rtl');
    expect(flagDialog(el).textContent.replace(/[\u2068\u2069]/g, '')).to.include('هل تريد إبلاغ فريق الرعاية بأن Sunny قد يكون في خطر؟');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !flagDialog(el).open, 'Escape closed it');
  });
});

describe('the "may be in danger" flag end to end', () => {
  it('a member flags → the clinician’s alerts show it within a second, live → the flagged person sees resources privately', async () => {
    const setup = await groupWithPost();
    const clinician = await tokenFor(uid('clinician'), 'clinician');
    const page = await fixture<HTMLDivElement>(html`<div>
      <care-alerts endpoint=${endpoint} token=${clinician} locale="en-US" poll-interval="600"></care-alerts>
      <care-support-room endpoint=${endpoint} token=${setup.flaggerToken} group=${setup.groupId} locale="en-US" jitsi-scheme="http" poll-interval="0"></care-support-room>
    </div>`);
    const alerts = page.querySelector<CareAlerts>('care-alerts')!;
    const el = page.querySelector<CareSupportRoom>('care-support-room')!;
    await waitUntil(() => (alerts as unknown as { live: { live: boolean } }).live.live, 'the alerts widget is live', { timeout: 10000 });
    await waitUntil(() => board(el)?.querySelector('[part="post"]'), 'the post', { timeout: 10000 });
    [...board(el).querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'May be in danger: flag Sunny')!.click();
    await waitUntil(() => flagDialogOpen(el), 'the dialog opened');
    flagDialog(el).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitForText(el, 'The care team has been told about Sunny.');
    const flaggedAt = performance.now();
    const alertText = () => (shadow(alerts).textContent ?? '').replace(/\s+/g, ' ');
    await waitUntil(() => alertText().includes(`Client ${setup.flagged}`) && alertText().includes('Flagged as maybe in danger by a group member'), 'the alert arrives live', { timeout: 1000 });
    expect(performance.now() - flaggedAt).to.be.lessThan(1000);
    expect(alertText()).to.include('where they appear as Sunny (from a post)');
    expect(alertText()).to.not.include('Rowan');

    // The flagged person's own room: the private notice with their region's crisis lines.
    fixtureCleanup();
    const mine = await room(setup.flaggedToken, setup.groupId);
    await waitForText(mine, 'Someone in your group is thinking of you');
    const notice = shadow(mine).querySelector('[part="danger-notice"]')!;
    expect(notice.querySelector('a[href="tel:911"]'), 'the emergency number').to.exist;
    expect(notice.querySelector('a[href^="tel:988"]'), 'the national crisis line').to.exist;
    expect(notice.textContent).to.not.include('Rowan');
    await expect(mine).to.be.accessible();
    [...notice.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Thank you, hide this')!.click();
    await waitUntil(() => !shadow(mine).querySelector('[part="danger-notice"]'), 'dismissed');
    // Another member of the group never sees it.
    fixtureCleanup();
    const other = await room(setup.flaggerToken, setup.groupId);
    await waitUntil(() => board(other)?.querySelector('[part="post"]'), 'loaded', { timeout: 10000 });
    expect(text(other)).to.not.include('thinking of you');
  });
});
