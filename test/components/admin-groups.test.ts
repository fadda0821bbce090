import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/admin/index.js';
import '../../components/admin/admin-groups.js';
import type { CareAdminGroups } from '../../components/admin/admin-groups.js';
import type { CareAdmin } from '../../components/admin/admin.js';
import type { CareErrorDetail } from '../../components/core/events.js';
import { emulateA11yMedia } from './a11y-checks.js';
import { careServer, createGroup, shadow, tokenFor, trpc, uid } from './helpers.js';

interface Group {
  id: string;
  name: string;
  timeZone: string;
  capacity: number;
  schedule: { day: string; start: string; minutes: number }[];
  guidelinesVersion: number;
}
interface Member {
  userId: string;
  role: 'member' | 'moderator';
  guidelinesAcceptedVersion: number | null;
}

let endpoint: string;
let adminToken: string;

before(async () => {
  ({ endpoint } = await careServer());
  adminToken = await tokenFor('groups-admin', 'admin');
});
afterEach(() => fixtureCleanup());

const groupsEl = (locale = 'en-US') =>
  fixture<CareAdminGroups>(html`<care-admin-groups endpoint=${endpoint} token=${adminToken} locale=${locale}></care-admin-groups>`);

const root = (el: Element) => shadow(el);
const text = (el: Element) => root(el).textContent?.replace(/\s+/g, ' ') ?? '';
const status = (el: Element) => root(el).querySelector('[role="status"]')!.textContent ?? '';
const $ = <T extends HTMLElement = HTMLInputElement>(el: Element, selector: string) => root(el).querySelector<T>(selector)!;
const announced = (el: Element, wanted: string) => waitUntil(() => status(el).includes(wanted), `announced "${wanted}" (status: ${status(el)})`, { timeout: 10000 });

async function loaded(locale = 'en-US'): Promise<CareAdminGroups> {
  const el = await groupsEl(locale);
  await waitUntil(() => $(el, '#new-group') && $(el, '[data-form="video"]'), 'the groups and video settings', { timeout: 10000 });
  return el;
}

/** Focuses a text box, empties it and types the new value, as a person does. */
async function retype(el: Element, selector: string, value: string): Promise<void> {
  const box = $(el, selector);
  box.focus();
  box.value = '';
  box.dispatchEvent(new Event('input'));
  if (value) await sendKeys({ type: value });
}

/** Sets a native time or select control (its segments are the browser's own keyboard UI). */
function choose(el: Element, selector: string, value: string): void {
  const control = $<HTMLInputElement | HTMLSelectElement>(el, selector);
  control.value = value;
  control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input'));
}

const groups = () => trpc<{ groups: Group[] }>('groups.list', undefined, adminToken, 'query').then((r) => r.groups);
const membersOf = (groupId: string) => trpc<{ members: Member[] }>('groups.members', { groupId }, adminToken, 'query').then((r) => r.members);

async function openGroup(el: CareAdminGroups, name: string): Promise<void> {
  await waitUntil(() => root(el).querySelector(`button[aria-label="Manage ${name}"]`), `the Manage button of ${name}`, { timeout: 10000 });
  const button = $(el, `button[aria-label="Manage ${name}"]`);
  button.focus();
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => root(el).activeElement?.id === 'group-panel-title' && root(el).querySelector('[data-form="member"]'), 'the group panel, focused', { timeout: 10000 });
}

describe('<care-admin-groups>', () => {
  it("lists the clinic's groups and the video settings with no axe violations, and never shows a secret", async () => {
    const name = uid('Listed circle');
    await createGroup({ name });
    const el = await loaded();
    await waitUntil(() => text(el).includes(name), 'the new group listed');
    expect(text(el)).to.include('Support groups');
    expect(text(el)).to.include('Video settings');
    expect($(el, '#video-appSecret').type).to.equal('password');
    expect($(el, '#video-appSecret').value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('creates a group from the keyboard alone: name, a second weekly session, time zone; the server reads it back', async () => {
    const el = await loaded();
    const saved = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-group-saved', (e) => resolve(e), { once: true }));
    $(el, '#new-group').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(el).activeElement?.id === 'create-name', 'focus in the name box');
    const name = uid('Keyboard circle');
    await sendKeys({ type: name });
    await retype(el, '#create-timeZone', 'America/Chicago');
    $(el, '#create-add-session').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(el).activeElement?.id === 'create-session-1-day', 'focus on the new session');
    choose(el, '#create-session-1-day', 'thu');
    choose(el, '#create-session-1-start', '09:30');
    await retype(el, '#create-session-1-minutes', '90');
    $(el, '#create-guidelines').focus();
    await sendKeys({ type: 'Keep what is shared here private.' });
    $(el, '#create-name').focus();
    await sendKeys({ press: 'Enter' });
    expect((await saved).detail.action).to.equal('create');
    await announced(el, `Group ${name} created.`);
    const group = (await groups()).find((g) => g.name === name)!;
    expect(group.timeZone).to.equal('America/Chicago');
    expect(group.schedule).to.deep.equal([
      { day: 'mon', start: '18:00', minutes: 60 },
      { day: 'thu', start: '09:30', minutes: 90 },
    ]);
    await waitUntil(() => root(el).querySelector('#group-panel'), 'the new group opened');
  });

  it('refuses a bad schedule and time zone next to their fields, focuses the first, announces it, and stores nothing', async () => {
    const el = await loaded();
    const before = (await groups()).length;
    const refused = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-group-refused', (e) => resolve(e), { once: true }));
    $(el, '#new-group').click();
    await waitUntil(() => $(el, '#create-name'));
    await retype(el, '#create-name', 'Refused circle');
    await retype(el, '#create-session-0-minutes', '5');
    await retype(el, '#create-guidelines', 'Be kind.');
    $(el, '#create-name').focus();
    await sendKeys({ press: 'Enter' });
    expect((await refused).detail).to.deep.equal({ form: 'create', fields: ['schedule'] });
    await announced(el, 'Not saved. Please check: Weekly schedule.');
    expect(root(el).activeElement?.id).to.equal('create-session-0-day');
    expect($(el, '[data-field="schedule"]').getAttribute('aria-describedby')).to.include('create-schedule-error');
    // The form passes a time zone the browser cannot check; the server refuses it, naming the field.
    await retype(el, '#create-session-0-minutes', '60');
    await retype(el, '#create-timeZone', 'Mars/Olympus');
    $(el, '#create-name').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '#create-timeZone').getAttribute('aria-invalid') === 'true', 'the time zone marked');
    expect($(el, '#create-timeZone').getAttribute('aria-describedby')).to.include('create-timeZone-error');
    expect(root(el).activeElement?.id).to.equal('create-timeZone');
    expect((await groups()).length).to.equal(before);
    await expect(el).to.be.accessible();
  });

  it('edits a group name and schedule; the change is in the admin audit', async () => {
    const name = uid('Editable circle');
    const { groupId } = await createGroup({ name });
    const el = await loaded();
    await openGroup(el, name);
    const renamed = `${name} (evenings)`;
    await retype(el, '#edit-name', renamed);
    choose(el, '#edit-session-0-start', '19:45');
    $(el, '#edit-name').focus();
    await sendKeys({ press: 'Enter' });
    await announced(el, `Group ${renamed} saved.`);
    const group = (await groups()).find((g) => g.id === groupId)!;
    expect(group.name).to.equal(renamed);
    expect(group.schedule[0]!.start).to.equal('19:45');
    const audit = await trpc<{ items: { action: string; actor: string; after?: { name?: string } }[] }>('admin.audit', { limit: 20 }, adminToken, 'query');
    const change = audit.items.find((c) => c.action === 'group.update' && c.after?.name === renamed);
    expect(change?.actor).to.equal('admin:groups-admin');
  });

  it('publishes a new guidelines version: the member must accept again before the board opens, and the table says so', async () => {
    const name = uid('Guidelines circle');
    const { groupId, members } = await createGroup({ name, members: 1 });
    const memberToken = await tokenFor(members[0]!);
    await trpc('groups.acceptGuidelines', { groupId, version: 1 }, memberToken);
    await trpc('groups.messages', { groupId }, memberToken, 'query');
    const el = await loaded();
    await openGroup(el, name);
    await waitUntil(() => text(el).includes('Accepted version 1'), 'the member accepted version 1');
    const box = $<HTMLTextAreaElement>(el, '#guidelines-en');
    box.focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ type: ' No recording.' });
    $(el, '[data-form="guidelines"] button[type="submit"]').focus();
    await sendKeys({ press: 'Enter' });
    await announced(el, 'Guidelines version 2 published.');
    await waitUntil(() => text(el).includes('Accepted version 1; must accept version 2'), 'the table shows the member must accept again');
    expect(text(el)).to.include('Current version: 2');
    let refusal = '';
    try {
      await trpc('groups.messages', { groupId }, memberToken, 'query');
    } catch (error) {
      refusal = String(error);
    }
    expect(refusal).to.include('412');
    await trpc('groups.acceptGuidelines', { groupId, version: 2 }, memberToken);
    await trpc('groups.messages', { groupId }, memberToken, 'query');
  });

  it('adds a member, makes them moderator, and removes them after a confirmation, all from the keyboard', async () => {
    const name = uid('Members circle');
    const { groupId } = await createGroup({ name, members: 0 });
    const person = uid('person');
    const el = await loaded();
    await openGroup(el, name);
    $(el, '#member-userId').focus();
    await sendKeys({ type: person });
    await sendKeys({ press: 'Enter' });
    await announced(el, `${person} added as a member.`);
    expect(root(el).activeElement?.id).to.equal('member-userId');
    expect((await membersOf(groupId)).find((m) => m.userId === person)?.role).to.equal('member');
    $(el, `button[aria-label="Make moderator: ${person}"]`).focus();
    await sendKeys({ press: 'Enter' });
    await announced(el, `${person} is now a moderator.`);
    expect((await membersOf(groupId)).find((m) => m.userId === person)?.role).to.equal('moderator');
    expect(root(el).activeElement?.getAttribute('aria-label')).to.equal(`Make member: ${person}`);
    $(el, `button[aria-label="Remove ${person} from the group"]`).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(el).activeElement?.id === 'confirm-remove', 'focus on the confirmation');
    await sendKeys({ press: 'Enter' });
    await announced(el, `${person} removed from the group.`);
    expect((await membersOf(groupId)).some((m) => m.userId === person)).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('saves the video settings; the secret is sent once, never shown again, and the mode says room tokens', async () => {
    const el = await loaded();
    await retype(el, '#video-domain', 'meet.harbor.example.org');
    await retype(el, '#video-appId', 'harbor-care');
    await retype(el, '#video-appSecret', 'a-long-enough-app-secret-42');
    await retype(el, '#video-tenant', '');
    $(el, '#video-domain').focus();
    await sendKeys({ press: 'Enter' });
    await announced(el, 'Video settings saved.');
    expect($(el, '#video-appSecret').value).to.equal('');
    expect(text(el)).to.include('Rooms are on meet.harbor.example.org with room tokens.');
    expect(text(el)).to.include('A secret is set.');
    expect(text(el)).not.to.include('a-long-enough-app-secret-42');
    // An app id without its secret is refused next to the secret, before any call.
    await retype(el, '#video-appId', 'other-app');
    $(el, '#video-domain').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(el).activeElement?.id === 'video-appSecret', 'focus on the secret');
    const settings = await trpc<{ clinic: { appId: string } | null }>('groups.videoConfig', undefined, adminToken, 'query');
    expect(settings.clinic?.appId).to.equal('harbor-care');
  });

  it('a reload that fails after the groups were shown says they could not be loaded, not saved; a reload that works takes the notice away', async () => {
    const el = await loaded();
    const notice = () => root(el).querySelector('[part="notice"].warning')?.textContent?.replace(/\s+/g, ' ') ?? '';
    const failed = new Promise<CustomEvent<CareErrorDetail>>((resolve) => el.addEventListener('care-error', (e) => resolve(e), { once: true }));
    // A token the server refuses here: the loader reads the groups again with it, and nothing is being saved.
    el.setAttribute('token', await tokenFor('groups-clinician', 'clinician'));
    expect((await failed).detail.kind).to.equal('forbidden');
    await waitUntil(() => notice().includes('The groups could not be loaded.'), `the load-failed notice (notice: ${notice()})`, { timeout: 10000 });
    expect(notice()).not.to.include('could not be saved');
    expect($(el, '#new-group')).to.exist;
    el.setAttribute('token', adminToken);
    await waitUntil(() => !notice(), 'the notice gone after a reload that works', { timeout: 10000 });
  });

  it("a group's members that cannot be read are said to be not loaded, not a change not saved", async () => {
    const name = uid('Unread circle');
    await createGroup({ name });
    const el = await loaded();
    await waitUntil(() => root(el).querySelector(`button[aria-label="Manage ${name}"]`), `the Manage button of ${name}`, { timeout: 10000 });
    const notice = () => root(el).querySelector('[part="notice"].warning')?.textContent?.replace(/\s+/g, ' ') ?? '';
    // The server fails reading the members (a 500 is the one failure a client cannot cause).
    const fetchBefore = window.fetch;
    window.fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).includes('groups.members')
        ? Promise.resolve(new Response(JSON.stringify([{ error: { message: 'Internal server error', code: -32603, data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 } } }]), { status: 500, headers: { 'content-type': 'application/json' } }))
        : fetchBefore(input, init);
    try {
      $(el, `button[aria-label="Manage ${name}"]`).click();
      await waitUntil(() => notice().includes('The groups could not be loaded.'), `the load-failed notice (notice: ${notice()})`, { timeout: 10000 });
      await announced(el, 'The groups could not be loaded.');
      expect(notice()).not.to.include('could not be saved');
    } finally {
      window.fetch = fetchBefore;
    }
  });

  it('works in Arabic, right to left, with no axe violations', async () => {
    const name = uid('Arabic circle');
    await createGroup({ name });
    const el = await loaded('ar');
    await waitUntil(() => text(el).includes('مجموعات الدعم'), 'Arabic text');
    expect(root(el).querySelector('section')!.getAttribute('dir')).to.equal('rtl');
    const manage = [...root(el).querySelectorAll('ul.groups button')].find((b) => b.getAttribute('aria-label')?.includes(name)) as HTMLElement;
    manage.click();
    await waitUntil(() => root(el).querySelector('#group-panel'), 'the panel');
    await expect(el).to.be.accessible();
  });

  it('stays accessible under forced colors and reduced motion', async () => {
    await emulateA11yMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
    try {
      const el = await loaded();
      $(el, '#new-group').click();
      await waitUntil(() => $(el, '#create-name'));
      await expect(el).to.be.accessible();
    } finally {
      await emulateA11yMedia({ forcedColors: 'none', reducedMotion: 'no-preference' });
    }
  });

  it('is part of <care-admin>, which renders it once the clinic is loaded', async () => {
    const el = await fixture<CareAdmin>(html`<care-admin endpoint=${endpoint} token=${adminToken} locale="en-US"></care-admin>`);
    await waitUntil(() => shadow(el).querySelector('care-admin-groups')?.shadowRoot?.querySelector('#new-group'), 'the groups section inside care-admin', { timeout: 10000 });
    await expect(el).to.be.accessible();
  });

  it('is refused to a clinician: the section says only the admin manages groups', async () => {
    const token = await tokenFor('groups-clinician', 'clinician');
    const el = await fixture<CareAdminGroups>(html`<care-admin-groups endpoint=${endpoint} token=${token} locale="en-US"></care-admin-groups>`);
    await waitUntil(() => text(el).includes("Only the clinic's admin can manage its groups."), 'the refusal', { timeout: 10000 });
  });
});
