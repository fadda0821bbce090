import { expect } from '@open-wc/testing';

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

async function loadLForms(): Promise<LFormsUtil> {
  if (window.LForms?.Util.getFormFHIRData) return window.LForms.Util;
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = `${LFORMS}/webcomponent/styles.css`;
  document.head.append(css);
  await loadScript(`${LFORMS}/webcomponent/assets/lib/zone.min.js`);
  for (const file of ['runtime', 'polyfills', 'main']) await loadScript(`${LFORMS}/webcomponent/${file}.js`, true);
  await loadScript(`${LFORMS}/fhir/R4/lformsFHIR.min.js`);
  for (let i = 0; i < 100 && !window.LForms?.Util.getFormFHIRData; i++) await new Promise((r) => setTimeout(r, 50));
  if (!window.LForms) throw new Error('LForms did not load');
  return window.LForms.Util;
}

describe('LHC-Forms (prototype)', () => {
  it('renders a questionnaire and produces a response', async () => {
    const util = await loadLForms();
    const container = document.createElement('div');
    document.body.append(container);
    const q = {
      resourceType: 'Questionnaire', status: 'active', url: 'https://x/q', version: '1',
      item: [{ linkId: 'q1', text: 'Little interest', type: 'choice', required: true,
        extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl', valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/questionnaire-item-control', code: 'radio-button' }] } }],
        answerOption: [{ valueCoding: { system: 'http://loinc.org', code: 'LA6568-5', display: 'Not at all' } }, { valueCoding: { system: 'http://loinc.org', code: 'LA6569-3', display: 'Several days' } }] }],
    };
    await util.addFormToPage(q, container);
    await new Promise((r) => setTimeout(r, 500));
    console.log(container.innerHTML.slice(0, 3000));
    const radios = container.querySelectorAll('input[type=radio]');
    console.log('radios', radios.length);
    (radios[1] as HTMLInputElement).click();
    await new Promise((r) => setTimeout(r, 200));
    const qr = util.getFormFHIRData('QuestionnaireResponse', 'R4', container);
    console.log(JSON.stringify(qr));
    expect(qr.resourceType).to.equal('QuestionnaireResponse');
  });
});
