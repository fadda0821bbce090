import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { CareCheckIn, CareProvider } from '../../components/index.js';
import { defineElement } from '../../components/core/define.js';
import { careServer, shadow } from './helpers.js';

const TAGS = ['care-provider', 'care-check-in', 'care-progress', 'care-crisis-button', 'care-safety-plan', 'care-support-room', 'care-alerts', 'care-roster', 'care-outcomes', 'care-admin'];

/** Collects console.warn calls while `run` runs. */
async function warningsDuring(run: () => unknown): Promise<string[]> {
  const warnings: string[] = [];
  const realWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    await run();
  } finally {
    console.warn = realWarn;
  }
  return warnings;
}

afterEach(() => fixtureCleanup());

describe('defining the elements twice', () => {
  it('a second class under the same name warns clearly instead of throwing, and the first keeps working', async () => {
    class Impostor extends CareCheckIn {}
    let thrown: unknown = null;
    const warnings = await warningsDuring(() => {
      try {
        defineElement('care-check-in', Impostor);
      } catch (error) {
        thrown = error;
      }
    });
    expect(thrown).to.equal(null);
    expect(warnings).to.deep.equal(['[care-widgets] <care-check-in> is already defined by another copy of the widgets; keeping the first one.']);
    expect(customElements.get('care-check-in')).to.equal(CareCheckIn);
    const el = await fixture<CareCheckIn>(html`<care-check-in locale="en-US"></care-check-in>`);
    expect(el).to.be.instanceOf(CareCheckIn);
    expect(shadow(el).textContent).to.include('Daily check-in');
  });

  it('registering the same class again is silent', async () => {
    const warnings = await warningsDuring(() => defineElement('care-provider', CareProvider));
    expect(warnings).to.deep.equal([]);
  });

  it('a second copy of the whole bundle on the page (two portals’ scripts) warns once per element and breaks nothing', async () => {
    const { endpoint } = await careServer();
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
    window.addEventListener('error', onError);
    let warnings: string[] = [];
    try {
      warnings = await warningsDuring(() => import(/* @vite-ignore */ `${endpoint}/widgets/care-widgets.js`));
    } finally {
      window.removeEventListener('error', onError);
    }
    expect(errors).to.deep.equal([]);
    for (const tag of TAGS) {
      expect(warnings.filter((w) => w.includes(`<${tag}> is already defined by another copy`)), tag).to.have.length(1);
    }
    expect(customElements.get('care-check-in')).to.equal(CareCheckIn);
    const el = await fixture<CareCheckIn>(html`<care-provider locale="en-US"><care-check-in></care-check-in></care-provider>`);
    const checkIn = el.querySelector('care-check-in')!;
    await waitUntil(() => (shadow(checkIn).textContent ?? '').includes('Daily check-in'));
  });
});
