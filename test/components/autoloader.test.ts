import { expect } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
// Only the autoloader: no widget module is imported up front.
import { autoload, load, widgetModules } from '../../components/autoloader.js';
import { careServer, newClientId, shadow, tokenFor } from './helpers.js';

const defined = (tag: string) => customElements.get(tag) !== undefined;
const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');

describe('autoloader', () => {
  const host = document.createElement('div');
  before(() => document.body.append(host));
  after(() => host.remove());

  it('defines nothing until a care element appears in the page', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const tag of Object.keys(widgetModules)) expect(defined(tag), tag).to.equal(false);
  });

  it('registers an element when its tag is added, and only that widget', async () => {
    const { endpoint } = await careServer();
    const token = await tokenFor(newClientId());
    const progress = document.createElement('care-progress');
    progress.setAttribute('endpoint', endpoint);
    progress.setAttribute('token', token);
    progress.setAttribute('locale', 'en-US');
    host.append(progress);
    await waitUntil(() => defined('care-progress'), 'care-progress gets defined', { timeout: 5000 });
    await waitUntil(() => progress.shadowRoot !== null && text(progress).length > 0, 'it upgrades and renders');
    expect(defined('care-check-in')).to.equal(false);
    expect(defined('care-alerts')).to.equal(false);
    expect(defined('care-support-room')).to.equal(false);
  });

  it('loads the provider first, so widgets added inside one get its settings', async () => {
    const { endpoint } = await careServer();
    host.innerHTML = `<care-provider endpoint="${endpoint}" locale="es"><div><care-check-in theme="light"></care-check-in></div></care-provider>`;
    const checkIn = host.querySelector('care-check-in')!;
    await waitUntil(() => defined('care-check-in') && defined('care-provider'), 'both get defined', { timeout: 5000 });
    await waitUntil(() => text(checkIn).includes('Registro diario'), `Spanish from the provider, got: ${text(checkIn).slice(0, 200)}`, { timeout: 5000 });
    expect(defined('care-safety-plan')).to.equal(false);
  });

  it('loads each element on its own: the crisis button without the safety plan, then the plan when it appears', async () => {
    host.innerHTML = '<care-crisis-button></care-crisis-button>';
    await waitUntil(() => defined('care-crisis-button'), 'crisis button defined', { timeout: 5000 });
    expect(defined('care-safety-plan'), 'own module').to.equal(false);
    host.insertAdjacentHTML('beforeend', '<care-safety-plan></care-safety-plan>');
    await waitUntil(() => defined('care-safety-plan'), 'safety plan defined', { timeout: 5000 });
    expect(defined('care-roster')).to.equal(false);
  });

  it('watches a shadow root it is given, and ignores tags that are not care widgets', async () => {
    const outer = document.createElement('div');
    host.append(outer);
    const root = outer.attachShadow({ mode: 'open' });
    const stop = autoload(root);
    root.innerHTML = '<care-roster></care-roster><care-unknown-thing></care-unknown-thing>';
    await waitUntil(() => defined('care-roster'), 'roster in a shadow root gets defined', { timeout: 5000 });
    stop();
    let error: unknown;
    await load('care-unknown-thing').catch((e: unknown) => (error = e));
    expect(String(error)).to.include('no widget is called <care-unknown-thing>');
    expect(defined('care-unknown-thing')).to.equal(false);
  });
});
