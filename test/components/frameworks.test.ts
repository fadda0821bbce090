import { expect } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { careServer } from './helpers.js';

/**
 * The React 19 and Vue 3 demo pages, as built by `vite build -c vite.demos.config.ts --mode react|vue`
 * into dist/demo-<framework>, run against the real care server: properties, events and slots
 * reach the widgets through each framework. The care server serves them at /react/ and /vue/ and
 * forbids framing by other origins, so the test frames the same built files from the test origin.
 */

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});

type Doc = Document & { defaultView: Window & typeof globalThis };

async function openDemo(framework: 'react' | 'vue'): Promise<{ frame: HTMLIFrameElement; doc: Doc }> {
  const page = `/dist/demo-${framework}/index.html`;
  const built = await fetch(page);
  expect(built.ok, `${page} is missing: run the demo build (vite build -c vite.demos.config.ts --mode ${framework})`).to.equal(true);
  const frame = document.createElement('iframe');
  frame.style.inlineSize = '800px';
  frame.style.blockSize = '900px';
  frame.src = `${page}?endpoint=${encodeURIComponent(endpoint)}&sub=${framework}-${crypto.randomUUID().slice(0, 8)}`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return { frame, doc: frame.contentDocument as Doc };
}

const shadowText = (el: Element | null) => (el?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
const logLines = (doc: Document) => [...doc.querySelectorAll('#event-log li')].map((li) => li.textContent ?? '');

for (const framework of ['react', 'vue'] as const) {
  describe(`the ${framework === 'react' ? 'React 19' : 'Vue 3'} demo page`, () => {
    let frame: HTMLIFrameElement;
    let doc: Doc;
    before(async () => {
      ({ frame, doc } = await openDemo(framework));
    });
    after(() => frame.remove());

    it(`is served by the care server at /${framework}/ in demo mode`, async () => {
      const res = await fetch(`${endpoint}/${framework}/`);
      expect(res.status).to.equal(200);
      const body = await res.text();
      expect(body).to.match(/<script type="module"[^>]*src="\.\/assets\/index-[\w-]+\.js"/);
      expect(body).not.to.include('main.ts');
      const script = body.match(/src="\.\/(assets\/index-[\w-]+\.js)"/)![1];
      expect((await fetch(`${endpoint}/${framework}/${script}`)).status).to.equal(200);
    });

    it('passes token and tokenProvider as properties, and its content lands in the provider’s slot', async () => {
      const provider = doc.querySelector('care-provider') as HTMLElement & { token: string; tokenProvider?: unknown };
      expect(provider, 'the framework rendered <care-provider>').to.exist;
      await waitUntil(() => provider.token?.split('.').length === 3, 'the token property arrives', { timeout: 10000 });
      expect(provider.hasAttribute('token'), 'a property, not an attribute').to.equal(false);
      expect(provider.tokenProvider).to.be.a('function');
      expect(provider.getAttribute('data-framework')).to.equal(framework);
      const heading = provider.querySelector('h1')!;
      expect(heading.assignedSlot, 'framework children are slotted').to.equal(provider.shadowRoot!.querySelector('slot'));
      const checkIn = doc.querySelector('care-check-in')!;
      await waitUntil(() => shadowText(checkIn).includes('Daily check-in'), 'the check-in renders', { timeout: 10000 });
    });

    it('sets the answers property and receives care-submitted', async () => {
      const checkIn = doc.querySelector('care-check-in') as HTMLElement & { answers: Record<string, unknown>; updateComplete: Promise<unknown> };
      const [calm] = [...doc.querySelectorAll('.examples button')] as HTMLButtonElement[];
      calm!.click();
      await waitUntil(() => checkIn.answers.mood === 7, 'answers reach the element as an object', { timeout: 5000 });
      await checkIn.updateComplete;
      const mood = checkIn.shadowRoot!.querySelector<HTMLInputElement>('input[name="mood"][value="7"]')!;
      expect(mood.checked, 'the form shows the answers').to.equal(true);
      checkIn.shadowRoot!.querySelector<HTMLButtonElement>('[part="submit-button"]')!.click();
      await waitUntil(() => logLines(doc).includes('care-submitted: risk none'), `event log: ${logLines(doc).join(' | ')}`, { timeout: 10000 });
      expect(logLines(doc).some((l) => l.startsWith('care-risk'))).to.equal(false);
    });

    it('receives care-risk for answers that need the care team', async () => {
      const checkIn = doc.querySelector('care-check-in') as HTMLElement & { answers: Record<string, unknown>; updateComplete: Promise<unknown> };
      const again = [...checkIn.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.includes('Start another check-in'))!;
      again.click();
      await checkIn.updateComplete;
      const [, hard] = [...doc.querySelectorAll('.examples button')] as HTMLButtonElement[];
      hard!.click();
      await waitUntil(() => checkIn.answers.used === 'yes', 'new answers arrive', { timeout: 5000 });
      await checkIn.updateComplete;
      checkIn.shadowRoot!.querySelector<HTMLButtonElement>('[part="submit-button"]')!.click();
      await waitUntil(() => logLines(doc).includes('care-risk: elevated'), `event log: ${logLines(doc).join(' | ')}`, { timeout: 10000 });
      expect(logLines(doc)).to.include('care-submitted: risk elevated');
    });

    it('hands the provider a function the provider calls for a fresh token, and hears care-token-refreshed', async () => {
      const provider = doc.querySelector('care-provider') as HTMLElement & { token: string; refreshToken(): Promise<string | null> };
      const before = provider.token;
      await new Promise((resolve) => setTimeout(resolve, 2100)); // demo tokens minted in the same second are identical
      const fresh = await provider.refreshToken();
      expect(fresh).to.be.a('string');
      expect(fresh).not.to.equal(before);
      expect(provider.token).to.equal(fresh);
      await waitUntil(() => logLines(doc).includes('care-token-refreshed'), `event log: ${logLines(doc).join(' | ')}`, { timeout: 5000 });
    });
  });
}

describe('the theming demo page', () => {
  it('is served with its stylesheet and script and no inline script or style (the CSP forbids them)', async () => {
    const page = await fetch(`${endpoint}/themes.html`);
    expect(page.status).to.equal(200);
    const body = await page.text();
    expect(body).to.include('class="clinic-harbour"');
    expect(body).to.include('class="clinic-meadow"');
    expect(body).not.to.match(/<style|<script(?![^>]*\bsrc=)|\sstyle=/);
    for (const asset of ['/themes.css', '/themes.js', '/themes-page.css']) expect((await fetch(`${endpoint}${asset}`)).status, asset).to.equal(200);
    const css = await (await fetch(`${endpoint}/themes.css`)).text();
    expect(css).to.include('--care-color-primary: #0b5563');
    expect(css).to.include('::part(button)');
  });
});
