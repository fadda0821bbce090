import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareAlerts } from '../../components/clinician/alerts.js';
import type { CareOutcomes } from '../../components/clinician/outcomes.js';
import type { CareRoster } from '../../components/clinician/roster.js';
import { careServer, newClientId, shadow, tokenFor } from './helpers.js';

let endpoint: string;
let staffToken: string;
before(async () => {
  ({ endpoint } = await careServer());
  staffToken = await tokenFor('test-clinician', 'clinician');
});
afterEach(() => fixtureCleanup());

interface Attrs {
  token?: string;
  locale?: string;
  theme?: string;
  dir?: string;
}

const alertsEl = (a: Attrs = {}) =>
  fixture<CareAlerts>(html`<care-alerts endpoint=${endpoint} token=${a.token ?? staffToken} locale=${a.locale ?? 'en-US'} theme=${a.theme ?? 'auto'} dir=${a.dir ?? 'ltr'}></care-alerts>`);
const rosterEl = (a: Attrs = {}) =>
  fixture<CareRoster>(html`<care-roster endpoint=${endpoint} token=${a.token ?? staffToken} locale=${a.locale ?? 'en-US'} theme=${a.theme ?? 'auto'} dir=${a.dir ?? 'ltr'} page-size="10"></care-roster>`);
const outcomesEl = (a: Attrs = {}) =>
  fixture<CareOutcomes>(html`<care-outcomes endpoint=${endpoint} token=${a.token ?? staffToken} locale=${a.locale ?? 'en-US'} theme=${a.theme ?? 'auto'} dir=${a.dir ?? 'ltr'}></care-outcomes>`);

async function waitForText(el: Element, text: string, timeout = 10000) {
  await waitUntil(() => shadow(el).textContent?.replace(/\s+/g, ' ').includes(text), `waiting for "${text}"`, { timeout });
}

/** A client sends an urgent daily check-in over tRPC, as the check-in widget would; returns the client id. */
async function urgentCheckIn(): Promise<string> {
  const sub = newClientId();
  const token = await tokenFor(sub);
  const res = await fetch(`${endpoint}/trpc/checkIn.submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      clientRequestId: crypto.randomUUID(),
      templateId: 'daily',
      answers: { mood: 2, craving: 9, sleepHours: 4, medication: 'yes', used: 'yes', warningSigns: [] },
      submittedAt: new Date().toISOString(),
    }),
  });
  if (!res.ok) throw new Error(`submit: ${res.status}`);
  return sub;
}

/** A client presses the crisis button `times` times (a new press each time, as the crisis widget would); returns the client id. */
async function crisisPresses(times: number): Promise<string> {
  const sub = newClientId();
  const token = await tokenFor(sub);
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${endpoint}/trpc/crisis.alert`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientRequestId: crypto.randomUUID() }),
    });
    if (!res.ok) throw new Error(`crisis.alert: ${res.status}`);
  }
  return sub;
}

async function alertsOf(status: 'open' | 'acknowledged') {
  const input = encodeURIComponent(JSON.stringify({ status, limit: 100 }));
  const res = await fetch(`${endpoint}/trpc/alerts.list?input=${input}`, { headers: { authorization: `Bearer ${staffToken}` } });
  return ((await res.json()) as { result: { data: { items: { id: string; clientId: string; acknowledgeNote: string | null }[] } } }).result.data.items;
}

const live = (el: Element, role: 'status' | 'alert') => shadow(el).querySelector(`[role="${role}"]`)!;

describe('<care-alerts>', () => {
  it('lists open alerts, urgent first, and acknowledges one with a note using only the keyboard', async () => {
    const clientId = await urgentCheckIn();
    const alertId = (await alertsOf('open')).find((a) => a.clientId === clientId)!.id;
    const el = await alertsEl();
    await waitForText(el, `Client ${clientId}`);
    const levels = [...shadow(el).querySelectorAll('li.alert')].map((li) => (li.classList.contains('urgent') ? 'urgent' : 'elevated'));
    expect(levels.indexOf('elevated') === -1 || levels.lastIndexOf('urgent') < levels.indexOf('elevated'), levels.join()).to.equal(true);

    shadow(el).querySelector<HTMLButtonElement>(`#ack-button-${alertId}`)!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const note = shadow(el).querySelector<HTMLTextAreaElement>(`#note-${alertId}`)!;
    await waitUntil(() => shadow(el).activeElement === note, 'focus moves into the note');
    await sendKeys({ type: 'Called; safe with family tonight' });
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement?.textContent?.trim()).to.equal('Acknowledge alert');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => live(el, 'status').textContent?.includes(`Alert for Client ${clientId} acknowledged.`), 'announced');
    expect(shadow(el).querySelector(`#alert-${alertId}`)).to.equal(null);
    const stored = (await alertsOf('acknowledged')).find((a) => a.id === alertId)!;
    expect(stored.acknowledgeNote).to.equal('Called; safe with family tonight');
    await expect(el).to.be.accessible();
  });

  it("expands an alert into the person's recent check-ins", async () => {
    const clientId = await urgentCheckIn();
    const el = await alertsEl();
    await waitForText(el, `Client ${clientId}`);
    const alertId = (await alertsOf('open')).find((a) => a.clientId === clientId)!.id;
    const toggle = shadow(el).querySelector<HTMLButtonElement>(`[aria-controls="check-ins-${alertId}"]`)!;
    toggle.click();
    await waitUntil(() => shadow(el).querySelector(`#check-ins-${alertId}`)?.textContent?.includes('mood 2/10, craving 9/10'), 'check-ins shown');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('announces a new urgent alert assertively when polling finds it', async () => {
    const el = await alertsEl();
    await waitForText(el, 'open alert');
    const clientId = await urgentCheckIn();
    await el.refresh();
    await waitUntil(() => live(el, 'alert').textContent?.includes(`New urgent alert: Client ${clientId}.`), 'assertive announcement');
  });

  it('shows one crisis alert for repeated presses, saying how often the person asked again', async () => {
    const clientId = await crisisPresses(3);
    const el = await alertsEl();
    await waitForText(el, `Client ${clientId}`);
    const alertId = (await alertsOf('open')).find((a) => a.clientId === clientId)!.id;
    expect(shadow(el).querySelectorAll(`#alert-${alertId}`).length).to.equal(1);
    const repeats = shadow(el).querySelector(`#alert-${alertId}`)!.closest('article')!.querySelector('[part="repeats"]');
    expect(repeats?.textContent?.replace(/\s+/g, ' ')).to.contain('Asked for help again 2 times');
    await expect(el).to.be.accessible();
  });

  it('tells a client-token holder that alerts are for the care team', async () => {
    const el = await alertsEl({ token: await tokenFor(newClientId()) });
    await waitForText(el, 'Alerts are for care team members.');
  });
});

const engagementOf = (el: Element) =>
  [...shadow(el).querySelectorAll('tbody tr')].map((tr) => Number(/(\d+) of 14 days/.exec(tr.lastElementChild!.textContent)![1]));

describe('<care-roster>', () => {
  it('sorts by a column with the keyboard and says how it is sorted', async () => {
    const el = await rosterEl();
    await waitUntil(() => shadow(el).querySelectorAll('tbody tr').length === 10, 'first page', { timeout: 10000 });
    const header = () => shadow(el).querySelector('button[data-sort="engagement"]')!.closest('th')!;
    expect(header().hasAttribute('aria-sort')).to.equal(false);
    shadow(el).querySelector<HTMLButtonElement>('button[data-sort="engagement"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => header().getAttribute('aria-sort') === 'descending' && shadow(el).querySelector('table')?.getAttribute('aria-busy') === 'false');
    const down = engagementOf(el);
    expect(down).to.deep.equal([...down].sort((a, b) => b - a));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => header().getAttribute('aria-sort') === 'ascending' && shadow(el).querySelector('table')?.getAttribute('aria-busy') === 'false');
    const up = engagementOf(el);
    expect(up).to.deep.equal([...up].sort((a, b) => a - b));
    expect(up[0]).to.be.lessThan(down[0]!);
    await waitUntil(() => live(el, 'status').textContent?.includes('Sorted by Engagement (14 days), lowest first.'));
    await expect(el).to.be.accessible();
  });

  it('filters by name on the server and pages forward and back', async () => {
    const el = await rosterEl();
    await waitUntil(() => shadow(el).querySelectorAll('tbody tr').length === 10);
    const first = shadow(el).querySelector('tbody th')!.textContent;
    shadow(el).querySelector<HTMLButtonElement>('.pager button:last-child')!.click();
    await waitForText(el, 'Showing 11–20 of');
    expect(shadow(el).querySelector('tbody th')!.textContent).to.not.equal(first);
    shadow(el).querySelector<HTMLButtonElement>('.pager button:first-child')!.click();
    await waitForText(el, 'Showing 1–10 of');
    const search = shadow(el).querySelector<HTMLInputElement>('#search')!;
    search.focus();
    await sendKeys({ type: 'Fatima' });
    await waitUntil(() => shadow(el).querySelectorAll('tbody tr').length === 1, 'one match', { timeout: 10000 });
    expect(shadow(el).querySelector('tbody th')!.textContent).to.equal('Fatima S.');
    await sendKeys({ type: 'zzz-nobody' });
    await waitForText(el, 'No one matches these filters.');
  });
});

describe('<care-outcomes>', () => {
  it('draws the charts with a text summary and a data table for each', async () => {
    const el = await outcomesEl();
    // Four charts always; a fifth (BAM subscales) once the clinic has BAM check-ins, as other tests on this server may have stored.
    await waitUntil(() => shadow(el).querySelectorAll('figure').length >= 4, 'charts', { timeout: 15000 });
    expect(shadow(el).querySelectorAll('figure').length).to.be.at.most(5);
    const figures = [...shadow(el).querySelectorAll('figure')];
    for (const figure of figures) {
      expect(figure.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
      expect(figure.querySelector('.summary')!.textContent.trim().length).to.be.greaterThan(10);
      expect(figure.querySelectorAll('table.visually-hidden tbody tr')).to.have.length(6);
    }
    expect(figures[0]!.querySelector('.summary')!.textContent).to.match(/Engagement rate (rose|fell|held|:)/);
    expect(figures[0]!.querySelectorAll('polyline').length).to.be.greaterThan(0);
    const link = shadow(el).querySelector<HTMLAnchorElement>('[part="download"]')!;
    expect(link.href).to.contain('/reports/outcomes.csv?from=');
    await expect(el).to.be.accessible();
  });

  it('the CSV link target answers with a CSV for the staff token', async () => {
    const el = await outcomesEl();
    await waitUntil(() => shadow(el).querySelector('[part="download"]'), 'link', { timeout: 15000 });
    const href = shadow(el).querySelector<HTMLAnchorElement>('[part="download"]')!.href;
    const res = await fetch(href, { headers: { authorization: `Bearer ${staffToken}` } });
    expect(res.status).to.equal(200);
    expect((await res.text()).split('\r\n')[0]).to.contain('engagement_rate_percent');
  });
});

describe('clinician widgets in every language, direction and theme', () => {
  const variants: [string, Attrs, Record<string, string>][] = [
    ['English', {}, { alerts: 'Alerts', roster: 'Engagement (14 days)', outcomes: 'Engagement and retention' }],
    ['Spanish', { locale: 'es' }, { alerts: 'Alertas', roster: 'Participación (14 días)', outcomes: 'Participación y permanencia' }],
    ['right to left', { dir: 'rtl' }, { alerts: 'Alerts', roster: 'Engagement (14 days)', outcomes: 'Engagement and retention' }],
    ['dark', { theme: 'dark' }, { alerts: 'Alerts', roster: 'Engagement (14 days)', outcomes: 'Engagement and retention' }],
  ];
  for (const [name, attrs, texts] of variants) {
    it(`has no axe violations (${name})`, async () => {
      const a = await alertsEl(attrs);
      await waitUntil(() => shadow(a).querySelector('li.alert'), 'alerts', { timeout: 10000 });
      await waitForText(a, texts.alerts!);
      await expect(a).to.be.accessible();
      fixtureCleanup();
      const r = await rosterEl(attrs);
      await waitUntil(() => shadow(r).querySelector('tbody tr'), 'roster', { timeout: 10000 });
      await waitForText(r, texts.roster!);
      await expect(r).to.be.accessible();
      fixtureCleanup();
      const o = await outcomesEl(attrs);
      await waitUntil(() => shadow(o).querySelector('figure'), 'outcomes', { timeout: 15000 });
      await waitForText(o, texts.outcomes!);
      await expect(o).to.be.accessible();
    });
  }
});
