import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import type { CareSafetyPlan } from '../../components/crisis/safety-plan.js';
import { planVersions, samplePlan, savePlan } from './crisis-helpers.js';
import { careServer, newClientId, shadow, tokenFor } from './helpers.js';

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

async function safetyPlan(token: string, attrs: { locale?: string; theme?: string; dir?: string; clientId?: string } = {}) {
  return fixture<CareSafetyPlan>(html`
    <care-safety-plan
      endpoint=${endpoint}
      token=${token}
      locale=${attrs.locale ?? 'en-US'}
      theme=${attrs.theme ?? 'auto'}
      dir=${attrs.dir ?? 'ltr'}
      client-id=${attrs.clientId ?? ''}
    ></care-safety-plan>
  `);
}

const text = (el: Element) => shadow(el).textContent.replace(/\s+/g, ' ');
const waitForText = (el: Element, wanted: string, timeout = 10000) =>
  waitUntil(() => text(el).includes(wanted), `waiting for "${wanted}"`, { timeout });
const button = (el: Element, label: string) => {
  const found = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent.replace(/\s+/g, ' ').trim().startsWith(label));
  if (!found) throw new Error(`no button "${label}"`);
  return found;
};
const status = (el: Element) => shadow(el).querySelector('[role="status"]')!;
function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}
const field = (el: Element, section: string, index: number, kind: 'text' | 'phone' = 'text') =>
  shadow(el).querySelector<HTMLInputElement>(`input[data-section="${section}"][data-index="${index}"][data-field="${kind}"]`)!;

describe('<care-safety-plan>', () => {
  it('starts an empty plan, adds items with a phone number, and saves version 1 with an announcement', async () => {
    const sub = newClientId();
    const el = await safetyPlan(await tokenFor(sub));
    await waitForText(el, "You haven't written a safety plan yet");
    button(el, 'Start my safety plan').click();
    await el.updateComplete;
    expect(shadow(el).querySelectorAll('fieldset')).to.have.length(7);
    shadow(el).querySelector<HTMLButtonElement>('[data-add="warningSigns"]')!.click();
    await el.updateComplete;
    expect(shadow(el).activeElement).to.equal(field(el, 'warningSigns', 0), 'focus moves to the new item');
    type(field(el, 'warningSigns', 0), 'Not sleeping');
    shadow(el).querySelector<HTMLButtonElement>('[data-add="helpContacts"]')!.click();
    await el.updateComplete;
    type(field(el, 'helpContacts', 0), 'Maria');
    type(field(el, 'helpContacts', 0, 'phone'), '+1 202 555 0162');
    shadow(el).querySelector<HTMLButtonElement>('[data-add="reasonsForLiving"]')!.click();
    shadow(el).querySelector<HTMLButtonElement>('[data-add="reasonsForLiving"]')!.click();
    await el.updateComplete;
    type(field(el, 'reasonsForLiving', 0), 'My daughter');
    type(field(el, 'reasonsForLiving', 1), 'to be removed');
    shadow(el).querySelector<HTMLButtonElement>('button[aria-label="Remove item 2 from My reasons for living"]')!.click();
    await el.updateComplete;
    expect(field(el, 'reasonsForLiving', 1)).to.equal(null);
    const saved = oneEvent(el, 'care-plan-saved');
    shadow(el).querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
    const { detail } = await saved;
    expect(detail.version).to.equal(1);
    expect(detail.contacts).to.deep.equal([{ name: 'Maria', phone: '+1 202 555 0162', section: 'helpContacts' }]);
    await waitUntil(() => status(el).textContent === 'Saved, version 1.', 'announced');
    await waitForText(el, 'Version 1, saved');
    const links = [...shadow(el).querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(['tel:+12025550162', 'sms:+12025550162']);
    expect(await planVersions(sub)).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('every save is a new version; earlier versions stay on the server', async () => {
    const sub = newClientId();
    const token = await tokenFor(sub);
    await savePlan(token, null, samplePlan());
    const el = await safetyPlan(token);
    await waitForText(el, 'Version 1');
    for (const version of [2, 3]) {
      el.edit();
      await el.updateComplete;
      type(field(el, 'copingStrategies', 0), `Walk, take ${version}`);
      shadow(el).querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
      await waitUntil(() => status(el).textContent === `Saved, version ${version}.`, `version ${version}`);
    }
    expect((await planVersions(sub)).map((v) => v.version)).to.deep.equal([3, 2, 1]);
    expect(text(el)).to.include('Walk, take 3');
  });

  it('shows field errors next to the phone box and does not send an invalid plan', async () => {
    const sub = newClientId();
    const el = await safetyPlan(await tokenFor(sub));
    await waitForText(el, "You haven't written");
    el.edit();
    await el.updateComplete;
    shadow(el).querySelector<HTMLButtonElement>('[data-add="professionals"]')!.click();
    await el.updateComplete;
    type(field(el, 'professionals', 0), 'Dr. Rivera');
    type(field(el, 'professionals', 0, 'phone'), 'call me');
    shadow(el).querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
    await el.updateComplete;
    const phone = field(el, 'professionals', 0, 'phone');
    await waitUntil(() => phone.getAttribute('aria-invalid') === 'true');
    expect(shadow(el).getElementById(phone.getAttribute('aria-describedby')!)!.textContent).to.include('Please enter a phone number');
    expect(shadow(el).activeElement).to.equal(phone);
    await waitUntil(() => status(el).textContent === 'Please check 1 item.');
    expect(await planVersions(sub)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('handles a conflict: a stale save is refused, edits are kept, and the person chooses', async () => {
    const sub = newClientId();
    const token = await tokenFor(sub);
    await savePlan(token, null, samplePlan());
    const el = await safetyPlan(token);
    await waitForText(el, 'Version 1');
    el.edit();
    await el.updateComplete;
    type(field(el, 'warningSigns', 0), 'My edit from the phone');
    // Meanwhile the plan is saved elsewhere (another device).
    expect((await savePlan(token, 1, samplePlan({ warningSigns: [{ text: 'Saved on the laptop' }] }))).status).to.equal(200);
    shadow(el).querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
    await waitForText(el, 'Your plan was changed somewhere else');
    expect(field(el, 'warningSigns', 0).value).to.equal('My edit from the phone', 'edits kept');
    expect(shadow(el).activeElement).to.equal(shadow(el).querySelector('.conflict'));
    await waitUntil(() => status(el).textContent?.includes('a newer version (2) was saved'));
    await expect(el).to.be.accessible();
    button(el, 'Save my changes').click();
    await waitUntil(() => status(el).textContent === 'Saved, version 3.', 'saved on top');
    expect((await planVersions(sub)).map((v) => v.version)).to.deep.equal([3, 2, 1]);
    expect(text(el)).to.include('My edit from the phone');
  });

  it("shows a clinician's suggestion to the client, who can take it up", async () => {
    const sub = newClientId();
    const token = await tokenFor(sub);
    await savePlan(token, null, samplePlan());
    const clinician = await tokenFor('test-clinician', 'clinician');
    expect((await savePlan(clinician, 1, samplePlan({ copingStrategies: [{ text: 'Breathing exercise 4-7-8' }] }), sub)).status).to.equal(200);
    const el = await safetyPlan(token);
    await waitForText(el, 'suggested changes');
    expect(text(el)).to.include('Your own plan stays as it is');
    button(el, 'Review and use it').click();
    await el.updateComplete;
    expect(field(el, 'copingStrategies', 0).value).to.equal('Breathing exercise 4-7-8');
    shadow(el).querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
    await waitUntil(() => status(el).textContent === 'Saved, version 3.');
    expect((await planVersions(sub)).map((v) => v.kind)).to.deep.equal(['plan', 'suggestion', 'plan']);
  });

  it('lets a clinician view the plan and save a suggestion', async () => {
    const sub = newClientId();
    await savePlan(await tokenFor(sub), null, samplePlan());
    const el = await safetyPlan(await tokenFor('test-clinician', 'clinician'), { clientId: sub });
    await waitForText(el, "Client's safety plan");
    await waitForText(el, 'Maria');
    button(el, 'Suggest changes').click();
    await el.updateComplete;
    type(field(el, 'safeEnvironment', 0), 'Lock away medication');
    button(el, 'Save as suggestion').click();
    await waitUntil(() => status(el).textContent?.startsWith('Suggestion saved as version 2'));
    expect((await planVersions(sub))[0]).to.deep.include({ version: 2, kind: 'suggestion' });
    await waitForText(el, 'is waiting for the client to review');
  });

  it('shows the copy kept on the device when the server is down', async () => {
    const token = await tokenFor(newClientId());
    await savePlan(token, null, samplePlan());
    const first = await safetyPlan(token);
    await waitForText(first, 'Maria');
    fixtureCleanup();
    await careServer('stop');
    try {
      const el = await safetyPlan(token);
      await waitForText(el, "You're offline. This is the copy saved on this device");
      expect(text(el)).to.include('Maria');
      expect(text(el)).to.include('My daughter');
      await expect(el).to.be.accessible();
    } finally {
      await careServer('start');
    }
  });

  it('downloads the plan as a text file and has a print stylesheet', async () => {
    const token = await tokenFor(newClientId());
    await savePlan(token, null, samplePlan());
    const el = await safetyPlan(token);
    await waitForText(el, 'Maria');
    const clicked: { name: string; href: string }[] = [];
    const realClick = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ name: this.download, href: this.href });
    };
    try {
      button(el, 'Download a copy').click();
    } finally {
      HTMLAnchorElement.prototype.click = realClick;
    }
    expect(clicked).to.have.length(1);
    expect(clicked[0]!.name).to.equal('my-safety-plan-v1.txt');
    const file = await (await fetch(clicked[0]!.href)).text();
    expect(file).to.include('My safety plan');
    expect(file).to.include('4. People I can ask for help');
    expect(file).to.include('– Maria (+1 202 555 0162)');
    expect(file).to.include('Call 988 Suicide & Crisis Lifeline: 988');
    const printRules = shadow(el)
      .adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
      .filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule && rule.media.mediaText === 'print');
    expect(printRules.length).to.be.greaterThan(0);
    expect(printRules.map((r) => r.cssText).join(' ')).to.include('display: none');
  });

  it('says when the token has expired', async () => {
    const el = await safetyPlan('eyJhbGciOiJIUzI1NiJ9.eyJjbGluaWMiOiJkZW1vLWNsaW5pYyIsInN1YiI6Im5vYm9keSIsInJvbGUiOiJjbGllbnQiLCJleHAiOjF9.x');
    await waitForText(el, 'Please sign in to your clinic portal again');
  });

  for (const variant of [
    { name: 'Spanish', attrs: { locale: 'es' }, heading: 'Mi plan de seguridad' },
    { name: 'dark', attrs: { theme: 'dark' }, heading: 'My safety plan' },
    { name: 'right-to-left', attrs: { dir: 'rtl' }, heading: 'My safety plan' },
    { name: 'English', attrs: {}, heading: 'My safety plan' },
  ]) {
    it(`has no axe violations in ${variant.name}, viewing and editing`, async () => {
      const token = await tokenFor(newClientId());
      await savePlan(token, null, samplePlan());
      const el = await safetyPlan(token, variant.attrs);
      await waitUntil(() => shadow(el).querySelector('h2')!.textContent === variant.heading, 'localized heading', { timeout: 5000 });
      await waitForText(el, 'Maria');
      await expect(el).to.be.accessible();
      el.edit();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  }
});
