import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { render } from 'lit';
import '../../components/index.js';
import { loadLanguage, translatorFor } from '../../components/core/i18n.js';
import { renderCrisisLines } from '../../components/core/crisis-lines.js';
import { careServer, createGroup, newClientId, shadow, tokenFor } from './helpers.js';

/**
 * Right-to-left pages must show Latin names and numbers in their own order. These tests read where
 * the browser actually drew each word (Range rectangles), not the DOM text, which is the same
 * either way.
 */

/** The on-screen box of the `occurrence`-th appearance of `word` inside `root`'s text. */
export function boxOf(root: Node, word: string, occurrence = 0): DOMRect {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // `data`, not textContent: the test set-up leaves the isolates out of textContent.
    const text = (node as Text).data;
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      if (seen++ !== occurrence) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      return range.getBoundingClientRect();
    }
  }
  throw new Error(`"${word}" #${occurrence} not found in ${root.textContent}`);
}

/** True when `a` is drawn left of `b` on the same line. */
const leftOf = (a: DOMRect, b: DOMRect) => Math.abs(a.top - b.top) < 4 && a.right <= b.left + 1;

describe('numbers and Latin names inside right-to-left text', () => {
  before(() => loadLanguage('ar'));

  it('a US crisis line in Arabic keeps "988 Suicide & Crisis Lifeline" together and its number last', async () => {
    const host = await fixture<HTMLDivElement>(html`<div dir="rtl" lang="ar" style="font-size:16px;width:40rem"></div>`);
    render(
      renderCrisisLines({ region: 'US', emergency: '911', lines: [{ name: '988 Suicide & Crisis Lifeline', call: '988', hours: '24/7', languages: ['en'], source: '', lastChecked: '' }] }, translatorFor('ar')),
      host,
    );
    const link = host.querySelector('a')!;
    // Read right to left: "اتصل بـ", the name (its own left-to-right run), ":", then the number.
    expect(leftOf(boxOf(link, '988', 0), boxOf(link, 'Suicide')), 'the name’s 988 stays before Suicide').to.equal(true);
    expect(leftOf(boxOf(link, '988', 1), boxOf(link, 'Lifeline')), 'the number comes after (left of) the name').to.equal(true);
  });

  it('a phone number keeps its digit groups in dialling order in an Arabic sentence', async () => {
    const host = await fixture<HTMLDivElement>(html`<div dir="rtl" lang="ar" style="font-size:16px;width:40rem"></div>`);
    host.textContent = translatorFor('ar')('crisis.call', { name: 'العيادة', number: '+1 202 555 0100' });
    expect(leftOf(boxOf(host, '202'), boxOf(host, '555'))).to.equal(true);
    expect(leftOf(boxOf(host, '555'), boxOf(host, '0100'))).to.equal(true);
  });

  it('a name ending in a full stop keeps it at its end', async () => {
    const host = await fixture<HTMLDivElement>(html`<div dir="rtl" lang="ar" style="font-size:16px;width:40rem"></div>`);
    host.textContent = translatorFor('ar')('crisis.call', { name: 'Sam T.', number: '988' });
    expect(leftOf(boxOf(host, 'T'), boxOf(host, '.'))).to.equal(true);
  });
});

describe('widgets in Arabic keep names and numbers in their own order', () => {
  let endpoint: string;
  before(async () => {
    ({ endpoint } = await careServer());
    await loadLanguage('ar');
  });
  afterEach(() => fixtureCleanup());

  it('<care-crisis-button>: the US line reads name, then number', async () => {
    const el = await fixture<HTMLElement>(html`<care-crisis-button endpoint=${endpoint} token=${await tokenFor(newClientId())} locale="ar" dir="rtl" region="US" variant="inline"></care-crisis-button>`);
    shadow(el).querySelector<HTMLButtonElement>('[part="trigger"]')!.click();
    const link = await waitFor(() => [...shadow(el).querySelectorAll<HTMLAnchorElement>('a[href="tel:988"]')].find((a) => (a.textContent ?? '').includes('Lifeline')));
    expect(leftOf(boxOf(link, '988', 0), boxOf(link, 'Suicide'))).to.equal(true);
    expect(leftOf(boxOf(link, '988', 1), boxOf(link, 'Lifeline'))).to.equal(true);
  });

  it('<care-alerts>: a client called "… T." keeps the full stop after the initial', async () => {
    const el = await fixture<HTMLElement>(html`<care-alerts endpoint=${endpoint} token=${await tokenFor('dr-rivera', 'clinician')} locale="ar" dir="rtl"></care-alerts>`);
    const heading = await waitFor(() => [...shadow(el).querySelectorAll<HTMLElement>('h3')].find((h) => /\b[A-Z]\.\s*$/.test(h.textContent ?? '')));
    const name = (heading.textContent ?? '').trim().match(/([A-Z])\.$/)![1]!;
    expect(leftOf(boxOf(heading, name, (heading.textContent.match(new RegExp(name, 'g')) ?? []).length - 1), boxOf(heading, '.'))).to.equal(true);
  });
});

describe('a clinic’s own words in another language keep theirs', () => {
  let endpoint: string;
  before(async () => {
    ({ endpoint } = await careServer());
    await loadLanguage('ar');
  });
  afterEach(() => fixtureCleanup());

  it('<care-support-room> in Arabic shows the English guidelines and description as English, left to right, full stop at the end', async () => {
    const { groupId, members } = await createGroup();
    const el = await fixture<HTMLElement>(html`<care-support-room endpoint=${endpoint} token=${await tokenFor(members[0]!)} group=${groupId} locale="ar" dir="rtl" jitsi-scheme="http"></care-support-room>`);
    const list = await waitFor(() => shadow(el).querySelector<HTMLUListElement>('.guidelines-text') ?? undefined);
    expect([list.lang, list.dir]).to.deep.equal(['en', 'ltr']);
    const first = list.querySelector('li')!;
    expect(first.textContent).to.equal('Keep what is shared here private.');
    expect(leftOf(boxOf(first, 'Keep'), boxOf(first, 'private')), 'read left to right').to.equal(true);
    expect(leftOf(boxOf(first, 'private'), boxOf(first, '.')), 'the full stop ends the sentence').to.equal(true);
    const description = shadow(el).querySelector<HTMLElement>('.description')!;
    expect([description.lang, description.dir]).to.deep.equal(['en', 'ltr']);
  });
});

async function waitFor<T>(find: () => T | undefined, timeout = 10_000): Promise<T> {
  let found: T | undefined;
  await waitUntil(() => (found = find()) !== undefined, 'element appears', { timeout });
  return found!;
}
