import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { LazyModule } from '../../components/core/lazy-module.js';
import { careServer, createGroup, ready, trpc } from './helpers.js';
import { waitUntil } from './wait-until.js';

/**
 * The lazy chunk helper the widgets share (components/core/lazy-module.ts): one fetch for every
 * use, a failed fetch forgotten so the next use retries, and the element re-rendered on arrival.
 */
let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
after(async () => {
  await careServer('start');
});

class LazyHost extends LitElement {
  renders = 0;
  protected override render() {
    this.renders++;
    return html``;
  }
}
customElements.define('lazy-module-host', LazyHost);

/** A chunk whose fetch the test answers by hand: each call is one request for the chunk. */
function chunk<T>() {
  const calls: { resolve(value: T): void; reject(error: Error): void }[] = [];
  const load = () => new Promise<T>((resolve, reject) => calls.push({ resolve, reject }));
  return { load, calls };
}

describe('LazyModule', () => {
  it('fetches once for every use and keeps what arrived', async () => {
    const { load, calls } = chunk<{ name: string }>();
    const lazy = new LazyModule(load);
    const first = lazy.get();
    lazy.prefetch();
    const second = lazy.get();
    expect(calls).to.have.length(1);
    expect(lazy.value).to.equal(undefined);
    const code = { name: 'dialog' };
    calls[0]!.resolve(code);
    expect(await first).to.equal(code);
    expect(await second).to.equal(code);
    expect(lazy.value).to.equal(code);
    await lazy.get();
    expect(calls, 'no second fetch once it arrived').to.have.length(1);
  });

  it('forgets a failed fetch: the next use tries again and can succeed', async () => {
    const { load, calls } = chunk<string>();
    const lazy = new LazyModule(load);
    const failed = lazy.get();
    calls[0]!.reject(new TypeError('Failed to fetch dynamically imported module'));
    let error: unknown;
    try {
      await failed;
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError);
    expect(lazy.value).to.equal(undefined);

    const retried = lazy.get();
    expect(calls, 'the next use fetches again').to.have.length(2);
    calls[1]!.resolve('chunk');
    expect(await retried).to.equal('chunk');
    expect(lazy.value).to.equal('chunk');
  });

  it('a failed prefetch leaves no unhandled rejection, and the next use retries', async () => {
    const { load, calls } = chunk<string>();
    const lazy = new LazyModule(load);
    const unhandled: unknown[] = [];
    const onUnhandled = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
    window.addEventListener('unhandledrejection', onUnhandled);
    try {
      lazy.prefetch();
      calls[0]!.reject(new Error('offline'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).to.deep.equal([]);
      lazy.prefetch();
      expect(calls).to.have.length(2);
    } finally {
      window.removeEventListener('unhandledrejection', onUnhandled);
    }
  });

  it('asks its element to render again when the code arrives', async () => {
    const host = await fixture<LazyHost>(html`<lazy-module-host></lazy-module-host>`);
    const { load, calls } = chunk<string>();
    const lazy = new LazyModule(load, host);
    lazy.prefetch();
    await host.updateComplete;
    const before = host.renders;
    calls[0]!.resolve('chunk');
    await lazy.get();
    await host.updateComplete;
    expect(host.renders).to.equal(before + 1);
  });

  it('builds its value from the module each time it arrives, after a failed fetch too', async () => {
    const { load, calls } = chunk<{ name: string }>();
    const lazy = new LazyModule(load, undefined, (module) => `${module.name} controller`);
    const failed = lazy.get();
    calls[0]!.reject(new Error('offline'));
    await failed.catch(() => undefined);
    const retried = lazy.get();
    calls[1]!.resolve({ name: 'calendar' });
    expect(await retried).to.equal('calendar controller');
    expect(lazy.value).to.equal('calendar controller');
  });

  it('fetches a chunk whose fetch really failed again once the server answers, without a reload', async function () {
    this.timeout(30000);
    // A built widget module on the care server this browser has never fetched: other test files load
    // crisis-button.js, and the HTTP cache (5 minutes for entry files) would answer without the server.
    const url = `${endpoint}/widgets/crisis-button.js?lazy-module-test=${Date.now()}`;
    const lazy = new LazyModule(() => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>);
    try {
      await careServer('stop');
      let error: unknown;
      await lazy.get().catch((e: unknown) => (error = e));
      expect(error, 'nothing answers while the server is stopped').to.be.instanceOf(TypeError);
      await careServer('start');
      // The browser now answers this URL's import with the same failure, without a request.
      const again = await import(/* @vite-ignore */ url).then(
        () => 'loaded',
        () => 'failed',
      );
      expect(again, 'a plain import again keeps the failure').to.equal('failed');
      const code = await lazy.get();
      expect(code).to.have.property('CareCrisisButton');
      expect(customElements.get('care-crisis-button')).to.not.equal(undefined);
      expect(lazy.value).to.equal(code);
    } finally {
      await careServer('start');
    }
  });
});


/**
 * The same in a widget: the built `<care-support-room>` (dist/widgets, from the care server, in a
 * frame of its own) fetches the "may be in danger" dialog's chunk when a person first flags a post.
 * The server is stopped at that moment (a phone losing its signal); once it answers again, the
 * next flag opens the dialog, without reloading the page.
 */
describe("a widget's lazy chunk whose fetch failed", () => {
  it('loads on the next use once the server answers', async function () {
    this.timeout(60000);
    const { groupId, members } = await createGroup({ members: 2 });
    const [author, flagger] = members as [string, string];
    const authorToken = await ready(groupId, author, 'Sunny');
    const token = await ready(groupId, flagger, 'Rowan');
    await trpc('groups.post', { groupId, body: 'Rough week' }, authorToken);
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><html lang="en"><body>
      <care-support-room endpoint="${endpoint}" token="${token}" group="${groupId}" poll-interval="0"></care-support-room>
      <script type="module">import '${endpoint}/widgets/support-room.js';</script></body></html>`;
    document.body.append(frame);
    try {
      const room = () => frame.contentDocument!.querySelector('care-support-room')!.shadowRoot!;
      const findFlagButton = () =>
        [...(frame.contentDocument?.querySelector('care-support-room')?.shadowRoot?.querySelectorAll<HTMLButtonElement>('care-group-board button') ?? [])].find(
          (b) => b.getAttribute('aria-label') === 'May be in danger: flag Sunny',
        );
      const flagButton = async () => {
        await waitUntil(findFlagButton, 'the flag button', { timeout: 10000 });
        return findFlagButton()!;
      };
      const status = () => room().querySelector('[role="status"]')?.textContent ?? '';
      const dialogOpen = () => room().querySelector<HTMLDialogElement>('dialog.danger-flag')?.open === true;

      const button = await flagButton();
      await careServer('stop');
      button.click();
      await waitUntil(() => status().includes('That did not work'), 'the failed fetch is announced', { timeout: 10000 });
      expect(dialogOpen()).to.equal(false);

      await careServer('start');
      (await flagButton()).click();
      await waitUntil(dialogOpen, 'the dialog opens once its chunk loads', { timeout: 10000 });
    } finally {
      frame.remove();
      await careServer('start');
    }
  });
});
