import { expect } from '@open-wc/testing';
// The provider only: <care-outcomes> is defined in the first test, after its element is on the page.
import '../../components/core/index.js';
import { addEnglish } from '../../components/core/i18n.js';
import checkIn from '../../locales/en/checkIn.json';
import { careServer, tokenFor } from './helpers.js';

/**
 * `<care-outcomes>` in another language paints that language from its first frame, and does not
 * stay in English when another widget's module registers its strings while the language loads.
 * Each test uses a language no test before it loaded (one page for the whole file).
 */
let endpoint: string;
let token: string;
before(async () => {
  ({ endpoint } = await careServer());
  token = await tokenFor('outcomes-locale-dr', 'clinician');
});

/** The widget's title at each animation frame (repeats dropped) until it reads `until`, or 2 s. */
async function titlesPainted(el: Element, until: string): Promise<string[]> {
  const seen: string[] = [];
  for (let frame = 0; frame < 120 && seen.at(-1) !== until; frame++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const title = el.shadowRoot?.querySelector('h2')?.textContent;
    if (title !== undefined && seen.at(-1) !== title) seen.push(title);
  }
  return seen;
}

describe('<care-outcomes> in another language', () => {
  afterEach(() => document.querySelectorAll('.locale-host').forEach((host) => host.remove()));

  it('locale="fr" set as an attribute before the element upgrades: French from the first frame', async () => {
    const host = Object.assign(document.createElement('div'), { className: 'locale-host' });
    host.innerHTML = `<care-outcomes locale="fr" endpoint="${endpoint}" token="${token}"></care-outcomes>`;
    document.body.append(host);
    expect(customElements.get('care-outcomes')).to.equal(undefined);
    await import('../../components/clinician/care-outcomes.js');
    const el = host.firstElementChild!;
    expect(await titlesPainted(el, 'Résultats')).to.deep.equal(['Résultats']);
    expect(el.shadowRoot!.querySelector('section')!.getAttribute('lang')).to.equal('fr');
  });

  it("the provider's locale (es): Spanish from the first frame", async () => {
    const host = Object.assign(document.createElement('div'), { className: 'locale-host' });
    host.innerHTML = `<care-provider locale="es" endpoint="${endpoint}" token="${token}"><care-outcomes></care-outcomes></care-provider>`;
    document.body.append(host);
    expect(await titlesPainted(host.querySelector('care-outcomes')!, 'Resultados')).to.deep.equal(['Resultados']);
  });

  it('switched to Russian while another widget registers its strings: Russian, not English for good', async () => {
    const host = Object.assign(document.createElement('div'), { className: 'locale-host' });
    host.innerHTML = `<care-outcomes locale="en" endpoint="${endpoint}" token="${token}"></care-outcomes>`;
    document.body.append(host);
    const el = host.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal('Outcomes');
    el.setAttribute('locale', 'ru');
    await el.updateComplete;
    // A lazily loaded widget's module registers its English strings while Russian loads.
    addEnglish({ checkIn });
    expect(await titlesPainted(el, 'Результаты')).to.include('Результаты');
  });
});
