import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareAlerts } from '../../components/clinician/alerts.js';
import type { CareRoster } from '../../components/clinician/roster.js';
import { careServer, newClientId, shadow, tokenFor, trpc } from './helpers.js';

let endpoint: string;
let staffToken: string;
before(async () => {
  ({ endpoint } = await careServer());
  staffToken = await tokenFor('test-clinician', 'clinician');
});
afterEach(() => fixtureCleanup());

const text = (el: Element | null | undefined) => (el instanceof Element ? (el.shadowRoot ?? el).textContent ?? '' : '').replace(/\s+/g, ' ');
const recordIn = (host: Element) => shadow(host).querySelector('care-client-record');
const section = (record: Element, name: string) => shadow(record).querySelector(`[data-section="${name}"]`);

const recordEl = (clientId: string, clientName?: string) =>
  fixture(html`<care-client-record endpoint=${endpoint} token=${staffToken} locale="en-US" client-id=${clientId} client-name=${clientName ?? ''}></care-client-record>`);

describe('<care-client-record>', () => {
  it("shows a seeded client's progress, check-ins, safety plan with its versions, alerts and sessions", async () => {
    const el = await recordEl('client-1', 'Alex R.');
    await waitUntil(() => text(shadow(el).querySelector('h2')).includes('Alex R.'), 'title names the person');
    const progress = shadow(el).querySelector('care-progress')!;
    expect(progress.getAttribute('client-id')).to.equal('client-1');
    await waitUntil(() => progress.shadowRoot?.querySelectorAll('svg.chart-svg').length, 'progress charts', { timeout: 15000 });
    await waitUntil(() => section(el, 'check-ins')?.querySelectorAll('li.check-in').length, 'check-ins', { timeout: 15000 });
    const checkIns = text(section(el, 'check-ins'));
    expect(checkIns).to.contain('Daily check-in');
    expect(checkIns).to.contain('How is your mood today?');
    expect(checkIns).to.match(/(PHQ-9 score: \d+ of 27|GAD-7 score: \d+ of 21)/);
    const plan = shadow(el).querySelector('care-safety-plan')!;
    expect(plan.getAttribute('client-id')).to.equal('client-1');
    await waitUntil(() => text(plan).includes('Warning signs'), 'the current plan', { timeout: 15000 });
    await waitUntil(() => section(el, 'plan-versions')?.querySelectorAll('li').length, 'plan versions');
    expect(text(section(el, 'plan-versions'))).to.match(/Version 1/);
    await waitUntil(() => section(el, 'alerts')?.getAttribute('aria-busy') === 'false' && !text(section(el, 'alerts')).includes('Loading'), 'alerts read');
    const alertsText = text(section(el, 'alerts'));
    expect(alertsText.includes('No alerts for this person.') || /Open|Acknowledged on/.test(alertsText), alertsText).to.equal(true);
    await waitUntil(() => section(el, 'sessions')?.querySelectorAll('li').length, 'sessions', { timeout: 15000 });
    expect(text(section(el, 'sessions'))).to.match(/Support group · .+ · 60 min|Telehealth visit · .+ · 30 min/);
    await expect(el).to.be.accessible();
  });

  it("shows a check-in's answers and note and the open alert it raised", async () => {
    const sub = newClientId();
    const clientToken = await tokenFor(sub);
    await trpc(
      'checkIn.submit',
      {
        clientRequestId: crypto.randomUUID(),
        templateId: 'daily',
        answers: { mood: 2, craving: 9, sleepHours: 4, medication: 'no', used: 'yes', warningSigns: ['stress'], note: 'Rough week at <b>work</b>' },
        submittedAt: new Date().toISOString(),
      },
      clientToken,
    );
    const el = await recordEl(sub);
    await waitUntil(() => section(el, 'check-ins')?.querySelector('li.check-in'), 'check-in', { timeout: 15000 });
    const item = text(section(el, 'check-ins'));
    expect(item).to.contain('Rough week at <b>work</b>');
    expect(item).to.contain('Feeling stressed');
    expect(item).to.contain('High craving');
    expect(section(el, 'check-ins')!.querySelector('b')).to.equal(null);
    await waitUntil(() => section(el, 'alerts')?.querySelector('li'), 'alert', { timeout: 15000 });
    expect(text(section(el, 'alerts'))).to.contain('Urgent');
    expect(text(section(el, 'alerts'))).to.contain('Open');
  });

  it('shows a BAM answer that an earlier version of the form asked (item 5 while item 4 was 0), marked, and the score as stored', async () => {
    // Demo data: Jordan P. (client-3) answered BAM version 2 four days ago with item 4 = 0 and item 5 = 2.
    const el = await recordEl('client-3', 'Jordan P.');
    const bamCheckIn = () => [...(section(el, 'check-ins')?.querySelectorAll('li.check-in') ?? [])].find((li) => li.textContent?.includes('Brief Addiction Monitor'));
    await waitUntil(bamCheckIn, 'the BAM check-in', { timeout: 15000 });
    const item = bamCheckIn()!;
    const answers = [...item.querySelectorAll('.answer')];
    const heavyDrinking = answers.find((a) => a.querySelector('dt')?.textContent?.includes('at least 5 drinks'));
    expect(heavyDrinking, 'item 5 is shown').to.not.equal(undefined);
    expect(text(heavyDrinking!.querySelector('dd'))).to.contain('2 days');
    const mark = heavyDrinking!.querySelector('[part="earlier-form-answer"]');
    expect(text(mark)).to.contain("Asked on version 2 of this form. Today's form skips this question after these answers, so the score does not count it.");
    expect(answers.filter((a) => a.querySelector('[part="earlier-form-answer"]')), 'only item 5 is marked').to.have.length(1);
    expect(text(item.querySelector('summary'))).to.contain('Answers (form version 2)');
    expect(text(item.querySelector('.score'))).to.contain('Use: 0 of 12.');
    const days = answers.map((a) => text(a.querySelector('dt')));
    expect(days.findIndex((d) => d.includes('at least 5 drinks'))).to.equal(days.findIndex((d) => d.includes('drink ANY alcohol')) + 1, 'in the form’s order');
    item.querySelector('details')!.open = true;
    await expect(el).to.be.accessible();
  });

  it('says when the person is not a client of this clinic', async () => {
    const el = await recordEl('nobody-at-all');
    await waitUntil(() => text(el).includes('No client with this id in your clinic.'), 'not found', { timeout: 15000 });
  });
});

describe('opening a record from the roster and the alerts', () => {
  it('Enter on a roster row opens the record inside the roster, and Escape returns to that row', async () => {
    const roster = await fixture<CareRoster>(html`<care-roster endpoint=${endpoint} token=${staffToken} locale="en-US" page-size="10"></care-roster>`);
    await waitUntil(() => shadow(roster).querySelectorAll('tbody tr').length === 10, 'first page', { timeout: 10000 });
    const opened: string[] = [];
    roster.addEventListener('care-open-client', (e) => opened.push((e as CustomEvent<{ clientId: string }>).detail.clientId));
    const rowButton = () => shadow(roster).querySelectorAll<HTMLButtonElement>('tbody tr th button')[2]!;
    const name = rowButton().textContent.trim();
    rowButton().focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => recordIn(roster), 'the record opens', { timeout: 10000 });
    expect(opened).to.have.length(1);
    expect(recordIn(roster)!.getAttribute('client-id')).to.equal(opened[0]);
    await waitUntil(() => text(shadow(recordIn(roster)!).querySelector('h2')).includes(name), 'record of that person');
    expect(shadow(roster).querySelector('table')!.checkVisibility()).to.equal(false);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !recordIn(roster) && shadow(roster).activeElement?.textContent?.trim() === name, 'back on the same row', { timeout: 10000 });
  });

  it('the Back button also returns to the row, and a host that handles care-open-client keeps the roster as it is', async () => {
    const roster = await fixture<CareRoster>(html`<care-roster endpoint=${endpoint} token=${staffToken} locale="en-US" page-size="10"></care-roster>`);
    await waitUntil(() => shadow(roster).querySelectorAll('tbody tr').length === 10, 'first page', { timeout: 10000 });
    const rowButton = () => shadow(roster).querySelectorAll<HTMLButtonElement>('tbody tr th button')[1]!;
    const name = rowButton().textContent.trim();
    rowButton().click();
    await waitUntil(() => recordIn(roster), 'the record opens', { timeout: 10000 });
    shadow(roster).querySelector<HTMLButtonElement>('button.back')!.click();
    await waitUntil(() => shadow(roster).activeElement?.textContent?.trim() === name, 'back on the same row', { timeout: 10000 });
    roster.addEventListener('care-open-client', (e) => e.preventDefault());
    rowButton().click();
    await roster.updateComplete;
    expect(recordIn(roster)).to.equal(null);
  });

  it('"Open record" on an alert opens that person’s record, and Escape returns to the button', async () => {
    const sub = newClientId();
    await trpc(
      'checkIn.submit',
      { clientRequestId: crypto.randomUUID(), templateId: 'daily', answers: { mood: 2, craving: 9, sleepHours: 4, medication: 'yes', used: 'yes' }, submittedAt: new Date().toISOString() },
      await tokenFor(sub),
    );
    const alerts = await fixture<CareAlerts>(html`<care-alerts endpoint=${endpoint} token=${staffToken} locale="en-US"></care-alerts>`);
    await waitUntil(() => text(alerts).includes(`Client ${sub}`), 'alert shown', { timeout: 10000 });
    const opened: string[] = [];
    alerts.addEventListener('care-open-client', (e) => opened.push((e as CustomEvent<{ clientId: string }>).detail.clientId));
    const button = [...shadow(alerts).querySelectorAll<HTMLButtonElement>('button.open-record')].find((b) => b.closest('article')?.textContent?.includes(sub))!;
    expect(button.textContent).to.contain('Open record');
    button.focus();
    await sendKeys({ press: 'Enter' });
    expect(opened).to.deep.equal([sub]);
    await waitUntil(() => recordIn(alerts)?.getAttribute('client-id') === sub, 'record opens', { timeout: 10000 });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !recordIn(alerts) && shadow(alerts).activeElement?.classList.contains('open-record'), 'focus back on Open record', { timeout: 10000 });
  });
});
