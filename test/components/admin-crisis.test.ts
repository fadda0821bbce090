import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/admin/index.js';
import '../../components/core/index.js';
import type { CareAdminCrisis } from '../../components/admin/admin-crisis.js';
import type { AdminCrisisView, AdminHotlines } from '../../server/contract/admin.js';
import type { CrisisResources } from '../../server/contract/crisis.js';
import { adminSuite, failWhileServerDown } from './admin-setup.js';
import type { CareErrorDetail } from '../../components/core/events.js';
import { newClientId, shadow, tokenFor, trpc } from './helpers.js';

// Other test files share the demo clinic: put its crisis set-up back (the webhook stays off).
const demo = adminSuite<AdminCrisisView>('admin.crisis', ({ onCallHours, onCallTimeZone, onCallPhone, webhookUrl }, token) =>
  trpc('admin.setCrisis', { onCallHours, onCallTimeZone, onCallPhone, webhookUrl }, token),
);

const crisisEl = (locale = 'en-US') =>
  fixture<CareAdminCrisis>(html`<care-admin-crisis endpoint=${demo.endpoint} token=${demo.adminToken} locale=${locale}></care-admin-crisis>`);
const text = (el: Element) => shadow(el).textContent?.replace(/\s+/g, ' ') ?? '';
const status = (el: Element) => shadow(el).querySelector('[role="status"]')!.textContent ?? '';
const $ = <T extends Element = HTMLInputElement>(el: Element, selector: string) => shadow(el).querySelector<T>(selector)!;

async function loaded(locale = 'en-US'): Promise<CareAdminCrisis> {
  const el = await crisisEl(locale);
  await waitUntil(() => shadow(el).querySelector('#webhook-url'), 'the crisis form', { timeout: 10000 });
  return el;
}

async function retype(el: Element, selector: string, value: string): Promise<void> {
  const box = $(el, selector);
  box.focus();
  box.select();
  await sendKeys({ press: 'Backspace' });
  if (value) await sendKeys({ type: value });
}

describe('<care-admin-crisis>', () => {
  it('is part of <care-admin>, and shows the region lines read-only with no axe violations', async () => {
    const admin = await fixture(html`<care-admin endpoint=${demo.endpoint} token=${demo.adminToken} locale="en-US"></care-admin>`);
    await waitUntil(() => shadow(admin).querySelector('care-admin-crisis'), 'the crisis section inside <care-admin>', { timeout: 10000 });
    const el = await loaded();
    expect(text(el)).to.include('Crisis set-up');
    expect(text(el)).to.include('988 Suicide & Crisis Lifeline');
    await expect(el).to.be.accessible();
  });

  it('saves on-call hours and phone from the keyboard; the server reads them back and the audit has before/after', async () => {
    const el = await loaded();
    for (const b of [...shadow(el).querySelectorAll<HTMLButtonElement>('button[aria-label^="Remove on-call window"]')]) b.click();
    await el.updateComplete;
    $<HTMLButtonElement>(el, '#add-window').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(el).querySelector('#window-0-start'), 'a window');
    await retype(el, '#on-call-time-zone', 'America/Chicago');
    await retype(el, '#on-call-phone', '+1 312 555 0142');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => status(el).includes('Crisis set-up saved.'), 'announced');
    const stored = await trpc<AdminCrisisView>('admin.crisis', undefined, demo.adminToken, 'query');
    expect(stored.onCallHours).to.deep.equal([{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }]);
    expect(stored.onCallTimeZone).to.equal('America/Chicago');
    expect(stored.onCallPhone).to.equal('+1 312 555 0142');
    const audit = await trpc<{ items: { action: string; after: Record<string, unknown> }[] }>('admin.audit', { limit: 1 }, demo.adminToken, 'query');
    expect(audit.items[0]!.action).to.equal('clinic.crisis.set');
    expect(audit.items[0]!.after.onCallPhone).to.equal('+1 312 555 0142');
  });

  it('refuses a window ending before it starts and a phone of letters, naming them, focusing the first, changing nothing', async () => {
    const el = await loaded();
    const before = await trpc<AdminCrisisView>('admin.crisis', undefined, demo.adminToken, 'query');
    if (!shadow(el).querySelector('#window-0-end')) {
      $<HTMLButtonElement>(el, '#add-window').click();
      await el.updateComplete;
    }
    const end = $(el, '#window-0-end');
    end.value = '08:00';
    end.dispatchEvent(new Event('input'));
    await retype(el, '#on-call-phone', 'call the desk');
    const refused = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-refused', (e) => resolve(e), { once: true }));
    $<HTMLButtonElement>(el, '[data-section="crisis"] button[type="submit"]').click();
    expect((await refused).detail).to.deep.equal({ section: 'crisis', fields: ['onCallHours.0.end', 'onCallPhone'] });
    await waitUntil(() => shadow(el).activeElement === $(el, '#window-0-end'), 'focus on the first refused field');
    expect($(el, '#onCallPhone-error').textContent).to.include('Enter a phone number');
    expect($(el, '#on-call-phone').getAttribute('aria-describedby')).to.include('onCallPhone-error');
    await waitUntil(() => status(el).includes('Not saved'), 'announced');
    expect(await trpc<AdminCrisisView>('admin.crisis', undefined, demo.adminToken, 'query')).to.deep.equal(before);
    await expect(el).to.be.accessible();
  });

  it("sends a test alert and shows the receiver's status and body in the live region; a closed port in words; no alert opened", async () => {
    // The care server itself answers a POST to an unknown path: a real receiver with a real answer.
    await trpc('admin.setCrisis', { webhookUrl: `${demo.endpoint}/no-such-receiver` }, demo.adminToken);
    const alertsBefore = await trpc<{ items: unknown[] }>('alerts.list', {}, await tokenFor('test-clinician', 'clinician'), 'query').catch(() => null);
    const el = await loaded();
    const tested = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-webhook-tested', (e) => resolve(e), { once: true }));
    $<HTMLButtonElement>(el, '#test-webhook').focus();
    await sendKeys({ press: 'Enter' });
    const detail = (await tested).detail as { ok: boolean; statusCode: number };
    expect(detail.ok).to.equal(false);
    expect(detail.statusCode).to.equal(404);
    await waitUntil(() => status(el).includes('the receiver answered 404'), 'the answer is announced');
    expect($(el, '#test-result').textContent).to.include('Its answer began');
    await expect(el).to.be.accessible();
    if (alertsBefore) {
      const after = await trpc<{ items: unknown[] }>('alerts.list', {}, await tokenFor('test-clinician', 'clinician'), 'query');
      expect(after.items.length).to.equal(alertsBefore.items.length, 'no alert was opened');
    }

    await trpc('admin.setCrisis', { webhookUrl: 'http://127.0.0.1:65531/hook' }, demo.adminToken);
    const closed = await loaded();
    $<HTMLButtonElement>(closed, '#test-webhook').click();
    await waitUntil(() => status(closed).includes('the connection was refused'), 'the error in words', { timeout: 10000 });
  });

  it('makes a new webhook secret, shown once, never in what the server reads back', async () => {
    const el = await loaded();
    $<HTMLButtonElement>(el, '#rotate-secret').click();
    await waitUntil(() => shadow(el).querySelector('#new-secret code'), 'the secret');
    const secret = $(el, '#new-secret code').textContent.trim();
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
    await waitUntil(() => status(el).includes('shown once'), 'announced');
    const read = JSON.stringify(await trpc('admin.crisis', undefined, demo.adminToken, 'query'));
    expect(read).not.to.include(secret);
    const again = await loaded();
    expect(shadow(again).querySelector('#new-secret')).to.equal(null, 'not shown again');
  });

  it("adds and removes a clinic line, which clients then get after the region's lines; refuses one with no way to reach it", async () => {
    const el = await loaded();
    await retype(el, '#hotline-name', 'Lakeside night line');
    $<HTMLButtonElement>(el, '[data-section="hotlines"] button[type="submit"]').click();
    await waitUntil(() => shadow(el).querySelector('#call-error'), 'the missing number is named');
    expect((await trpc<AdminHotlines>('admin.hotlines', undefined, demo.adminToken, 'query')).clinicLines.some((l) => l.name === 'Lakeside night line')).to.equal(false);

    await retype(el, '#hotline-call', '+1 312 555 0177');
    $(el, '#hotline-call').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => status(el).includes('Lakeside night line added.'), 'added');
    const client = await tokenFor(newClientId());
    const resources = await trpc<CrisisResources>('crisis.resources', { locale: 'en-US' }, client, 'query');
    expect(resources.lines.at(-1)!.name).to.equal('Lakeside night line');
    expect(resources.lines[0]!.name).to.equal('988 Suicide & Crisis Lifeline');
    shadow(el).querySelector<HTMLButtonElement>('button[aria-label="Remove Lakeside night line"]')!.click();
    await waitUntil(() => status(el).includes('Lakeside night line removed.'), 'removed');
    expect((await trpc<CrisisResources>('crisis.resources', { locale: 'en-US' }, client, 'query')).lines.some((l) => l.name === 'Lakeside night line')).to.equal(false);
  });

  it('a save that fails for another reason than a refusal is shown, announced and fired as care-error, as in the other admin sections', async () => {
    const el = await loaded();
    const errors = await failWhileServerDown(el, () => $<HTMLButtonElement>(el, '[data-section="crisis"] button[type="submit"]').click());
    expect(errors.map((e) => e.kind)).to.deep.equal(['offline']);
    await waitUntil(() => status(el).includes('The change could not be saved.'), 'announced');
    expect(text(el)).to.include('Could not reach the care server.');
  });

  it('a set-up that cannot be loaded is shown, announced and fired as care-error', async () => {
    const clinician = await tokenFor('test-clinician', 'clinician');
    // Listening on the document (the event bubbles out of the element) from before the element loads.
    const failed = new Promise<CustomEvent<CareErrorDetail>>((resolve) => document.addEventListener('care-error', (e) => resolve(e), { once: true }));
    const el = await fixture<CareAdminCrisis>(html`<care-admin-crisis endpoint=${demo.endpoint} token=${clinician} locale="en-US"></care-admin-crisis>`);
    expect((await failed).detail.kind).to.equal('forbidden');
    await waitUntil(() => status(el).includes('The clinic settings could not be loaded.'), 'announced');
  });

  it('a reload that fails after the set-up was shown says it could not be loaded, not saved; a reload that works takes the notice away', async () => {
    const el = await loaded();
    const notice = () => shadow(el).querySelector('[part="notice"].warning')?.textContent?.replace(/\s+/g, ' ') ?? '';
    const failed = new Promise<CustomEvent<CareErrorDetail>>((resolve) => el.addEventListener('care-error', (e) => resolve(e), { once: true }));
    // A token the server refuses here: the loader reads the set-up again with it, and nothing is being saved.
    el.setAttribute('token', await tokenFor('test-clinician', 'clinician'));
    expect((await failed).detail.kind).to.equal('forbidden');
    await waitUntil(() => notice().includes('The clinic settings could not be loaded.'), `the load-failed notice (notice: ${notice()})`);
    expect(notice()).not.to.include('could not be saved');
    expect($(el, '#webhook-url')).to.exist;
    el.setAttribute('token', demo.adminToken);
    await waitUntil(() => !notice(), 'the notice gone after a reload that works', { timeout: 10000 });
  });

  it('renders right to left in Arabic with no axe violations', async () => {
    const el = await loaded('ar');
    await waitUntil(() => text(el).includes('إعداد الأزمات'), 'Arabic');
    const root = shadow(el).querySelector('div[dir]')!;
    expect(getComputedStyle(root).direction).to.equal('rtl');
    await expect(el).to.be.accessible();
  });
});

describe('<care-provider> offers only the clinic languages', () => {
  it('a browser asking for a language the clinic does not offer gets the clinic default language', async () => {
    const clinic = await trpc<{ languages: string[] | null; defaultLocale: string }>('admin.clinic', undefined, demo.adminToken, 'query');
    await trpc('admin.setClinic', { languages: ['es', 'en'], defaultLocale: 'es' }, demo.adminToken);
    try {
      const provider = await fixture(html`<care-provider endpoint=${demo.endpoint} token=${demo.adminToken} locale="ko"><care-admin></care-admin></care-provider>`);
      const admin = provider.querySelector('care-admin')!;
      await waitUntil(() => (shadow(admin).textContent ?? '').includes('Configuración de la clínica'), 'Spanish, not Korean', { timeout: 10000 });
      expect(shadow(admin).querySelector('[part="base"]')!.getAttribute('lang')).to.equal('es');
      const offered = await fixture(html`<care-provider endpoint=${demo.endpoint} token=${demo.adminToken} locale="en-GB"><care-admin></care-admin></care-provider>`);
      const english = offered.querySelector('care-admin')!;
      await waitUntil(() => (shadow(english).textContent ?? '').includes('Clinic profile'), 'an offered language stays', { timeout: 10000 });
    } finally {
      await trpc('admin.setClinic', { languages: clinic.languages ?? ['en', 'es', 'fr', 'ar', 'zh-Hans', 'zh-Hant', 'vi', 'ko', 'tl', 'ru', 'pt-BR', 'ht'], defaultLocale: clinic.defaultLocale }, demo.adminToken);
    }
  });
});
