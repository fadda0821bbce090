import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareCrisisButton } from '../../components/crisis/crisis-button.js';
import { careServer, shadow, tokenFor } from './helpers.js';

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(async () => {
  fixtureCleanup();
  await setViewport({ width: 800, height: 600 });
});

const INTERACTIVE = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/** Every interactive element on the page, looking inside open shadow roots. */
function interactiveElements(root: Document | ShadowRoot = document): HTMLElement[] {
  const found: HTMLElement[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (el.matches(INTERACTIVE)) found.push(el);
    if (el.shadowRoot) found.push(...interactiveElements(el.shadowRoot));
  }
  return found;
}

/** The element drawn at a point, looking inside open shadow roots. */
function deepElementFromPoint(x: number, y: number): Element | null {
  let hit = document.elementFromPoint(x, y);
  while (hit?.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function rgb(color: string): [number, number, number, number] {
  const [r, g, b, a] = color.match(/[\d.]+/g)!.map(Number);
  return [r!, g!, b!, a ?? 1];
}
function luminance([r, g, b]: number[]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
}
function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The demo client page's widgets, with the floating button last as the demo places it. */
async function clientPage() {
  const token = await tokenFor('client-1');
  const page = await fixture<HTMLElement>(html`
    <main style="max-width: 48rem; margin: 0 auto; padding: 1.5rem">
      <care-provider endpoint=${endpoint} token=${token} locale="en-US">
        <care-check-in template="daily"></care-check-in>
        <care-progress></care-progress>
        <care-safety-plan></care-safety-plan>
        <care-crisis-button variant="floating"></care-crisis-button>
      </care-provider>
    </main>
  `);
  const plan = page.querySelector('care-safety-plan')!;
  await waitUntil(() => [...shadow(plan).querySelectorAll('button')].some((b) => b.textContent?.includes('Download a copy')), 'safety plan loaded', {
    timeout: 10000,
  });
  const progress = page.querySelector('care-progress')!;
  await waitUntil(() => shadow(progress).querySelector('input[type="radio"]'), 'progress loaded', { timeout: 10000 });
  return page;
}

describe('<care-crisis-button variant="floating"> on a phone', () => {
  for (const width of [320, 360]) {
    it(`covers no interactive element of the client page at ${width} px`, async () => {
      await setViewport({ width, height: 640 });
      const page = await clientPage();
      const crisis = page.querySelector('care-crisis-button')!;
      const covered: string[] = [];
      let checked = 0;
      for (const el of interactiveElements()) {
        if (crisis.contains(el) || crisis.shadowRoot!.contains(el) || el.closest('dialog')) continue;
        el.scrollIntoView({ block: 'nearest' });
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const hit = deepElementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        checked += 1;
        if (hit && (hit === crisis || crisis.shadowRoot!.contains(hit))) covered.push(el.textContent?.trim() || el.getAttribute('name') || el.tagName);
      }
      expect(checked).to.be.greaterThan(20);
      expect(covered).to.deep.equal([]);
    });
  }
});

describe('<care-crisis-button> reachability', () => {
  it('shows its keyboard shortcut beside the button on focus and on hover', async () => {
    const el = await fixture<CareCrisisButton>(html`<care-crisis-button endpoint=${endpoint} locale="en-US"></care-crisis-button>`);
    const hint = () => shadow(el).querySelector<HTMLElement>('[part="shortcut-hint"]');
    const trigger = shadow(el).querySelector<HTMLButtonElement>('[part="trigger"]')!;
    expect(hint()?.checkVisibility() ?? false).to.equal(false);
    await sendKeys({ press: 'Tab' });
    expect(deepActive()).to.equal(trigger);
    await waitUntil(() => hint()?.checkVisibility(), 'hint shown on focus');
    expect(hint()!.textContent).to.contain('Alt+Shift+H');
    trigger.blur();
    await waitUntil(() => !hint()!.checkVisibility(), 'hint hidden again');
    const box = trigger.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
    await waitUntil(() => hint()!.checkVisibility(), 'hint shown on hover');
    await sendMouse({ type: 'move', position: [0, 0] });
    await expect(el).to.be.accessible();
  });

  it('is the target of a portal "skip to help" link: following it focuses the button', async () => {
    const page = await fixture<HTMLElement>(html`
      <div>
        <a id="skip" href="#care-get-help">Skip to help</a>
        <button>Something else</button>
        <care-crisis-button endpoint=${endpoint} locale="en-US"></care-crisis-button>
      </div>
    `);
    const el = page.querySelector('care-crisis-button')!;
    await el.updateComplete;
    expect(el.id).to.equal('care-get-help');
    page.querySelector<HTMLAnchorElement>('#skip')!.click();
    await waitUntil(() => deepActive() === shadow(el).querySelector('[part="trigger"]'), 'trigger focused');
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('keeps the disabled "told" / "waiting" button text at 4.5:1 contrast or more', async () => {
    const el = await fixture<CareCrisisButton>(html`<care-crisis-button endpoint=${endpoint} token=${await tokenFor(`test-${crypto.randomUUID().slice(0, 8)}`)} locale="en-US"></care-crisis-button>`);
    el.show();
    const button = shadow(el).querySelector<HTMLButtonElement>('[part="alert-button"]')!;
    const sent = oneEvent(el, 'care-crisis-alert');
    button.click();
    await sent;
    await el.updateComplete;
    expect(button.disabled).to.equal(true);
    const style = getComputedStyle(button);
    const panel = getComputedStyle(shadow(el).querySelector('[part="panel"]')!);
    const bg = rgb(style.backgroundColor)[3] === 0 ? rgb(panel.backgroundColor) : rgb(style.backgroundColor);
    const text = rgb(style.color);
    const opacity = Number(style.opacity);
    // What the eye sees: text and background both blended with the panel behind them.
    const seen = (c: number[]) => c.slice(0, 3).map((v, i) => v * opacity + rgb(panel.backgroundColor)[i]! * (1 - opacity));
    expect(contrast(seen(text), seen(bg))).to.be.at.least(4.5);
  });
});
