import { expect } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import { careServer, shadow, tokenFor } from './helpers.js';

/** The demo client page's own markup and stylesheet, with its widgets signed in as a seeded client. */
async function demoPage(): Promise<() => void> {
  const { endpoint } = await careServer();
  const [markup, css] = await Promise.all([fetch('/demo/index.html').then((r) => r.text()), fetch('/demo/portal.css').then((r) => r.text())]);
  const doc = new DOMParser().parseFromString(markup, 'text/html');
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  const body = document.createElement('div');
  body.append(...[...doc.body.children].filter((n) => n.tagName !== 'SCRIPT').map((n) => document.importNode(n, true)));
  const provider = body.querySelector('care-provider')!;
  provider.setAttribute('endpoint', endpoint);
  provider.setAttribute('token', await tokenFor('client-1'));
  document.body.append(body);
  return () => {
    body.remove();
    style.remove();
  };
}

describe('demo client page', () => {
  it('leaves a gap between the progress and safety-plan cards', async () => {
    const remove = await demoPage();
    try {
      const plan = document.querySelector('care-safety-plan')!;
      await waitUntil(() => shadow(plan).querySelector('h2'), 'safety plan rendered', { timeout: 10000 });
      const progress = document.querySelector('care-progress')!.getBoundingClientRect();
      expect(plan.getBoundingClientRect().top - progress.bottom).to.be.at.least(16);
    } finally {
      remove();
    }
  });

  it('offers a skip link to the crisis button as the first thing on the page', async () => {
    const remove = await demoPage();
    try {
      const first = document.body.querySelector('a[href], button, select, input');
      expect(first?.getAttribute('href')).to.equal('#care-get-help');
      const crisis = document.querySelector('care-crisis-button')!;
      await waitUntil(() => crisis.id === 'care-get-help', 'skip target id');
    } finally {
      remove();
    }
  });
});
