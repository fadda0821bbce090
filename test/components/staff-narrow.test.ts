import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { setViewport } from '@web/test-runner-commands';
import '../../components/index.js';
import { careServer, newClientId, shadow, tokenFor, trpc } from './helpers.js';

/**
 * Staff widgets on a phone, with the seeded demo clinic's real data (not story data) and whatever test
 * files run before this one on the same server left there (xss.test.ts leaves a person named with a
 * long markup string): a width check must hold for any of it, so the data that is hardest to fit is
 * made here rather than left to the order files run in.
 */
let endpoint: string;
let staffToken: string;

/** A name with no break opportunity (an email address, which some record systems send as the name). */
const UNBROKEN_NAME = 'alexandra.richardsonwhitfield@example.org';

before(async () => {
  ({ endpoint } = await careServer());
  staffToken = await tokenFor('test-clinician', 'clinician');
  const res = await fetch(`${endpoint}/demo/token?sub=${newClientId()}&role=client&name=${encodeURIComponent(UNBROKEN_NAME)}`);
  const { token } = (await res.json()) as { token: string };
  // High craving and use: an urgent alert, at the top of the inbox.
  await trpc('checkIn.submit', {
    clientRequestId: crypto.randomUUID(),
    templateId: 'daily',
    answers: { mood: 2, craving: 9, sleepHours: 4, medication: 'no', warningSigns: [], used: 'yes' },
    submittedAt: new Date().toISOString(),
  }, token);
});
afterEach(async () => {
  fixtureCleanup();
  await setViewport({ width: 800, height: 600 });
});

/** Portals lay pages out in grids and flex rows (the demo staff page is a grid): a grid item is as wide as its content's narrowest layout. */
const inGrid = async (template: ReturnType<typeof html>) => (await fixture(html`<main style="display: grid; gap: 1rem">${template}</main>`)).firstElementChild!;

const pageOverflow = () => document.documentElement.scrollWidth - window.innerWidth;

/** The font size a tick label is drawn at on screen, in CSS px (SVG text shrinks or grows with its viewBox). */
function renderedTickSizes(root: ShadowRoot): number[] {
  return [...root.querySelectorAll<SVGTextElement>('svg text.tick')].map((text) => {
    const matrix = text.getScreenCTM()!;
    return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
  });
}

const chartsOf = {
  progress: () =>
    fixture(html`<care-progress endpoint=${endpoint} token=${staffToken} locale="en-US" client-id="client-1" time-zone="UTC"></care-progress>`),
  outcomes: () => fixture(html`<care-outcomes endpoint=${endpoint} token=${staffToken} locale="en-US"></care-outcomes>`),
};

describe('staff widgets at 320 px', () => {
  const cases: [string, () => Promise<Element>, (el: Element) => unknown][] = [
    [
      'care-roster',
      () => inGrid(html`<care-roster endpoint=${endpoint} token=${staffToken} locale="en-US" page-size="10"></care-roster>`),
      (el) => shadow(el).querySelectorAll('tbody tr').length === 10,
    ],
    [
      'care-alerts',
      () => inGrid(html`<care-alerts endpoint=${endpoint} token=${staffToken} locale="en-US"></care-alerts>`),
      (el) => [...shadow(el).querySelectorAll('li.alert bdi')].some((name) => name.textContent === UNBROKEN_NAME),
    ],
    [
      'care-outcomes',
      () => inGrid(html`<care-outcomes endpoint=${endpoint} token=${staffToken} locale="en-US"></care-outcomes>`),
      // Four charts, and a fifth (BAM subscales) once the clinic has BAM check-ins.
      (el) => shadow(el).querySelectorAll('figure').length >= 4,
    ],
    [
      'care-client-record',
      () => inGrid(html`<care-client-record endpoint=${endpoint} token=${staffToken} locale="en-US" client-id="client-1" client-name="Alex R."></care-client-record>`),
      (el) =>
        shadow(el).querySelectorAll('li.check-in').length > 0 &&
        shadow(el).querySelector('care-progress')?.shadowRoot?.querySelector('svg.chart-svg') &&
        shadow(el).querySelector('care-safety-plan')?.shadowRoot?.textContent?.includes('Warning signs'),
    ],
  ];
  for (const [tag, make, loaded] of cases) {
    it(`<${tag}> with real data does not make the page wider than the screen`, async () => {
      await setViewport({ width: 320, height: 640 });
      const el = await make();
      await waitUntil(() => loaded(el), `${tag} loaded`, { timeout: 20000 });
      await new Promise((r) => requestAnimationFrame(r));
      expect(pageOverflow(), `${tag}: page scrolls sideways by ${pageOverflow()} px`).to.be.at.most(0);
    });
  }

  it('the roster keeps every column reachable by scrolling its own region, with the name column in view', async () => {
    await setViewport({ width: 320, height: 640 });
    const el = await inGrid(html`<care-roster endpoint=${endpoint} token=${staffToken} locale="en-US" page-size="10"></care-roster>`);
    await waitUntil(() => shadow(el).querySelectorAll('tbody tr').length === 10, 'roster', { timeout: 10000 });
    const region = shadow(el).querySelector<HTMLElement>('.table-wrap')!;
    expect(region.getAttribute('role')).to.equal('region');
    region.scrollLeft = region.scrollWidth;
    await new Promise((r) => requestAnimationFrame(r));
    const name = shadow(el).querySelector('tbody th')!.getBoundingClientRect();
    const box = region.getBoundingClientRect();
    expect(name.left).to.be.at.least(box.left - 1);
    expect(pageOverflow()).to.be.at.most(0);
  });
});

describe('chart tick labels are at least 12 px on screen', () => {
  for (const width of [360, 1280]) {
    for (const [name, make] of Object.entries(chartsOf)) {
      it(`<care-${name}> at ${width} px`, async () => {
        await setViewport({ width, height: 800 });
        const el = await make();
        await waitUntil(() => shadow(el).querySelectorAll('svg text.tick').length > 0, 'charts drawn', { timeout: 20000 });
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const sizes = renderedTickSizes(shadow(el));
        expect(Math.min(...sizes), `smallest of ${sizes.length} tick labels`).to.be.at.least(11.95);
        // Larger labels must not run into each other: the month labels shown along a chart's x axis do not overlap.
        for (const figure of shadow(el).querySelectorAll('figure')) {
          const boxes = [...figure.querySelectorAll<SVGTextElement>('text.tick.x')].filter((t) => t.checkVisibility()).map((t) => t.getBoundingClientRect());
          for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left, 'month labels overlap').to.be.at.least(boxes[i - 1]!.right - 0.5);
        }
      });
    }
  }
});
