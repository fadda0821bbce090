import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import { careServer, newClientId, tokenFor, trpc } from './helpers.js';

/**
 * Hostile text stored through every field a person can fill is shown as text by every widget that
 * displays it: no element is created from it and no script runs.
 */
const HOSTILE = `<img src=x onerror="window.__careXss=1"><script>window.__careXss=1</script>"'><svg onload=window.__careXss=1>`;

declare global {
  interface Window {
    __careXss?: number;
  }
}

let endpoint: string;

async function namedToken(sub: string, role: string, name: string) {
  const res = await fetch(`${endpoint}/demo/token?sub=${encodeURIComponent(sub)}&role=${role}&name=${encodeURIComponent(name)}`);
  return ((await res.json()) as { token: string }).token;
}

/** Every element under a root, through nested shadow roots. */
function allElements(root: ParentNode): Element[] {
  const found: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    found.push(el);
    if (el.shadowRoot) found.push(...allElements(el.shadowRoot));
  }
  return found;
}

function deepText(root: Element): string {
  return allElements(root.shadowRoot ?? root)
    .map((el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''))
    .join(' ');
}

function assertInert(host: Element) {
  expect(window.__careXss, 'no hostile script ran').to.equal(undefined);
  for (const el of allElements(host.shadowRoot!)) {
    expect(el.tagName, 'no script element from data').to.not.equal('SCRIPT');
    for (const attr of el.getAttributeNames()) expect(attr.startsWith('on'), `no ${attr} handler on <${el.tagName}>`).to.equal(false);
  }
}

let client: string;
let clientToken: string;

before(async () => {
  ({ endpoint } = await careServer());
  client = newClientId();
  clientToken = await namedToken(client, 'client', HOSTILE);
  await trpc('checkIn.submit', {
    clientRequestId: crypto.randomUUID(),
    templateId: 'daily',
    answers: { mood: 1, craving: 9, sleepHours: 3, medication: 'no', warningSigns: [], used: 'yes', note: HOSTILE },
    submittedAt: new Date().toISOString(),
  }, clientToken);
  await trpc('progress.saveGoal', { id: crypto.randomUUID(), title: HOSTILE, target: 10, current: 3 }, clientToken);
  const empty = { warningSigns: [], copingStrategies: [], socialDistractions: [], helpContacts: [], professionals: [], safeEnvironment: [], reasonsForLiving: [] };
  await trpc('safetyPlan.save', {
    baseVersion: null,
    sections: { ...empty, warningSigns: [{ text: HOSTILE }], helpContacts: [{ text: HOSTILE, phone: '+1 555 0100' }], reasonsForLiving: [{ text: HOSTILE }] },
  }, clientToken);
  const member = await tokenFor('client-1');
  const { groups } = await trpc<{ groups: { id: string; guidelinesVersion: number }[] }>('groups.list', undefined, member, 'query');
  const version = groups.find((g) => g.id === 'demo-group-recovery')!.guidelinesVersion;
  await trpc('groups.acceptGuidelines', { groupId: 'demo-group-recovery', version }, member);
  await trpc('groups.post', { groupId: 'demo-group-recovery', body: HOSTILE }, member);
});
afterEach(() => fixtureCleanup());

describe('hostile text is rendered inert', () => {
  it('in the check-in form prefilled with it', async () => {
    const el = await fixture(html`<care-check-in endpoint=${endpoint} token=${clientToken} .answers=${{ note: HOSTILE }}></care-check-in>`);
    assertInert(el);
    expect(el.shadowRoot!.querySelector('textarea')!.value).to.equal(HOSTILE);
  });

  it('in progress goals', async () => {
    const el = await fixture(html`<care-progress endpoint=${endpoint} token=${clientToken}></care-progress>`);
    await waitUntil(() => deepText(el).includes('<img src=x'), 'goal title shown as text', { timeout: 10000 });
    assertInert(el);
  });

  it('in the safety plan and the crisis dialog contacts', async () => {
    const plan = await fixture(html`<care-safety-plan endpoint=${endpoint} token=${clientToken}></care-safety-plan>`);
    await waitUntil(
      () => allElements(plan.shadowRoot!).some((e) => (e as HTMLInputElement | HTMLTextAreaElement).value === HOSTILE || e.textContent?.includes('<img src=x')),
      'plan item shown',
      { timeout: 10000 },
    );
    assertInert(plan);
    const button = await fixture(html`<care-crisis-button endpoint=${endpoint} token=${clientToken}></care-crisis-button>`);
    const trigger = allElements(button.shadowRoot!).find((e) => e.tagName === 'BUTTON') as HTMLButtonElement;
    trigger.click();
    await waitUntil(() => deepText(button).includes('<img src=x'), 'contact shown as text', { timeout: 10000 });
    assertInert(button);
  });

  it('in the support-group board', async () => {
    const el = await fixture(html`<care-support-room endpoint=${endpoint} token=${await tokenFor('client-1')} group="demo-group-recovery"></care-support-room>`);
    await waitUntil(() => deepText(el).includes('<img src=x'), 'post shown as text', { timeout: 10000 });
    assertInert(el);
  });

  it("in the clinician's alerts and roster", async () => {
    const clinician = await tokenFor('clinician-1', 'clinician');
    const alerts = await fixture(html`<care-alerts endpoint=${endpoint} token=${clinician}></care-alerts>`);
    await waitUntil(() => deepText(alerts).includes('<img src=x'), 'client name shown as text in alerts', { timeout: 10000 });
    assertInert(alerts);
    const roster = await fixture(html`<care-roster endpoint=${endpoint} token=${clinician}></care-roster>`);
    await waitUntil(() => allElements(roster.shadowRoot!).length > 5, 'roster rendered', { timeout: 10000 });
    assertInert(roster);
  });
});
