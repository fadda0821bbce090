import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareCheckIn } from '../../components/check-in/check-in.js';
import type { CareOutcomes } from '../../components/clinician/outcomes.js';
import type { CareProgress } from '../../components/progress/progress.js';
import { careServer, control, liveRegion, newClientId, shadow, tokenFor, trpc } from './helpers.js';

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');
const fields = (el: Element) => [...shadow(el).querySelectorAll('[data-question]')].map((f) => f.getAttribute('data-question'));

describe('BAM item 5 in <care-check-in>: asked only when item 4 is above 0', () => {
  it('is not shown until item 4 is typed above 0, then follows it in tab order, is announced, and leaves again at 0', async () => {
    const token = await tokenFor(newClientId());
    const el = await fixture<CareCheckIn>(html`<care-check-in endpoint=${endpoint} token=${token} locale="en-US" template="bam"></care-check-in>`);
    await waitUntil(() => shadow(el).querySelector('[name="q4"]'), 'form shown', { timeout: 10000 });
    expect(shadow(el).querySelector('[name="q5"]')).to.equal(null);
    expect(fields(el).slice(fields(el).indexOf('q4'), fields(el).indexOf('q4') + 2)).to.deep.equal(['q4', 'q6']);

    // Keyboard only: focus item 4, type 2 days, Tab goes to item 5.
    control(el, 'q4').focus();
    await sendKeys({ type: '2' });
    await el.updateComplete;
    await waitUntil(() => shadow(el).querySelector('[name="q5"]'), 'item 5 shown', { timeout: 5000 });
    expect(fields(el).slice(fields(el).indexOf('q4'), fields(el).indexOf('q4') + 3)).to.deep.equal(['q4', 'q5', 'q6']);
    expect(shadow(el).querySelector('label[for="q5"]')!.textContent).to.contain('at least 5 drinks');
    await waitUntil(() => liveRegion(el).textContent?.includes('One more question was added below.'), 'announced', { timeout: 5000 });
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement?.getAttribute('name')).to.equal('q5');
    await expect(el).to.be.accessible();

    control(el, 'q4').focus();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: '0' });
    await el.updateComplete;
    await waitUntil(() => shadow(el).querySelector('[name="q5"]') === null, 'item 5 gone', { timeout: 5000 });
    await waitUntil(() => liveRegion(el).textContent?.includes('Questions that no longer apply to your answers were removed.'), 'removal announced', { timeout: 5000 });
  });
});

const BAM = { q1: 1, q2: 2, q3: 0, q4: 0, q6: 0, q8: 1, q9: 3, q10: 10, q11: 1, q12: 2, q13: 4, q14: 'yes', q15: 1, q16: 2, q17: 3 };
async function sendBam(token: string, answers: Record<string, unknown>, minutesAgo: number) {
  return trpc<{ score: { use: number; risk: number; protective: number } }>(
    'checkIn.submit',
    { clientRequestId: crypto.randomUUID(), templateId: 'bam', answers, submittedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString() },
    token,
  );
}

describe('BAM subscales where people see results', () => {
  it('<care-progress> says the latest result in plain words, which way is better, and the one before', async () => {
    const sub = newClientId();
    const token = await tokenFor(sub);
    await sendBam(token, { ...BAM, q4: 5, q5: 1 }, 120);
    const latest = await sendBam(token, BAM, 5);
    const el = await fixture<CareProgress>(html`<care-progress endpoint=${endpoint} token=${token} locale="en-US"></care-progress>`);
    await waitUntil(() => shadow(el).querySelector('[part="bam"]'), 'BAM shown', { timeout: 10000 });
    const bam = shadow(el).querySelector('[part="bam"]')!;
    const said = (bam.textContent ?? '').replace(/\s+/g, ' ');
    expect(said).to.contain(`Use (alcohol and drugs): ${latest.score.use} of 12. Lower means less use`);
    expect(said).to.contain(`: ${latest.score.risk} of 24. Lower is better.`);
    expect(said).to.contain(`: ${latest.score.protective} of 24. Higher is better.`);
    expect(said).to.contain('The time before');
    expect(said).to.not.match(/danger|warning|alarm/i);
    await expect(el).to.be.accessible();
  });

  it('<care-outcomes> charts the monthly means with what each subscale means', async () => {
    await sendBam(await tokenFor(newClientId()), { ...BAM, q6: 3, q7a: 3, q7b: 0, q7c: 0, q7d: 0, q7e: 0, q7f: 0, q7g: 0 }, 5);
    const staff = await tokenFor(newClientId(), 'clinician');
    const el = await fixture<CareOutcomes>(html`<care-outcomes endpoint=${endpoint} token=${staff} locale="en-US"></care-outcomes>`);
    await waitUntil(() => shadow(el).querySelector('[part~="bam"]'), 'BAM chart shown', { timeout: 10000 });
    expect(text(el)).to.contain('Brief Addiction Monitor (monthly means)');
    expect(text(el)).to.match(/BAM check-ins in these months: \d+\./);
    expect(text(el)).to.contain('Protective factors (0–24)');
    expect(text(el)).to.contain('higher is better');
    await expect(el).to.be.accessible();
  });
});
