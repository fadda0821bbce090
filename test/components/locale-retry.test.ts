import { expect } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { careServer, tokenFor } from './helpers.js';

/**
 * A language file that fails to load (the network drops, the server is down for a moment) is
 * fetched again: the widget shows English meanwhile and its language once the file comes.
 * The widgets are the build (dist/widgets, served by the care server, as a clinic's page loads
 * them), in a frame of their own; the failure is the care server being stopped while the
 * language's files are requested, a real failed request the browser remembers for that URL.
 */
let endpoint: string;
let token: string;
before(async () => {
  ({ endpoint } = await careServer());
  token = await tokenFor('locale-retry-dr', 'clinician');
});
after(async () => {
  await careServer('start');
});

/** `<care-outcomes>` from widgets/outcomes.js in a frame, in `locale`, once it shows `title`. */
async function builtOutcomes(locale: string, title: string): Promise<{ frame: HTMLIFrameElement; el: Element }> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><body><care-outcomes endpoint="${endpoint}" token="${token}" locale="${locale}"></care-outcomes>
    <script type="module">import '${endpoint}/widgets/outcomes.js';</script></body></html>`;
  document.body.append(frame);
  await waitUntil(() => frame.contentDocument?.querySelector('care-outcomes')?.shadowRoot?.querySelector('h2'), 'outcomes.js renders', { timeout: 10000 });
  const el = frame.contentDocument!.querySelector('care-outcomes')!;
  await waitUntil(() => titleOf(el) === title, `the title reads ${title}`, { timeout: 10000 });
  return { frame, el };
}

const titleOf = (el: Element) => el.shadowRoot?.querySelector('h2')?.textContent?.trim();

describe('a language file that failed to load', () => {
  it('is fetched again once the server answers, and the widget showing English re-renders in French', async function () {
    this.timeout(60000);
    // Spanish first: the table of language files (a lazy chunk of its own) is loaded while the server is up.
    const { frame, el } = await builtOutcomes('es', 'Resultados');
    try {
      await careServer('stop');
      el.setAttribute('locale', 'fr');
      await waitUntil(() => titleOf(el) === 'Outcomes', 'English while French cannot load');
      // The French files' requests fail (nothing listens) before the server is back.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(titleOf(el)).to.equal('Outcomes');
      await careServer('start');
      await waitUntil(() => titleOf(el) === 'Résultats', 'French once its files load', { timeout: 20000 });
      expect(el.shadowRoot!.querySelector('section')!.getAttribute('lang')).to.equal('fr');
    } finally {
      frame.remove();
      await careServer('start');
    }
  });
});

/** The frame's window: whether the widgets' code has loaded, and the reasons of its unhandled rejections. */
interface FramePage extends Window {
  widgetsLoaded: boolean | undefined;
  unhandled: string[] | undefined;
}

/**
 * A portal's page in a frame: the widgets' code (provider.js, outcomes.js) loaded while the server
 * answers, then a `<care-provider locale="fr">` around `<care-outcomes>` put into the page while
 * the server is stopped (a single-page portal opening a view after the connection dropped). The
 * frame records its unhandled promise rejections from before the widgets' code runs.
 */
async function framedProvider(): Promise<{ frame: HTMLIFrameElement; loadPage: () => Element; unhandled: () => string[] }> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><body>
    <script>window.unhandled = []; addEventListener('unhandledrejection', (event) => unhandled.push(String(event.reason)));</script>
    <template id="view"><care-provider endpoint="${endpoint}" token="${token}" locale="fr"><care-outcomes></care-outcomes></care-provider></template>
    <script type="module">await Promise.all([import('${endpoint}/widgets/provider.js'), import('${endpoint}/widgets/outcomes.js')]); window.widgetsLoaded = true;</script></body></html>`;
  document.body.append(frame);
  const win = () => frame.contentWindow as FramePage | null;
  await waitUntil(() => win()?.widgetsLoaded === true, 'provider.js and outcomes.js load', { timeout: 10000 });
  return {
    frame,
    loadPage: () => {
      const doc = frame.contentDocument!;
      doc.body.append(doc.importNode(doc.querySelector('template')!.content, true));
      return doc.querySelector('care-outcomes')!;
    },
    unhandled: () => [...(win()?.unhandled ?? [])],
  };
}

describe('<care-provider> in a language whose files fail to load', () => {
  it('leaves no unhandled promise rejection in the page, shows English, and French once the files load', async function () {
    this.timeout(60000);
    const { frame, loadPage, unhandled } = await framedProvider();
    try {
      await careServer('stop');
      const el = loadPage();
      await waitUntil(() => titleOf(el) === 'Outcomes', 'English while French cannot load', { timeout: 10000 });
      // The French files' requests fail (nothing listens) before the server is back.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(titleOf(el)).to.equal('Outcomes');
      expect(unhandled()).to.deep.equal([]);
      await careServer('start');
      await waitUntil(() => titleOf(el) === 'Résultats', 'French once its files load', { timeout: 30000 });
      expect(el.shadowRoot!.querySelector('section')!.getAttribute('lang')).to.equal('fr');
      expect(unhandled()).to.deep.equal([]);
    } finally {
      frame.remove();
      await careServer('start');
    }
  });
});
