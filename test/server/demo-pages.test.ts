import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startServer } from './helpers.js';

/** The widget entry that defines each element (vite.config.ts `lib.entry`). */
const ENTRY: Record<string, string> = {
  'care-provider': 'provider',
  'care-check-in': 'check-in',
  'care-progress': 'progress',
  'care-safety-plan': 'safety-plan',
  'care-crisis-button': 'crisis-button',
  'care-alerts': 'alerts',
  'care-roster': 'roster',
  'care-outcomes': 'outcomes',
  'care-support-room': 'support-room',
  'care-client-record': 'client-record',
};

for (const page of ['index', 'staff', 'groups', 'themes', 'check-in-only']) {
  test(`demo/${page}.html loads only the widgets it shows, has a description and a main landmark`, () => {
    const html = readFileSync(new URL(`../../demo/${page}.html`, import.meta.url), 'utf8');
    const shown = new Set([...html.matchAll(/<(care-[a-z-]+)[\s>]/g)].map((m) => ENTRY[m[1]!] ?? m[1]!));
    const loaded = new Set([...html.matchAll(/<script type="module" src="\/widgets\/([a-z-]+)\.js"><\/script>/g)].map((m) => m[1]!));
    assert.deepEqual([...loaded].sort(), [...shown].sort());
    assert.match(html, /<meta name="description" content="[^"]{50,160}" \/>/);
    assert.match(html, /<main[\s>]/);
  });
}

test('the demo server serves the one-widget page and the script that signs it in', async () => {
  const server = await startServer({ config: { demo: true } });
  try {
    const page = await fetch(`${server.baseUrl}/check-in-only.html`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<care-check-in template="daily"><\/care-check-in>/);
    const script = await fetch(`${server.baseUrl}/check-in-only.js`);
    assert.equal(script.status, 200);
    const token = await fetch(`${server.baseUrl}/demo/token?sub=client-1&role=client`);
    assert.equal(token.status, 200);
  } finally {
    await server.stop();
  }
});
