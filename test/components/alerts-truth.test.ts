import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import type { CareAlerts } from '../../components/clinician/alerts.js';
import { emulateA11yMedia } from './a11y-checks.js';
import { careServer, newClientId, shadow, tokenFor } from './helpers.js';

/**
 * What <care-alerts> shows must be true: the check-in's own note and time, each reason once, and
 * a page that neither jumps when the alerts arrive nor asks for them twice.
 */

let endpoint: string;
let staffToken: string;
before(async () => {
  ({ endpoint } = await careServer());
  staffToken = await tokenFor('truth-clinician', 'clinician');
});
afterEach(async () => {
  fixtureCleanup();
  await emulateA11yMedia({ forcedColors: 'none', reducedMotion: 'no-preference' });
});

const alertsEl = () => fixture<CareAlerts>(html`<care-alerts endpoint=${endpoint} token=${staffToken} locale="en-US"></care-alerts>`);
const text = (el: Node | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function dailyCheckIn(answers: Record<string, unknown>, submittedAt = new Date().toISOString()): Promise<{ clientId: string; id: string }> {
  const clientId = newClientId();
  const res = await fetch(`${endpoint}/trpc/checkIn.submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(clientId)}` },
    body: JSON.stringify({
      clientRequestId: crypto.randomUUID(),
      templateId: 'daily',
      answers: { mood: 6, craving: 2, sleepHours: 7, medication: 'yes', used: 'no', warningSigns: [], ...answers },
      submittedAt,
    }),
  });
  if (!res.ok) throw new Error(`submit: ${res.status}`);
  return { clientId, id: ((await res.json()) as { result: { data: { id: string } } }).result.data.id };
}

async function alertArticle(el: CareAlerts, clientId: string): Promise<HTMLElement> {
  await waitUntil(() => text(el.shadowRoot).includes(`Client ${clientId}`), `alert of ${clientId}`, { timeout: 10000 });
  const heading = [...shadow(el).querySelectorAll('h3')].find((h) => text(h).includes(`Client ${clientId}`))!;
  return heading.closest('article')!;
}

describe('<care-alerts> shows what happened', () => {
  it("shows the note of the check-in that raised the alert, under the alert, and says the note is the reason", async () => {
    const note = 'Please call me after 5, work is hard this week.';
    const { clientId } = await dailyCheckIn({ note });
    const el = await alertsEl();
    const article = await alertArticle(el, clientId);
    expect(text(article)).to.contain(note);
    expect(text(article.querySelector('[part~="check-in-note"]'))).to.contain(note);
    expect(text(article.querySelector('.reasons'))).to.equal('Wrote a note to the care team');
    await expect(el).to.be.accessible();
  });

  it('shows the note in the recent check-ins too', async () => {
    const note = 'Slept badly, but I went to my meeting.';
    const { clientId } = await dailyCheckIn({ note, used: 'yes' });
    const el = await alertsEl();
    const article = await alertArticle(el, clientId);
    article.querySelector<HTMLButtonElement>('[aria-controls^="check-ins-"]')!.click();
    await waitUntil(() => text(article.querySelector('[part="check-ins"] ul')).includes(note), 'note in recent check-ins');
  });

  it('says when the check-in was made, and when it arrived late from an offline device', async () => {
    const madeAt = new Date(Date.now() - 3 * 86_400_000);
    madeAt.setSeconds(0, 0);
    const late = await dailyCheckIn({ used: 'yes' }, madeAt.toISOString());
    const onTime = await dailyCheckIn({ used: 'yes' });
    const el = await alertsEl();
    const lateArticle = await alertArticle(el, late.clientId);
    const times = [...lateArticle.querySelectorAll('.meta time')].map((t) => t.getAttribute('datetime'));
    expect(times[0]).to.equal(madeAt.toISOString());
    expect(text(lateArticle)).to.match(/Received .+/);
    expect(text(await alertArticle(el, onTime.clientId))).not.to.contain('Received');
  });

  it('says "Crisis help requested" once for a crisis alert', async () => {
    const clientId = newClientId();
    const res = await fetch(`${endpoint}/trpc/crisis.alert`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(clientId)}` },
      body: JSON.stringify({ clientRequestId: crypto.randomUUID() }),
    });
    expect(res.ok).to.equal(true);
    const el = await alertsEl();
    const article = await alertArticle(el, clientId);
    expect(text(article).split('Crisis help requested').length - 1).to.equal(1);
  });
});

/** Holds every alerts.list request until released, and counts them. */
function spyOnAlertsList() {
  const original = window.fetch;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const spy = { count: 0, release, restore: () => (window.fetch = original) };
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('alerts.list')) {
      spy.count += 1;
      await released;
    }
    return original(input, init);
  };
  return spy;
}

describe('<care-alerts> on the staff page', () => {
  it('reserves its space while loading: what is below it does not move when the alerts arrive', async () => {
    const spy = spyOnAlertsList();
    try {
      const page = await fixture<HTMLElement>(html`<div><care-alerts endpoint=${endpoint} token=${staffToken} locale="en-US"></care-alerts><p id="below">Roster</p></div>`);
      const el = page.querySelector('care-alerts')!;
      await waitUntil(() => shadow(el).querySelector('.skeleton'), 'skeleton while loading');
      const topWhileLoading = page.querySelector('#below')!.getBoundingClientRect().top;
      let shift = 0;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) shift += entry.value;
        }
      });
      observer.observe({ type: 'layout-shift' });
      spy.release();
      await waitUntil(() => shadow(el).querySelector('li.alert'), 'alerts arrived', { timeout: 10000 });
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      observer.disconnect();
      expect(page.querySelector('#below')!.getBoundingClientRect().top).to.equal(topWhileLoading);
      expect(shift).to.be.below(0.01);
    } finally {
      spy.restore();
    }
  });

  it('shows skeleton rows that shimmer only when motion is welcome', async () => {
    const spy = spyOnAlertsList();
    try {
      const el = await alertsEl();
      await waitUntil(() => shadow(el).querySelector('.skeleton'), 'skeleton while loading');
      const row = shadow(el).querySelector<HTMLElement>('.skeleton [part~="skeleton-row"]')!;
      expect(shadow(el).querySelectorAll('.skeleton [part~="skeleton-row"]').length).to.be.at.least(3);
      expect(getComputedStyle(row).animationName).not.to.equal('none');
      await emulateA11yMedia({ forcedColors: 'none', reducedMotion: 'reduce' });
      expect(getComputedStyle(row).animationName).to.equal('none');
      expect(text(el.shadowRoot)).to.contain('Loading alerts…');
    } finally {
      spy.release();
      spy.restore();
    }
  });

  it('asks for alerts.list once per page load, also when the live stream connects', async () => {
    const spy = spyOnAlertsList();
    spy.release();
    try {
      const el = await alertsEl();
      await waitUntil(() => shadow(el).querySelector('li.alert'), 'alerts shown', { timeout: 10000 });
      // The stream says `ready` once the server follows the clinic's changes.
      await waitUntil(() => (el as unknown as { live: { live: boolean } }).live.live, 'live updates on', { timeout: 10000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(spy.count).to.equal(1);
    } finally {
      spy.restore();
    }
  });
});
