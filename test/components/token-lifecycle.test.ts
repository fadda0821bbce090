import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import '../../components/index.js';
import type { CareProvider } from '../../components/core/provider.js';
import { careServer, newClientId, shadow, tokenFor } from './helpers.js';

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

const SIGNED_OUT = 'Please sign in to your clinic portal again';
const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A token that lives `ttl` seconds. */
async function shortToken(sub: string, role: 'client' | 'clinician' = 'client', ttl = 1): Promise<string> {
  const res = await fetch(`${endpoint}/demo/token?sub=${encodeURIComponent(sub)}&role=${role}&ttl=${ttl}`);
  return ((await res.json()) as { token: string }).token;
}

/** A token that is already expired when it is used. */
async function expiredToken(sub: string, role: 'client' | 'clinician' = 'client'): Promise<string> {
  const token = await shortToken(sub, role, 1);
  await sleep(2100);
  return token;
}

/** Signature broken, `exp` far away: the server answers 401 although the token does not look expiring. */
function forgedToken(token: string, fill = 'A'): string {
  const [header, payload] = token.split('.');
  return `${header}.${payload}.${fill.repeat(43)}`;
}

/** Counts the widgets' calls that reach the care server's tRPC endpoint and the tokens they carried (not the provider's own read of the clinic's languages). */
function spyOnTrpc() {
  const calls: { path: string; token: string | null; status: number }[] = [];
  const realFetch = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const response = await realFetch(input, init);
    if (url.startsWith(`${endpoint}/trpc/`) && !url.startsWith(`${endpoint}/trpc/clinic.settings`)) {
      const auth = new Headers(init?.headers).get('authorization');
      calls.push({ path: new URL(url).pathname.slice('/trpc/'.length), token: auth?.replace(/^Bearer /, '') ?? null, status: response.status });
    }
    return response;
  };
  return { calls, restore: () => (window.fetch = realFetch) };
}

describe('token lifecycle', () => {
  it('a provider refreshes a token that expires within a minute before calling, and every widget uses the fresh one', async () => {
    const sub = newClientId();
    const fresh = await tokenFor(sub);
    let asked = 0;
    const provider = await fixture<CareProvider>(html`
      <care-provider endpoint=${endpoint} locale="en-US" .token=${await shortToken(sub, 'client', 30)}
        .tokenProvider=${async () => {
          asked += 1;
          return fresh;
        }}>
        <care-progress time-zone="UTC" theme="light"></care-progress>
      </care-provider>
    `);
    const refreshed = oneEvent(provider, 'care-token-refreshed');
    const progress = provider.querySelector('care-progress')!;
    await waitUntil(() => text(progress).includes('0 daily check-ins') || text(progress).includes('check-in'), 'progress loads', { timeout: 10000 });
    const event = (await refreshed) as CustomEvent<{ expiresIn: number }>;
    expect(event.detail.expiresIn).to.be.greaterThan(3600);
    expect(asked).to.equal(1);
    expect(provider.token).to.equal(fresh);
    expect(text(progress)).not.to.include(SIGNED_OUT);
  });

  it('a call refused with 401 asks tokenProvider once and is retried once with the fresh token', async () => {
    const sub = newClientId();
    const good = await tokenFor(sub);
    const forged = forgedToken(good);
    let asked = 0;
    const spy = spyOnTrpc();
    try {
      const provider = await fixture<CareProvider>(html`
        <care-provider endpoint=${endpoint} locale="en-US" .token=${forged}
          .tokenProvider=${async () => {
            asked += 1;
            return good;
          }}>
          <care-safety-plan theme="light"></care-safety-plan>
        </care-provider>
      `);
      const plan = provider.querySelector('care-safety-plan')!;
      await waitUntil(() => spy.calls.some((c) => c.status === 200), 'the retried call succeeds', { timeout: 10000 });
      await sleep(300);
      const first = spy.calls.findIndex((c) => c.token === forged);
      expect(first, 'the forged token was sent first').to.equal(0);
      expect(spy.calls[0]!.status).to.equal(401);
      expect(spy.calls[1]!.token).to.equal(good);
      expect(spy.calls[1]!.status).to.equal(200);
      expect(spy.calls.filter((c) => c.token === forged), 'the forged token is sent only once').to.have.length(1);
      expect(asked).to.equal(1);
      expect(provider.token).to.equal(good);
      expect(text(plan)).not.to.include(SIGNED_OUT);
    } finally {
      spy.restore();
    }
  });

  it('retries only once: a tokenProvider that hands out another refused token leads to "please sign in again" and care-token-expired', async () => {
    const sub = newClientId();
    const good = await tokenFor(sub);
    let asked = 0;
    const spy = spyOnTrpc();
    try {
      const provider = await fixture<CareProvider>(html`
        <care-provider endpoint=${endpoint} locale="en-US" .token=${forgedToken(good)}
          .tokenProvider=${async () => {
            asked += 1;
            return forgedToken(good, 'B');
          }}>
        </care-provider>
      `);
      const expired = oneEvent(provider, 'care-token-expired');
      provider.innerHTML = '<care-progress time-zone="UTC" theme="light"></care-progress>';
      const progress = provider.querySelector('care-progress')!;
      const event = (await expired) as CustomEvent<{ reason: string }>;
      expect(event.detail.reason).to.equal('refresh-failed');
      await waitUntil(() => text(progress).includes(SIGNED_OUT), `signed-out state in: ${text(progress)}`, { timeout: 10000 });
      await sleep(2500);
      // The call, its one retry with the provider's token, then the widget's reload for the new token,
      // which is not retried again: no loop however long the page stays open.
      expect(spy.calls.map((c) => [c.token === forgedToken(good) ? 'first' : c.token === forgedToken(good, 'B') ? 'fresh' : 'other', c.status])).to.deep.equal([
        ['first', 401],
        ['fresh', 401],
        ['fresh', 401],
      ]);
      expect(asked).to.equal(1);
    } finally {
      spy.restore();
    }
  });

  it('a tokenProvider that rejects leaves the person a clear "please sign in again"', async () => {
    const provider = await fixture<CareProvider>(html`
      <care-provider endpoint=${endpoint} locale="en-US" .token=${await expiredToken(newClientId())}
        .tokenProvider=${() => Promise.reject(new Error('portal session ended'))}></care-provider>
    `);
    const expired = oneEvent(provider, 'care-token-expired');
    provider.innerHTML = '<care-safety-plan theme="light"></care-safety-plan>';
    expect(((await expired) as CustomEvent<{ reason: string }>).detail.reason).to.equal('refresh-failed');
    const plan = provider.querySelector('care-safety-plan')!;
    await waitUntil(() => text(plan).includes(SIGNED_OUT), `signed-out state in: ${text(plan)}`, { timeout: 10000 });
  });

  it('a widget used alone refreshes through its own tokenProvider', async () => {
    const sub = newClientId();
    const fresh = await tokenFor(sub);
    const el = await fixture<HTMLElement & { token?: string }>(html`
      <care-progress endpoint=${endpoint} locale="en-US" time-zone="UTC" theme="light" .token=${await expiredToken(sub)}
        .tokenProvider=${async () => fresh}></care-progress>
    `);
    await waitUntil(() => el.token === fresh, 'the widget took the fresh token', { timeout: 10000 });
    await sleep(500);
    expect(text(el)).not.to.include(SIGNED_OUT);
  });

  describe('an expired token without a tokenProvider shows "please sign in again" in every widget, in English and Spanish', () => {
    const widgets: { tag: string; role: 'client' | 'clinician'; attrs?: string; wanted?: string }[] = [
      { tag: 'care-check-in', role: 'client' },
      { tag: 'care-progress', role: 'client', attrs: 'time-zone="UTC"' },
      { tag: 'care-safety-plan', role: 'client' },
      { tag: 'care-crisis-button', role: 'client' },
      { tag: 'care-support-room', role: 'client', attrs: 'group="demo-group-recovery"' },
      { tag: 'care-alerts', role: 'clinician' },
      { tag: 'care-roster', role: 'clinician' },
      { tag: 'care-outcomes', role: 'clinician' },
    ];
    let clientToken: string;
    let clinicianToken: string;
    before(async function () {
      this.timeout(10000);
      [clientToken, clinicianToken] = await Promise.all([expiredToken(newClientId()), expiredToken('test-clinician', 'clinician')]);
    });

    for (const widget of widgets) {
      it(`<${widget.tag}>`, async () => {
        const provider = await fixture<CareProvider>(html`<care-provider endpoint=${endpoint} locale="en-US"></care-provider>`);
        provider.token = widget.role === 'client' ? clientToken : clinicianToken;
        const expired = oneEvent(provider, 'care-token-expired');
        provider.innerHTML = `<${widget.tag} theme="light" ${widget.attrs ?? ''}></${widget.tag}>`;
        const el = provider.firstElementChild!;
        expect(((await expired) as CustomEvent<{ reason: string }>).detail.reason).to.equal('no-token-provider');
        await waitUntil(() => text(el).includes(SIGNED_OUT), `signed-out state in: ${text(el).slice(0, 400)}`, { timeout: 10000 });

        provider.locale = 'es';
        await waitUntil(() => text(el).toLowerCase().includes('vuelva a iniciar sesión'), `Spanish signed-out state in: ${text(el).slice(0, 400)}`, { timeout: 10000 });
      });
    }
  });
});
