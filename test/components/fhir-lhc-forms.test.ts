/**
 * Interop with a form filler nobody here wrote: NLM's LHC-Forms (npm `lforms`) renders our PHQ-9
 * Questionnaire as served by /fhir/R4, a person answers it with clicks, and the
 * QuestionnaireResponse LHC-Forms produces is POSTed to us: it must count as a check-in.
 */
import { expect } from '@open-wc/testing';
import { careServer, newClientId, tokenFor, trpc } from './helpers.js';

const LFORMS = '/node_modules/lforms/dist/lforms';

interface LFormsUtil {
  addFormToPage(form: unknown, container: HTMLElement, options?: unknown): Promise<void> | void;
  getFormFHIRData(type: 'QuestionnaireResponse', version: 'R4', container: HTMLElement): fhir4.QuestionnaireResponse;
}
declare global {
  interface Window {
    LForms?: { Util: LFormsUtil };
  }
}

function loadScript(src: string, module = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    if (module) script.type = 'module';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

/** The files LHC-Forms' README lists, in its order. */
async function loadLForms(): Promise<LFormsUtil> {
  if (!window.LForms?.Util.getFormFHIRData) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = `${LFORMS}/webcomponent/styles.css`;
    document.head.append(css);
    await loadScript(`${LFORMS}/webcomponent/assets/lib/zone.min.js`);
    for (const file of ['runtime', 'polyfills', 'main']) await loadScript(`${LFORMS}/webcomponent/${file}.js`, true);
    await loadScript(`${LFORMS}/fhir/R4/lformsFHIR.min.js`);
  }
  for (let i = 0; i < 200 && !window.LForms?.Util.getFormFHIRData; i++) await new Promise((r) => setTimeout(r, 50));
  if (!window.LForms) throw new Error('LHC-Forms did not load');
  return window.LForms.Util;
}

async function until<T>(what: string, get: () => T | null | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = get();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Clicks the radio button of `linkId`'s answer whose code is `code`, as a person would. */
async function choose(container: HTMLElement, linkId: string, code: string): Promise<void> {
  const label = await until(`${linkId} ${code}`, () => container.querySelector<HTMLElement>(`label[id="${linkId}/1|http://loinc.org|${code}"]`));
  label.querySelector<HTMLInputElement>('input[type=radio]')!.click();
}

describe('LHC-Forms fills our PHQ-9 and the response counts as a check-in', () => {
  it('stores it once, scores it, raises the urgent alert and reads back equal in meaning', async () => {
    const { endpoint } = await careServer();
    const fhir = `${endpoint}/fhir/R4`;
    const questionnaire = (await (await fetch(`${fhir}/Questionnaire/phq9-v1`)).json()) as fhir4.Questionnaire;
    expect(questionnaire.code?.[0]?.code).to.equal('44249-1');

    const util = await loadLForms();
    const container = document.createElement('div');
    document.body.append(container);
    await util.addFormToPage(questionnaire, container);

    // Several days (1) for items 1 and 2, more than half the days (2) for item 9, not at all for the rest: 4 of 27.
    const answers: Record<string, string> = { q1: 'LA6569-3', q2: 'LA6569-3', q9: 'LA6570-1' };
    for (let i = 1; i <= 9; i++) await choose(container, `q${i}`, answers[`q${i}`] ?? 'LA6568-5');
    await choose(container, 'difficulty', 'LA6573-5');

    const filled = util.getFormFHIRData('QuestionnaireResponse', 'R4', container);
    expect(filled.questionnaire).to.equal(`${questionnaire.url}|${questionnaire.version}`);
    // What the portal adds around any filler: who answers and the request id that makes a resend harmless.
    const clientId = newClientId();
    const token = await tokenFor(clientId);
    const requestId = crypto.randomUUID();
    const response = { ...filled, identifier: { system: 'urn:care-widgets:client-request-id', value: requestId } };
    const post = () =>
      fetch(`${fhir}/QuestionnaireResponse`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(response),
      });

    const created = await post();
    expect(created.status, await created.clone().text()).to.equal(201);
    const stored = (await created.json()) as fhir4.QuestionnaireResponse;
    const answerOf = (qr: fhir4.QuestionnaireResponse, linkId: string) => qr.item?.find((i) => i.linkId === linkId)?.answer?.[0];
    expect(answerOf(stored, 'total')?.valueInteger).to.equal(4);
    for (let i = 1; i <= 9; i++) expect(answerOf(stored, `q${i}`)?.valueCoding?.code, `q${i}`).to.equal(answers[`q${i}`] ?? 'LA6568-5');
    expect(answerOf(stored, 'difficulty')?.valueCoding?.code).to.equal('LA6573-5');

    const again = await post();
    expect(again.status).to.equal(200);
    expect(((await again.json()) as fhir4.QuestionnaireResponse).id).to.equal(stored.id);

    const clinician = await tokenFor('lhc-forms-clinician', 'clinician');
    const alerts = await trpc<{ items: { clientId: string; level: string; reasons: string[] }[] }>('alerts.list', { clientId }, clinician, 'query');
    expect(alerts.items.length).to.equal(1);
    expect(alerts.items[0]!.level).to.equal('urgent');

    const read = (await (await fetch(`${fhir}/QuestionnaireResponse/${stored.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as fhir4.QuestionnaireResponse;
    expect(read.identifier?.value).to.equal(requestId);
    expect(read.item?.map((i) => i.linkId)).to.deep.equal(stored.item?.map((i) => i.linkId));
    container.remove();
  });
});
