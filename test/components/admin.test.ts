import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/admin/index.js';
import type { CareAdmin } from '../../components/admin/admin.js';
import { emulateA11yMedia } from './a11y-checks.js';
import { adminSuite, failWhileServerDown } from './admin-setup.js';
import { newClientId, shadow, tokenFor, trpc } from './helpers.js';

interface Clinic {
  name: string;
  timeZone: string;
  region: string;
  origins: string[];
}
interface Counts {
  none: number;
  elevated: number;
  urgent: number;
  reasons: Record<string, number | undefined>;
}
interface Preview {
  checkIns: number;
  flagged: Counts;
  wouldFlag: Counts;
}

// Other test files share the demo clinic: leave its profile as it was.
const demo = adminSuite<Clinic>('admin.clinic', ({ name, region, timeZone }, token) => trpc('admin.setClinic', { name, region, timeZone }, token));

const adminEl = (locale = 'en-US', token = demo.adminToken) =>
  fixture<CareAdmin>(html`<care-admin endpoint=${demo.endpoint} token=${token} locale=${locale}></care-admin>`);

const text = (el: Element) => shadow(el).textContent?.replace(/\s+/g, ' ') ?? '';
const waitForText = (el: Element, wanted: string, timeout = 10000) => waitUntil(() => text(el).includes(wanted), `waiting for "${wanted}"`, { timeout });
const status = (el: Element) => shadow(el).querySelector('[role="status"]')!.textContent ?? '';
const input = (el: Element, selector: string) => shadow(el).querySelector<HTMLInputElement>(selector)!;

/** The element with its own forms and the crisis and groups sections inside it loaded (their loads failing later would fire care-error too). */
async function loaded(locale = 'en-US'): Promise<CareAdmin> {
  const el = await adminEl(locale);
  const inner = (tag: string, selector: string) => shadow(el).querySelector(tag)?.shadowRoot?.querySelector(selector);
  await waitUntil(() => shadow(el).querySelector('#clinic-name') && inner('care-admin-crisis', '#webhook-url') && inner('care-admin-groups', '#new-group'), 'the profile form and the sections inside', { timeout: 10000 });
  return el;
}

/** Replaces a text box's value the way a person does: focus, select all, type. */
async function retype(el: Element, selector: string, value: string): Promise<void> {
  const box = input(el, selector);
  box.focus();
  box.select();
  await sendKeys({ press: 'Backspace' });
  if (value) await sendKeys({ type: value });
}

describe('<care-admin>', () => {
  it('shows the clinic profile, origins, rules and audit with no axe violations, and no secret', async () => {
    const el = await loaded();
    expect(input(el, '#clinic-name').value).to.equal(demo.original.name);
    for (const heading of ['Clinic profile', 'Allowed portal origins', 'Risk rules', 'Changes']) expect(text(el)).to.include(heading);
    expect(text(el)).to.include('Tokens are verified with a shared secret');
    await expect(el).to.be.accessible();
  });

  it('stays accessible under forced colors and reduced motion', async () => {
    await emulateA11yMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
    try {
      const el = await loaded();
      await expect(el).to.be.accessible();
    } finally {
      await emulateA11yMedia({ forcedColors: 'none', reducedMotion: 'no-preference' });
    }
  });

  it('saves the profile from the keyboard alone, announces it, and the server reads it back; the audit shows before and after', async () => {
    const el = await loaded();
    const saved = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-saved', (e) => resolve(e), { once: true }));
    const name = `Harbor Recovery ${crypto.randomUUID().slice(0, 4)}`;
    await retype(el, '#clinic-name', name);
    await sendKeys({ press: 'Enter' });
    expect((await saved).detail).to.deep.equal({ section: 'profile', action: 'set' });
    await waitUntil(() => status(el).includes('Clinic profile saved.'), 'announced');
    const clinic = await trpc<Clinic>('admin.clinic', undefined, demo.adminToken, 'query');
    expect(clinic.name).to.equal(name);
    await waitForText(el, 'Profile changed');
    expect(text(el)).to.include(name);
    expect(text(el)).to.include('test-admin (admin)');
  });

  it('a time zone the server refuses is named next to its field, announced, focused, and nothing is changed', async () => {
    const el = await loaded();
    const before = await trpc<Clinic>('admin.clinic', undefined, demo.adminToken, 'query');
    const refused = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-refused', (e) => resolve(e), { once: true }));
    await retype(el, '#clinic-name', 'Never saved');
    await retype(el, '#clinic-time-zone', 'Mars/Olympus');
    await sendKeys({ press: 'Enter' });
    expect((await refused).detail).to.deep.equal({ section: 'profile', fields: ['timeZone'] });
    const zone = input(el, '#clinic-time-zone');
    await waitUntil(() => zone.getAttribute('aria-invalid') === 'true', 'the field is marked');
    expect(shadow(el).querySelector('#timeZone-error')!.textContent).to.include('Enter a time zone the server knows');
    expect(zone.getAttribute('aria-describedby')).to.include('timeZone-error');
    await waitUntil(() => shadow(el).activeElement === zone, 'focus moves to the refused field');
    await waitUntil(() => status(el).includes('Not saved'), 'announced');
    expect(await trpc<Clinic>('admin.clinic', undefined, demo.adminToken, 'query')).to.deep.equal(before);
    await expect(el).to.be.accessible();
  });

  it('refuses a region in the wrong form before calling, naming the field', async () => {
    const el = await loaded();
    await retype(el, '#clinic-region', 'usa');
    shadow(el).querySelector<HTMLButtonElement>('[data-section="profile"] button[type="submit"]')!.click();
    await waitUntil(() => shadow(el).querySelector('#region-error'), 'region error');
    expect(shadow(el).querySelector('#region-error')!.textContent).to.include('two-letter country code');
    expect((await trpc<Clinic>('admin.clinic', undefined, demo.adminToken, 'query')).region).to.equal(demo.original.region);
  });

  it('adds and removes a portal origin, and refuses one with a path naming the field', async () => {
    const el = await loaded();
    const origin = `https://portal-${crypto.randomUUID().slice(0, 6)}.example.org`;
    await retype(el, '#new-origin', `${origin}/app`);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(el).querySelector('#origin-error'), 'origin error');
    expect((await trpc<Clinic>('admin.clinic', undefined, demo.adminToken, 'query')).origins).not.to.include(origin);

    await retype(el, '#new-origin', origin);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => status(el).includes(`${origin} added.`), 'added');
    expect(shadow(el).querySelector('#origin-error')).to.equal(null);
    expect((await trpc<{ origins: string[] }>('admin.origins', undefined, demo.adminToken, 'query')).origins).to.include(origin);
    const remove = shadow(el).querySelector<HTMLButtonElement>(`button[aria-label="Remove ${origin}"]`)!;
    remove.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => status(el).includes(`${origin} removed.`), 'removed');
    expect((await trpc<{ origins: string[] }>('admin.origins', undefined, demo.adminToken, 'query')).origins).not.to.include(origin);
  });

  it('the 30-day preview counts the check-ins created through the API and saves nothing', async () => {
    const rules = await trpc<{ stored: unknown; effective: Record<string, unknown> }>('admin.rules', undefined, demo.adminToken, 'query');
    const tried = { ...rules.effective, cravingElevated: 5 };
    const base = await trpc<Preview>('admin.previewRules', { rules: tried }, demo.adminToken, 'query');
    const client = await tokenFor(newClientId());
    for (let i = 0; i < 3; i++) {
      await trpc('checkIn.submit', { clientRequestId: crypto.randomUUID(), templateId: 'daily', answers: { mood: 6, craving: 6, sleepHours: 7, medication: 'yes', used: 'no' }, submittedAt: new Date().toISOString() }, client);
    }
    const el = await loaded();
    await retype(el, '#rule-cravingElevated', '5');
    const previewed = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-previewed', (e) => resolve(e), { once: true }));
    shadow(el).querySelector<HTMLButtonElement>('#preview-rules')!.focus();
    await sendKeys({ press: 'Enter' });
    expect((await previewed).detail.checkIns).to.equal(base.checkIns + 3);
    await waitUntil(() => shadow(el).querySelector('[part="preview"] table'), 'the preview table');
    const row = [...shadow(el).querySelectorAll('[part="preview"] tbody tr')].find((tr) => tr.querySelector('th')!.textContent.trim() === 'High craving')!;
    const [flagged, would] = [...row.querySelectorAll('td')].map((td) => Number(td.textContent));
    expect(flagged).to.equal(base.flagged.reasons.high_craving ?? 0);
    expect(would).to.equal((base.wouldFlag.reasons.high_craving ?? 0) + 3);
    await waitUntil(() => status(el).includes('Nothing has been saved.'), 'the preview is announced');
    const after = await trpc<{ stored: unknown }>('admin.rules', undefined, demo.adminToken, 'query');
    expect(after.stored).to.deep.equal(rules.stored);
    await expect(el).to.be.accessible();
  });

  it('refuses a rule out of range next to its field without calling', async () => {
    const el = await loaded();
    await retype(el, '#rule-moodDropPoints', '150');
    shadow(el).querySelector<HTMLButtonElement>('[data-section="rules"] button[type="submit"]')!.click();
    await waitUntil(() => shadow(el).querySelector('#moodDropPoints-error'), 'the rule is named');
    expect(input(el, '#rule-moodDropPoints').getAttribute('aria-invalid')).to.equal('true');
  });

  it('refusing a group of choices (no language at all) moves focus to its first choice', async () => {
    const el = await loaded();
    const before = await trpc<{ languages: string[] | null }>('admin.clinic', undefined, demo.adminToken, 'query');
    for (const box of [...shadow(el).querySelectorAll<HTMLInputElement>('input[name="languages"]:checked')]) {
      box.click();
      await el.updateComplete;
    }
    const refused = new Promise<CustomEvent>((resolve) => el.addEventListener('care-admin-refused', (e) => resolve(e), { once: true }));
    shadow(el).querySelector<HTMLButtonElement>('[data-section="profile"] button[type="submit"]')!.click();
    expect((await refused).detail).to.deep.equal({ section: 'profile', fields: ['languages'] });
    const first = shadow(el).querySelector('input[name="languages"]');
    await waitUntil(() => shadow(el).activeElement === first, 'focus on the first language');
    expect((await trpc<{ languages: string[] | null }>('admin.clinic', undefined, demo.adminToken, 'query')).languages).to.deep.equal(before.languages);
  });

  it('a preview or save that fails for another reason than a refusal is shown, announced and fired as care-error; the next save that works takes the notice away', async () => {
    const el = await loaded();
    const errors = await failWhileServerDown(el, () => shadow(el).querySelector<HTMLButtonElement>('#preview-rules')!.click());
    expect(errors.map((e) => e.kind)).to.deep.equal(['offline']);
    await waitUntil(() => status(el).includes('The change could not be saved.'), 'announced');
    await waitForText(el, 'Could not reach the care server.');
    await retype(el, '#clinic-name', `Harbor Recovery ${crypto.randomUUID().slice(0, 4)}`);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => status(el).includes('Clinic profile saved.'), 'saved');
    expect(text(el)).not.to.include('Could not reach the care server.');
    expect(errors.length).to.equal(1);
  });

  it('"Show older changes" that fails keeps the rows shown, is shown, announced and fired as care-error; pressing it again loads them', async () => {
    // More than one page of audit (10 rows): eleven renames of the clinic, which the suite names back.
    for (let i = 0; i < 11; i++) await trpc('admin.setClinic', { name: `Harbor Recovery ${i} ${crypto.randomUUID().slice(0, 4)}` }, demo.adminToken);
    const el = await loaded();
    const showMore = () => [...shadow(el).querySelectorAll<HTMLButtonElement>('[data-section="audit"] button')].find((b) => b.textContent?.includes('Show older changes'));
    const rows = () => shadow(el).querySelectorAll('[part="audit"] tbody tr').length;
    await waitUntil(() => showMore(), 'Show older changes');
    expect(rows()).to.equal(10);
    const errors = await failWhileServerDown(el, () => showMore()!.click());
    expect(errors.map((e) => e.kind)).to.deep.equal(['offline']);
    expect(errors[0]!.message).to.be.a('string');
    await waitUntil(() => status(el).includes('Older changes could not be loaded.'), 'announced');
    await waitForText(el, 'Could not reach the care server.');
    expect(rows()).to.equal(10);
    await waitUntil(() => showMore() && !showMore()!.disabled, 'Show older changes can be pressed again');
    showMore()!.click();
    await waitUntil(() => rows() > 10, 'the older changes');
    await waitUntil(() => status(el).includes('Older changes shown.'), 'announced');
    expect(text(el)).not.to.include('Could not reach the care server.');
    expect(errors.length).to.equal(1);
  });

  it('renders right to left in Arabic, translated, with no axe violations', async () => {
    const el = await loaded('ar');
    await waitForText(el, 'ملف العيادة');
    const base = shadow(el).querySelector('[part="base"]')!;
    expect(base.getAttribute('dir')).to.equal('rtl');
    expect(base.getAttribute('lang')).to.equal('ar');
    expect(getComputedStyle(base).direction).to.equal('rtl');
    expect(text(el)).to.include('قواعد الخطورة');
    await expect(el).to.be.accessible();
  });

  it('tells a clinician the settings are for admins', async () => {
    const el = await adminEl('en-US', await tokenFor('test-clinician', 'clinician'));
    await waitForText(el, "Clinic settings are for the clinic's administrators.");
    expect(shadow(el).querySelector('#clinic-name')).to.equal(null);
  });
});
