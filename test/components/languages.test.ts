import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import type { CareCheckIn } from '../../components/check-in/check-in.js';
import type { CareProvider } from '../../components/core/provider.js';
import type { CareCrisisButton } from '../../components/crisis/crisis-button.js';
import arCheckIn from '../../locales/ar/checkIn.json';
import arCrisis from '../../locales/ar/crisis.json';
import arCrisisButton from '../../locales/ar/crisisButton.json';
import arErrors from '../../locales/ar/errors.json';
import arTemplates from '../../locales/ar/templates.json';
import enCheckIn from '../../locales/en/checkIn.json';
import enCrisis from '../../locales/en/crisis.json';
import enCrisisButton from '../../locales/en/crisisButton.json';
import enErrors from '../../locales/en/errors.json';
import enTemplates from '../../locales/en/templates.json';
import esCheckIn from '../../locales/es/checkIn.json';
import esCrisis from '../../locales/es/crisis.json';
import esCrisisButton from '../../locales/es/crisisButton.json';
import esErrors from '../../locales/es/errors.json';
import esTemplates from '../../locales/es/templates.json';
import frCheckIn from '../../locales/fr/checkIn.json';
import frCrisis from '../../locales/fr/crisis.json';
import frCrisisButton from '../../locales/fr/crisisButton.json';
import frErrors from '../../locales/fr/errors.json';
import frTemplates from '../../locales/fr/templates.json';
import zhHansCheckIn from '../../locales/zh-Hans/checkIn.json';
import zhHansCrisis from '../../locales/zh-Hans/crisis.json';
import zhHansCrisisButton from '../../locales/zh-Hans/crisisButton.json';
import zhHansErrors from '../../locales/zh-Hans/errors.json';
import zhHansTemplates from '../../locales/zh-Hans/templates.json';
import zhHantCheckIn from '../../locales/zh-Hant/checkIn.json';
import zhHantCrisis from '../../locales/zh-Hant/crisis.json';
import zhHantCrisisButton from '../../locales/zh-Hant/crisisButton.json';
import zhHantErrors from '../../locales/zh-Hant/errors.json';
import zhHantTemplates from '../../locales/zh-Hant/templates.json';
import viCheckIn from '../../locales/vi/checkIn.json';
import viCrisis from '../../locales/vi/crisis.json';
import viCrisisButton from '../../locales/vi/crisisButton.json';
import viErrors from '../../locales/vi/errors.json';
import viTemplates from '../../locales/vi/templates.json';
import koCheckIn from '../../locales/ko/checkIn.json';
import koCrisis from '../../locales/ko/crisis.json';
import koCrisisButton from '../../locales/ko/crisisButton.json';
import koErrors from '../../locales/ko/errors.json';
import koTemplates from '../../locales/ko/templates.json';
import tlCheckIn from '../../locales/tl/checkIn.json';
import tlCrisis from '../../locales/tl/crisis.json';
import tlCrisisButton from '../../locales/tl/crisisButton.json';
import tlErrors from '../../locales/tl/errors.json';
import tlTemplates from '../../locales/tl/templates.json';
import ruCheckIn from '../../locales/ru/checkIn.json';
import ruCrisis from '../../locales/ru/crisis.json';
import ruCrisisButton from '../../locales/ru/crisisButton.json';
import ruErrors from '../../locales/ru/errors.json';
import ruTemplates from '../../locales/ru/templates.json';
import ptBRCheckIn from '../../locales/pt-BR/checkIn.json';
import ptBRCrisis from '../../locales/pt-BR/crisis.json';
import ptBRCrisisButton from '../../locales/pt-BR/crisisButton.json';
import ptBRErrors from '../../locales/pt-BR/errors.json';
import ptBRTemplates from '../../locales/pt-BR/templates.json';
import htCheckIn from '../../locales/ht/checkIn.json';
import htCrisis from '../../locales/ht/crisis.json';
import htCrisisButton from '../../locales/ht/crisisButton.json';
import htErrors from '../../locales/ht/errors.json';
import htTemplates from '../../locales/ht/templates.json';
import { careServer, control, liveRegion, newClientId, shadow, submitButton, tokenFor } from './helpers.js';

/** The namespaces these tests read, per language, keyed as the widgets' keys are (`checkIn.submit`). */
const ar = { checkIn: arCheckIn, crisis: arCrisis, crisisButton: arCrisisButton, errors: arErrors, templates: arTemplates };
const en = { checkIn: enCheckIn, crisis: enCrisis, crisisButton: enCrisisButton, errors: enErrors, templates: enTemplates };
const es = { checkIn: esCheckIn, crisis: esCrisis, crisisButton: esCrisisButton, errors: esErrors, templates: esTemplates };
const fr = { checkIn: frCheckIn, crisis: frCrisis, crisisButton: frCrisisButton, errors: frErrors, templates: frTemplates };
const zhHans = { checkIn: zhHansCheckIn, crisis: zhHansCrisis, crisisButton: zhHansCrisisButton, errors: zhHansErrors, templates: zhHansTemplates };
const zhHant = { checkIn: zhHantCheckIn, crisis: zhHantCrisis, crisisButton: zhHantCrisisButton, errors: zhHantErrors, templates: zhHantTemplates };
const vi = { checkIn: viCheckIn, crisis: viCrisis, crisisButton: viCrisisButton, errors: viErrors, templates: viTemplates };
const ko = { checkIn: koCheckIn, crisis: koCrisis, crisisButton: koCrisisButton, errors: koErrors, templates: koTemplates };
const tl = { checkIn: tlCheckIn, crisis: tlCrisis, crisisButton: tlCrisisButton, errors: tlErrors, templates: tlTemplates };
const ru = { checkIn: ruCheckIn, crisis: ruCrisis, crisisButton: ruCrisisButton, errors: ruErrors, templates: ruTemplates };
const ptBR = { checkIn: ptBRCheckIn, crisis: ptBRCrisis, crisisButton: ptBRCrisisButton, errors: ptBRErrors, templates: ptBRTemplates };
const ht = { checkIn: htCheckIn, crisis: htCrisis, crisisButton: htCrisisButton, errors: htErrors, templates: htTemplates };

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

/** Languages, a locale a page might pass for each, and the bundle the widget should show. */
const LANGUAGES = [
  { language: 'en', locale: 'en-GB', strings: en, dir: 'ltr' },
  { language: 'es', locale: 'es-MX', strings: es, dir: 'ltr' },
  { language: 'fr', locale: 'fr-CA', strings: fr, dir: 'ltr' },
  { language: 'ar', locale: 'ar-EG', strings: ar, dir: 'rtl' },
  { language: 'zh-Hans', locale: 'zh-CN', strings: zhHans, dir: 'ltr' },
  { language: 'zh-Hant', locale: 'zh-TW', strings: zhHant, dir: 'ltr' },
  { language: 'vi', locale: 'vi-VN', strings: vi, dir: 'ltr' },
  { language: 'ko', locale: 'ko-KR', strings: ko, dir: 'ltr' },
  { language: 'tl', locale: 'fil-PH', strings: tl, dir: 'ltr' },
  { language: 'ru', locale: 'ru-RU', strings: ru, dir: 'ltr' },
  { language: 'pt-BR', locale: 'pt-BR', strings: ptBR, dir: 'ltr' },
  { language: 'ht', locale: 'ht-HT', strings: ht, dir: 'ltr' },
] as const;

const heading = (el: Element) => shadow(el).querySelector('h2')!.textContent.trim();
const base = (el: Element) => shadow(el).querySelector<HTMLElement>('[part="base"]')!;
const trigger = (el: CareCrisisButton) => shadow(el).querySelector<HTMLButtonElement>('[part="trigger"]')!;

/** Every text node and accessible label a person can meet in the element's shadow root. */
function visibleText(el: Element): string {
  const parts: string[] = [];
  const walker = document.createTreeWalker(shadow(el), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement?.closest('style, script')) continue;
    parts.push(node.textContent ?? '');
  }
  for (const labelled of shadow(el).querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) parts.push(labelled.getAttribute(name) ?? '');
  }
  return parts.join(' ').replace(/\s+/g, ' ');
}

async function checkIn(token: string, locale: string) {
  const el = await fixture<CareCheckIn>(html`<care-check-in endpoint=${endpoint} token=${token} locale=${locale} template="daily"></care-check-in>`);
  return el;
}

describe('languages', () => {
  for (const { language, locale, strings, dir } of LANGUAGES) {
    it(`${locale} renders <care-check-in> and <care-crisis-button> in ${language}`, async () => {
      const token = await tokenFor(newClientId());
      const el = await checkIn(token, locale);
      await waitUntil(() => heading(el) === strings.templates.daily.title, `check-in heading in ${language}`, { timeout: 5000 });
      expect(base(el).getAttribute('lang')).to.equal(language);
      expect(getComputedStyle(base(el)).direction).to.equal(dir);
      expect(submitButton(el).textContent.trim()).to.equal(strings.checkIn.submit);
      expect(shadow(el).querySelector('label[for="sleepHours"]')!.textContent).to.contain(strings.templates.daily.sleepHours.label);
      if (language !== 'en') expect(heading(el)).not.to.equal(en.templates.daily.title);

      const button = await fixture<CareCrisisButton>(
        html`<care-crisis-button endpoint=${endpoint} token=${token} locale=${locale} variant="inline"></care-crisis-button>`,
      );
      await waitUntil(() => trigger(button).textContent.includes(strings.crisisButton.label), `crisis button in ${language}`, { timeout: 5000 });
      expect(shadow(button).querySelector('#crisis-title')!.textContent.trim()).to.equal(strings.crisis.title);
      expect(trigger(button).getAttribute('lang')).to.equal(language);
    });
  }

  const nonLatin = new Set<string>(['ar', 'zh-Hans', 'zh-Hant', 'ko', 'ru']);
  for (const { language, locale } of LANGUAGES.filter((l) => nonLatin.has(l.language))) {
    it(`${language}: no English is left in the daily check-in`, async () => {
      const el = await checkIn(await tokenFor(newClientId()), locale);
      await waitUntil(() => heading(el) !== en.templates.daily.title, 'translated', { timeout: 5000 });
      // Script-based languages: any Latin word of 3+ letters is an untranslated string.
      const latin = visibleText(el).match(/[A-Za-z]{3,}/g) ?? [];
      expect(latin, `untranslated words: ${latin.join(', ')}`).to.deep.equal([]);
    });
  }

  it('Arabic sets dir=rtl and lang=ar inside the widgets, lays out right to left and has no axe violations', async () => {
    const token = await tokenFor(newClientId());
    const el = await checkIn(token, 'ar');
    await waitUntil(() => heading(el) === ar.templates.daily.title, 'Arabic heading', { timeout: 5000 });
    expect(base(el).getAttribute('dir')).to.equal('rtl');
    expect(base(el).getAttribute('lang')).to.equal('ar');
    // Right to left: the first mood choice (0) sits to the right of the last (10).
    const zero = control(el, 'mood', '0').getBoundingClientRect();
    const ten = control(el, 'mood', '10').getBoundingClientRect();
    expect(zero.left).to.be.greaterThan(ten.left);
    await expect(el).to.be.accessible();

    const button = await fixture<CareCrisisButton>(html`<care-crisis-button endpoint=${endpoint} token=${token} locale="ar" variant="inline"></care-crisis-button>`);
    await waitUntil(() => trigger(button).textContent.includes(ar.crisisButton.label), 'Arabic crisis button', { timeout: 5000 });
    expect(trigger(button).getAttribute('dir')).to.equal('rtl');
    await expect(button).to.be.accessible();
  });

  it('Arabic plurals follow Intl.PluralRules (4 answers is the "few" form)', async () => {
    const el = await checkIn(await tokenFor(newClientId()), 'ar');
    await waitUntil(() => heading(el) === ar.templates.daily.title, 'Arabic heading', { timeout: 5000 });
    control(el, 'craving', '3').click();
    submitButton(el).click();
    const expected = ar.checkIn.invalidSummary_few.replace('{{count}}', '4');
    await waitUntil(() => liveRegion(el).textContent?.includes(expected), `live region says "${expected}"`, { timeout: 5000 });
    expect(shadow(el).getElementById('mood-error')!.textContent).to.equal(ar.errors.required);
    await expect(el).to.be.accessible();
  });

  it('switches language at runtime on <care-provider>: en → ar → zh-Hans → fr', async () => {
    const token = await tokenFor(newClientId());
    const provider = await fixture<CareProvider>(html`
      <care-provider endpoint=${endpoint} token=${token} locale="en">
        <care-check-in template="daily"></care-check-in>
        <care-crisis-button variant="inline"></care-crisis-button>
      </care-provider>
    `);
    const el = provider.querySelector<CareCheckIn>('care-check-in')!;
    const button = provider.querySelector<CareCrisisButton>('care-crisis-button')!;
    await el.updateComplete;
    expect(heading(el)).to.equal(en.templates.daily.title);

    for (const { locale, strings, dir, language } of [
      { locale: 'ar', strings: ar, dir: 'rtl', language: 'ar' },
      { locale: 'zh-Hans', strings: zhHans, dir: 'ltr', language: 'zh-Hans' },
      { locale: 'fr', strings: fr, dir: 'ltr', language: 'fr' },
    ]) {
      provider.locale = locale;
      await waitUntil(() => heading(el) === strings.templates.daily.title, `check-in switched to ${locale}`, { timeout: 5000 });
      await waitUntil(() => trigger(button).textContent.includes(strings.crisisButton.label), `crisis button switched to ${locale}`, { timeout: 5000 });
      expect(submitButton(el).textContent.trim()).to.equal(strings.checkIn.submit);
      expect(base(el).getAttribute('lang')).to.equal(language);
      expect(getComputedStyle(base(el)).direction).to.equal(dir);
    }
  });
});
