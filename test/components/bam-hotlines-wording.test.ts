import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import type { CareCheckIn } from '../../components/check-in/check-in.js';
import type { CareCrisisButton } from '../../components/crisis/crisis-button.js';
import { careServer, control, liveRegion, newClientId, shadow, submitButton, tokenFor } from './helpers.js';

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');

function setNumber(el: CareCheckIn, name: string, value: number) {
  const input = control(el, name);
  input.value = String(value);
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('BAM items 7A–7G in <care-check-in>', () => {
  it('asks 7A–7G under the item 7 stem only while item 6 is above 0, announces them, and sends them', async () => {
    const token = await tokenFor(newClientId());
    const el = await fixture<CareCheckIn>(html`<care-check-in endpoint=${endpoint} token=${token} locale="en-US" template="bam"></care-check-in>`);
    await waitUntil(() => shadow(el).querySelector('[name="q6"]'), 'form shown', { timeout: 10000 });
    expect(shadow(el).querySelector('[data-group="q7"]')).to.equal(null);
    expect(shadow(el).querySelector('[name="q7a"]')).to.equal(null);

    setNumber(el, 'q6', 3);
    await el.updateComplete;
    const group = shadow(el).querySelector('fieldset[data-group="q7"]')!;
    expect(group, 'group shown').to.exist;
    expect(group.querySelector('legend')!.textContent).to.contain('how many days did you use any of the following drugs');
    expect([...group.querySelectorAll('input')].map((i) => i.name)).to.deep.equal(['q7a', 'q7b', 'q7c', 'q7d', 'q7e', 'q7f', 'q7g']);
    // Right after item 6 in reading and tab order, each with its own label.
    const fields = [...shadow(el).querySelectorAll('[data-question]')].map((f) => f.getAttribute('data-question'));
    expect(fields.slice(fields.indexOf('q6'), fields.indexOf('q6') + 3)).to.deep.equal(['q6', 'q7a', 'q7b']);
    expect(shadow(el).querySelector('label[for="q7a"]')!.textContent).to.contain('Marijuana');
    await waitUntil(() => liveRegion(el).textContent?.includes('Questions about each drug were added below.'), 'announced', { timeout: 5000 });
    await expect(el).to.be.accessible();

    // Sending without them names each missing one and focuses the first.
    for (const [name, value] of [['q1', '1'], ['q8', '1'], ['q9', '3'], ['q12', '2'], ['q14', 'yes'], ['q15', '1'], ['q17', '3']] as const) control(el, name, value).click();
    for (const name of ['q2', 'q3', 'q4', 'q10', 'q11', 'q13', 'q16']) setNumber(el, name, 0);
    await el.updateComplete;
    submitButton(el).click();
    await waitUntil(() => shadow(el).querySelector('#q7a-error'), 'errors shown', { timeout: 10000 });
    expect(shadow(el).querySelectorAll('[id^="q7"][id$="-error"]').length).to.equal(7);
    expect(control(el, 'q7a').getAttribute('aria-invalid')).to.equal('true');

    for (const name of ['q7a', 'q7b', 'q7c', 'q7d', 'q7e', 'q7f', 'q7g']) setNumber(el, name, name === 'q7a' ? 3 : 0);
    await el.updateComplete;
    const sent = oneEvent(el, 'care-submitted');
    submitButton(el).click();
    const { detail } = await sent;
    expect(detail.result.score).to.deep.equal({ instrument: 'bam', use: 1, risk: 3, protective: 9 });
    await waitUntil(() => text(el).includes('Use: 1 of 12.'), 'score shown', { timeout: 10000 });
  });

  it('drops 7A–7G answers when item 6 goes back to 0', async () => {
    const token = await tokenFor(newClientId());
    const el = await fixture<CareCheckIn>(html`<care-check-in endpoint=${endpoint} token=${token} locale="es" template="bam"></care-check-in>`);
    await waitUntil(() => shadow(el).querySelector('[name="q6"]'), 'form shown', { timeout: 10000 });
    setNumber(el, 'q6', 2);
    await el.updateComplete;
    setNumber(el, 'q7c', 2);
    setNumber(el, 'q6', 0);
    await el.updateComplete;
    expect(shadow(el).querySelector('[name="q7c"]')).to.equal(null);
    const { cleanAnswers } = await import('../../components/check-in/validation.js');
    const { TEMPLATES } = await import('../../server/contract/templates.js');
    expect(cleanAnswers(TEMPLATES.bam, el.answers)).to.not.have.property('q7c');
  });
});

describe('crisis lines: 988 options and countries without a national line', () => {
  const open = async (locale: string, region: string) => {
    const el = await fixture<CareCrisisButton>(
      html`<care-crisis-button locale=${locale} region=${region} variant="inline"></care-crisis-button>`,
    );
    shadow(el).querySelector<HTMLButtonElement>('[part="trigger"]')!.click();
    await el.updateComplete;
    return el;
  };

  it('shows 988 press 1 (Veterans Crisis Line) and press 2 (Spanish) to US readers, in their language, Spanish first in Spanish', async () => {
    const en = await open('en-US', 'US');
    const options = () => [...shadow(en).querySelectorAll('[part~="crisis-option"]')].map((a) => a.textContent.trim());
    expect(options()).to.deep.equal(['Veterans Crisis Line: call 988, then press 1', 'In Spanish: call 988, then press 2']);
    expect([...shadow(en).querySelectorAll('[part~="crisis-option"]')].every((a) => a.getAttribute('href') === 'tel:988')).to.equal(true);
    await expect(en).to.be.accessible();
    fixtureCleanup();

    const es = await open('es-US', 'US');
    await waitUntil(() => text(es).includes('En español'), 'Spanish strings', { timeout: 10000 });
    const spanish = [...shadow(es).querySelectorAll('[part~="crisis-option"]')].map((a) => a.textContent.trim());
    expect(spanish).to.deep.equal(['En español: llame al 988 y marque el 2', 'Línea de Crisis para Veteranos: llame al 988 y marque el 1']);
  });

  it('says plainly when no national line is known, with the emergency number and the international directory', async () => {
    const el = await open('vi', 'VN');
    await waitUntil(() => shadow(el).querySelector('[part="no-national-line"]'), 'sentence shown', { timeout: 10000 });
    expect(shadow(el).querySelector('[part="emergency"]')!.getAttribute('href')).to.equal('tel:115');
    expect(shadow(el).querySelector('[part~="directory"]')!.getAttribute('href')).to.equal('https://findahelpline.com');
    expect(shadow(el).querySelector('[part="crisis-lines"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe("a clinic's own wording through <care-provider strings>", () => {
  it('shows the override, keeps the rest, and refuses instrument keys naming them', async () => {
    const token = await tokenFor(newClientId());
    const strings = {
      en: { 'checkIn.submit': 'Send to my care team', 'templates.phq9.q1.label': 'Reworded item', 'scales.frequency.0': 'Never' },
    };
    const provider = document.createElement('care-provider');
    const refused = oneEvent(provider, 'care-strings-refused');
    provider.endpoint = endpoint;
    provider.token = token;
    provider.locale = 'en-US';
    provider.strings = strings;
    provider.innerHTML = '<care-check-in template="phq9"></care-check-in>';
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    host.append(provider);
    const { detail } = await refused;
    expect(detail.keys).to.deep.equal(['templates.phq9.q1.label', 'scales.frequency.0']);
    const el = provider.querySelector('care-check-in') as CareCheckIn;
    await waitUntil(() => submitButton(el)?.textContent?.includes('Send to my care team'), 'override shown', { timeout: 10000 });
    // The instrument keeps its published wording and answer labels.
    expect(text(el)).to.contain('Little interest or pleasure in doing things');
    expect(text(el)).not.to.contain('Reworded item');
    expect(text(el)).to.contain('Not at all');
    // Keys the clinic left out keep the shipped text.
    expect(text(el)).to.contain('Mood questionnaire (PHQ-9)');
    await expect(el).to.be.accessible();

    // Another language without the key shows its own shipped text; a new set replaces the old one.
    provider.strings = { es: { 'checkIn.submit': 'Enviar a mi equipo' } };
    provider.locale = 'es';
    await waitUntil(() => submitButton(el)?.textContent?.includes('Enviar a mi equipo'), 'Spanish override', { timeout: 10000 });
    provider.locale = 'en-US';
    await waitUntil(() => submitButton(el)?.textContent?.trim() === 'Send check-in', 'English restored', { timeout: 10000 });
  });
});
