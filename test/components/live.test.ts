import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { CareAlerts } from '../../components/clinician/alerts.js';
import type { CareSupportRoom } from '../../components/support-room/support-room.js';
import { careServer, newClientId, shadow, tokenFor } from './helpers.js';

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
    const trpc = async <T>(path: string, input: unknown, token: string): Promise<T> => {
      const res = await fetch(`${endpoint}/trpc/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { result?: { data: T } };
      if (!res.ok || !body.result) throw new Error(`${path}: ${res.status}`);
      return body.result.data;
    };
    const id = () => crypto.randomUUID().slice(0, 8);
    const moderator = `mod-${id()}`;
    const [reader, writer] = [`member-${id()}`, `member-${id()}`];
    const soon = new Date(Date.now() + 3 * 86_400_000);
    const group = await trpc<{ id: string }>(
      'groups.create',
      {
        name: 'Live board circle', topic: 'recovery', description: '', language: 'en', timeZone: 'UTC', capacity: 10,
        schedule: [{ day: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][soon.getUTCDay()], start: '12:00', minutes: 60 }],
        guidelines: { en: 'Be kind.' }, moderatorIds: [moderator],
      },
      await tokenFor(`admin-${id()}`, 'admin'),
    );
    const modToken = await tokenFor(moderator, 'clinician');
    const tokens: Record<string, string> = {};
    for (const [sub, alias] of [[reader, 'Reader'], [writer, 'Writer']] as const) {
      await trpc('groups.addMember', { groupId: group.id, userId: sub }, modToken);
      tokens[sub] = await tokenFor(sub);
      await trpc('groups.setAlias', { groupId: group.id, mode: 'alias', alias }, tokens[sub]!);
      await trpc('groups.acceptGuidelines', { groupId: group.id, version: 1 }, tokens[sub]!);
    }
    const el = await fixture<CareSupportRoom>(
      html`<care-support-room endpoint=${endpoint} token=${tokens[reader]!} group=${group.id} locale="en-US" poll-interval="0"></care-support-room>`,
    );
    await waitUntil(() => text(el).includes('No messages yet.'), 'empty board', { timeout: 10000 });
    await waitUntil(() => (el as unknown as { board: { live: { live: boolean } } | null }).board?.live.live, 'live updates on', { timeout: 10000 });
    await trpc('groups.post', { groupId: group.id, body: 'Two weeks today. Thank you all.' }, tokens[writer]!);
    await waitUntil(() => text(el).includes('Two weeks today. Thank you all.'), 'the post appears', { timeout: 4000 });
    expect(text(el)).to.include('Writer');
  });
});
