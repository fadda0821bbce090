import { expect } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { render } from 'lit';
import { setViewport } from '@web/test-runner-commands';
import { overflowing } from './a11y-checks.js';
import { CLIENT_WIDGETS, LANGUAGES, languageWidgets } from '../../stories/support/languages.js';

/**
 * Every shipped language at 320 CSS px (WCAG 1.4.10 reflow): the client widgets together in one
 * provider (check-in, progress, crisis button, safety plan, support room, answered by the stories'
 * mock server), one page per language: axe passes, nothing is wider than its box or reaches past
 * the widget's edge, and each widget's root says the language and direction (Arabic rtl, others ltr).
 */

interface Titles {
  checkIn: string;
  progress: string;
  safetyPlan: string;
}
/** The daily check-in title, the progress title and the safety plan title in each language, from locales/. */
const titles = new Map<string, Titles>();
async function loadTitles(language: string): Promise<Titles> {
  const load = async (ns: string) => ((await import(`../../locales/${language}/${ns}.json`)) as { default: Record<string, unknown> }).default;
  const [templates, progress, safetyPlan] = await Promise.all([load('templates'), load('progress'), load('safetyPlan')]);
  return { checkIn: (templates.daily as { title: string }).title, progress: progress.title as string, safetyPlan: safetyPlan.title as string };
}

const shadowOf = (el: Element) => el.shadowRoot!;
/** The widget's own root: the first element in its shadow root that carries `lang`. */
const langRoot = (el: Element) => shadowOf(el).querySelector<HTMLElement>('[lang]')!;

/** Every rendered element in `root`'s shadow tree (nested shadow roots too). */
function deepElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...deepElements(el.shadowRoot));
  }
  return out;
}

/** Is `el` inside a box that clips or scrolls sideways (its overflow is then not the page's)? */
function clippedByAncestor(el: Element, host: Element): boolean {
  /** The parent element, or the shadow host when `node` is at the top of a shadow root. */
  const up = (node: Element): Element | undefined => node.parentElement ?? (node.getRootNode() as Partial<ShadowRoot>).host;
  for (let node = up(el); node && node !== host; node = up(node)) {
    const x = getComputedStyle(node).overflowX;
    if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
  }
  return false;
}

/** Elements that reach past the host's left or right edge (text that does not wrap, fixed widths). */
function pastTheEdge(host: Element): string[] {
  const box = host.getBoundingClientRect();
  const problems: string[] = [];
  for (const el of deepElements(shadowOf(host))) {
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue; // not rendered, or visually hidden
    if (el.closest('dialog:not([open])')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
    if (rect.right <= box.right + 1 && rect.left >= box.left - 1) continue;
    if (clippedByAncestor(el, host)) continue;
    const part = el.getAttribute('part');
    problems.push(`<${el.localName}${part ? ` part="${part}"` : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}" spans ${Math.round(rect.left)}–${Math.round(rect.right)}, host ${Math.round(box.left)}–${Math.round(box.right)}`);
  }
  return problems;
}

describe('every language at 320 px', () => {
  before(async () => {
    for (const { language } of LANGUAGES) titles.set(language, await loadTitles(language));
    await setViewport({ width: 320, height: 800 });
  });
  after(() => setViewport({ width: 800, height: 600 }));

  for (const { language, locale, dir } of LANGUAGES) {
    it(`${language} (${locale}): client widgets pass axe, reflow at 320 px and say lang=${language} dir=${dir}`, async () => {
      const page = document.createElement('main');
      document.body.append(page);
      try {
        render(languageWidgets(locale), page);
        const widgets: Element[] = CLIENT_WIDGETS.map((name) => page.querySelector(name)!);
        const [checkIn, progress, crisisButton, safetyPlan, supportRoom] = widgets as [Element, Element, Element, Element, Element];
        const expected = titles.get(language)!;
        const text = (el: Element) => shadowOf(el).textContent ?? '';
        await waitUntil(() => shadowOf(checkIn).querySelector('h2')?.textContent?.trim() === expected.checkIn, `check-in in ${language}`, { timeout: 5000 });
        await waitUntil(() => shadowOf(progress).querySelector('[part~="base"]')?.getAttribute('aria-busy') === 'false' && text(progress).includes(expected.progress), `progress in ${language}`, { timeout: 5000 });
        await waitUntil(() => text(safetyPlan).includes(expected.safetyPlan) && text(safetyPlan).includes('My daughter'), `safety plan in ${language}`, { timeout: 5000 });
        await waitUntil(() => text(supportRoom).includes('Evening recovery circle'), `support room in ${language}`, { timeout: 5000 });
        await waitUntil(() => !!shadowOf(crisisButton).querySelector('[part="trigger"]'), `crisis button in ${language}`, { timeout: 5000 });
        await new Promise((resolve) => requestAnimationFrame(resolve));

        for (const el of widgets) {
          const root = langRoot(el);
          expect(root, `${el.localName} has a root with lang`).to.exist;
          expect(root.getAttribute('lang'), `${el.localName} lang`).to.equal(language);
          expect(getComputedStyle(root).direction, `${el.localName} direction`).to.equal(dir);
          expect(root.getAttribute('dir') ?? 'ltr', `${el.localName} dir attribute`).to.equal(dir);
        }

        expect(document.documentElement.scrollWidth, 'page width at 320 px').to.be.at.most(document.documentElement.clientWidth);
        for (const el of widgets) {
          expect(el.scrollWidth, `${el.localName} host scrollWidth`).to.be.at.most(el.clientWidth);
          expect(overflowing(el), `${el.localName} parts wider than their box`).to.deep.equal([]);
          expect(pastTheEdge(el), `${el.localName} content past its edge`).to.deep.equal([]);
        }
        for (const el of widgets) await expect(el).to.be.accessible();
      } finally {
        render(null, page);
        page.remove();
      }
    });
  }
});
