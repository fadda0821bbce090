import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import type { CareAlerts } from '../../components/clinician/alerts.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { careServer, createGroup, newClientId, ready, shadow, tokenFor, trpc } from './helpers.js';

/**
 * Live updates in a real browser against the real server: the widgets follow the server's SSE
 * streams, so a change shows long before the next poll; when the stream is unavailable they poll.
 */
let endpoint: string;
let staffToken: string;
before(async () => {
  ({ endpoint } = await careServer());
  staffToken = await tokenFor('live-clinician', 'clinician');
});
afterEach(() => fixtureCleanup());

async function urgentCheckIn(): Promise<string> {
  const sub = newClientId();
  const res = await fetch(`${endpoint}/trpc/checkIn.submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(sub)}` },
    body: JSON.stringify({
      clientRequestId: crypto.randomUUID(),
      templateId: 'daily',
      answers: { mood: 1, craving: 9, sleepHours: 3, medication: 'yes', used: 'yes', warningSigns: [] },
      submittedAt: new Date().toISOString(),
    }),
  });
  if (!res.ok) throw new Error(`submit: ${res.status}`);
  return sub;
}

const text = (el: Element) => shadow(el).textContent?.replace(/\s+/g, ' ') ?? '';

describe('live updates in the widgets', () => {
  it('<care-alerts> shows a new urgent alert within seconds although its poll interval is ten minutes', async () => {
    const el = await fixture<CareAlerts>(html`<care-alerts endpoint=${endpoint} token=${staffToken} locale="en-US" poll-interval="600"></care-alerts>`);
    await waitUntil(() => text(el).includes('open alert'), 'first load', { timeout: 10000 });
    // The subscription is up once the server said `ready` (the widget refetches then too).
    await waitUntil(() => (el as unknown as { live: { live: boolean } }).live.live, 'live updates on', { timeout: 10000 });
    const clientId = await urgentCheckIn();
    await waitUntil(() => text(el).includes(`Client ${clientId}`), 'the new alert appears', { timeout: 4000 });
    await waitUntil(() => shadow(el).querySelector('[role="alert"]')?.textContent?.includes(`New urgent alert: Client ${clientId}.`), 'announced assertively', { timeout: 2000 });
  });

  it('<care-alerts> falls back to polling when the live stream is refused', async () => {
    const el = await fixture<CareAlerts>(html`<care-alerts endpoint=${endpoint} token=${staffToken} locale="en-US" poll-interval="5"></care-alerts>`);
    await waitUntil(() => text(el).includes('open alert'), 'first load', { timeout: 10000 });
    // Break only the stream: a subscription request that fails as a proxy without SSE support would.
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input).includes('alerts.onChange') ? Promise.resolve(new Response('no', { status: 502 })) : realFetch(input, init);
    try {
      const live = (el as unknown as { live: { live: boolean } }).live;
      // Reconnect with the broken stream: a new token makes the widget subscribe again.
      el.token = await tokenFor('live-clinician-2', 'clinician');
      await new Promise((r) => setTimeout(r, 500));
      expect(live.live).to.equal(false);
      const clientId = await urgentCheckIn();
      await waitUntil(() => text(el).includes(`Client ${clientId}`), 'polling finds the alert', { timeout: 12000 });
      expect(live.live).to.equal(false);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('<care-support-room> shows a new board post at once with polling turned off', async () => {
    // A session three days away: the board is open, the room is not live.
    const { groupId, members } = await createGroup({ members: 2, name: 'Live board circle', offsetMinutes: 3 * 24 * 60 });
    const [reader, writer] = members as [string, string];
    const tokens = { [reader]: await ready(groupId, reader, 'Reader'), [writer]: await ready(groupId, writer, 'Writer') };
    const el = await fixture<CareSupportRoom>(
      html`<care-support-room endpoint=${endpoint} token=${tokens[reader]!} group=${groupId} locale="en-US" poll-interval="0"></care-support-room>`,
    );
    await waitUntil(() => text(el).includes('No messages yet.'), 'empty board', { timeout: 10000 });
    await waitUntil(() => (el as unknown as { board: { live: { live: boolean } } | null }).board?.live.live, 'live updates on', { timeout: 10000 });
    await trpc('groups.post', { groupId, body: 'Two weeks today. Thank you all.' }, tokens[writer]!);
    await waitUntil(() => text(el).includes('Two weeks today. Thank you all.'), 'the post appears', { timeout: 4000 });
    expect(text(el)).to.include('Writer');
  });
});
