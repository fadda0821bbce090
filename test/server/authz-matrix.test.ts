import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLINIC_ID, DEMO_SECRET } from '../../server/demo/seed.js';
import { CLINIC_B, mintToken, mutate, query, rawRequest, SECRET_A, startServer, type TestServer, type TrpcBody } from './helpers.js';
import { clinicIds, procedures, type ProcedureInfo } from './router-probe.js';

/**
 * Generated from the router: every procedure × every kind of caller, with the expected outcome
 * read from the procedure's role metadata. Then a leak probe: callers from another clinic, and
 * another client of the same clinic, try every procedure with the demo clinic's real ids and must
 * never get any of that data back.
 */
let server: TestServer;
before(async () => {
  server = await startServer({ config: { demo: true, authFailureLimit: 1_000_000 } });
});
after(async () => {
  await server?.stop();
});

type Caller = { name: string; role?: string; token?: () => Promise<string | undefined>; expect: 'unauthorized' | 'by-role' };

const demo = (sub: string, role: string) => () => mintToken({ sub, role, clinic: DEMO_CLINIC_ID, secret: DEMO_SECRET });
const CALLERS: Caller[] = [
  { name: 'no token', token: async () => undefined, expect: 'unauthorized' },
  { name: 'expired token', token: () => mintToken({ sub: 'client-1', role: 'client', clinic: DEMO_CLINIC_ID, secret: DEMO_SECRET, exp: Math.floor(Date.now() / 1000) - 60 }), expect: 'unauthorized' },
  { name: 'wrong signature', token: () => mintToken({ sub: 'client-1', role: 'client', clinic: DEMO_CLINIC_ID, secret: SECRET_A }), expect: 'unauthorized' },
  { name: 'unknown clinic', token: () => mintToken({ sub: 'client-1', role: 'client', clinic: 'no-such-clinic', secret: SECRET_A }), expect: 'unauthorized' },
  { name: 'client', role: 'client', token: demo('client-1', 'client'), expect: 'by-role' },
  { name: 'other client', role: 'client', token: demo('client-2', 'client'), expect: 'by-role' },
  { name: 'clinician', role: 'clinician', token: demo('clinician-1', 'clinician'), expect: 'by-role' },
  { name: 'admin', role: 'admin', token: demo('admin-1', 'admin'), expect: 'by-role' },
  { name: 'other clinic clinician', role: 'clinician', token: () => mintToken({ sub: 'b-clinician', role: 'clinician', clinic: CLINIC_B }), expect: 'by-role' },
  { name: 'other clinic client', role: 'client', token: () => mintToken({ sub: 'b-client', role: 'client', clinic: CLINIC_B }), expect: 'by-role' },
  { name: 'other clinic admin', role: 'admin', token: () => mintToken({ sub: 'b-admin', role: 'admin', clinic: CLINIC_B }), expect: 'by-role' },
];

function call(p: ProcedureInfo, input: unknown, token: string | undefined) {
  return p.type === 'query' ? query(server.baseUrl, p.path, input, token) : mutate(server.baseUrl, p.path, input, token);
}

describe('authorization matrix generated from the router', () => {
  const all = procedures().filter((p) => p.type !== 'subscription');

  it('has role metadata on every procedure but health', () => {
    for (const p of all) if (p.path !== 'health') assert.ok(p.roles, `${p.path} declares its roles`);
  });

  for (const caller of CALLERS) {
    it(`answers every procedure correctly for: ${caller.name}`, async () => {
      const token = await caller.token?.();
      for (const p of all) {
        const res = await call(p, {}, token);
        assert.ok(res.status < 500, `${p.path} as ${caller.name}: ${res.status} ${res.text.slice(0, 200)}`);
        if (!p.roles) {
          assert.notEqual(res.status, 401, `${p.path} is public`);
          continue;
        }
        if (caller.expect === 'unauthorized') {
          assert.equal(res.status, 401, `${p.path} as ${caller.name}`);
        } else if (p.roles.includes(caller.role!)) {
          assert.ok(![401, 403].includes(res.status), `${p.path} allows ${caller.role}: got ${res.status} ${res.text.slice(0, 200)}`);
        } else {
          assert.equal(res.status, 403, `${p.path} forbids ${caller.role}: ${res.text.slice(0, 200)}`);
        }
      }
    });
  }
});

/** Where a UUID-shaped string starts (overlapping ones too): a lookahead, so every start position is tried. */
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_STARTS = /(?=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))/gi;

/**
 * The markers `text` contains: the same as testing `text.includes(marker)` for each of them when every
 * marker is UUID-shaped, in one pass over the text instead of one per marker (thousands of markers,
 * tens of thousands of answers).
 */
function markersIn(text: string, markers: Set<string>): string[] {
  return [...text.matchAll(UUID_STARTS)].map((match) => match[1]!).filter((candidate) => markers.has(candidate));
}

describe('leak probe', () => {
  /**
   * Calls `p` once per input, in tRPC batches (`/trpc/p,p,…?batch=1`, as many calls per request as the
   * server allows): every call still runs the procedure with its own input and gets its own
   * answer, without an HTTP round trip each. Resolves with each call's HTTP status and answer as text.
   */
  async function callEach(p: ProcedureInfo, inputs: unknown[], token: string): Promise<{ status: number; text: string }[]> {
    const answers: { status: number; text: string }[] = [];
    const size = server.config.maxBatchSize;
    for (let start = 0; start < inputs.length; start += size) {
      const batch = inputs.slice(start, start + size);
      const paths = batch.map(() => p.path).join(',');
      // An undefined input is left out of the batch's input object, as a lone call would send none.
      const input = JSON.stringify(Object.fromEntries(batch.flatMap((value, i) => (value === undefined ? [] : [[i, value]]))));
      const headers = { authorization: `Bearer ${token}` };
      const res =
        p.type === 'query'
          ? await rawRequest(server.baseUrl, `/trpc/${paths}?batch=1&input=${encodeURIComponent(input)}`, { headers })
          : await rawRequest(server.baseUrl, `/trpc/${paths}?batch=1`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: input });
      assert.ok(res.status < 500, `${p.path} batch: ${res.status} ${res.text.slice(0, 200)}`);
      const items = res.body as unknown as TrpcBody<unknown>[];
      assert.ok(Array.isArray(items) && items.length === batch.length, `${p.path} batch: one answer per call, got ${res.text.slice(0, 200)}`);
      for (const item of items) answers.push({ status: item.error ? item.error.data.httpStatus : 200, text: JSON.stringify(item) });
    }
    return answers;
  }

  async function probe(callerToken: string, callerRole: string, markers: Set<string>, names: string[]) {
    for (const marker of markers) assert.match(marker, UUID_SHAPE, 'markersIn finds every marker that is a UUID');
    const candidates = [...markers].slice(0, 400);
    for (const p of procedures()) {
      if (p.type === 'subscription' || (p.roles && !p.roles.includes(callerRole))) continue;
      const idKeys = p.inputKeys.filter((k) => /id$/i.test(k));
      const inputs: unknown[] = [undefined, {}];
      for (const key of idKeys) for (const id of candidates) inputs.push({ [key]: id });
      const answers = await callEach(p, inputs, callerToken);
      inputs.forEach((input, i) => {
        const res = answers[i]!;
        assert.ok(res.status < 500, `${p.path} ${JSON.stringify(input)}: ${res.status}`);
        const sent = new Set(Object.values((input ?? {}) as Record<string, string>));
        for (const marker of markersIn(res.text, markers)) {
          assert.ok(sent.has(marker), `${p.path} ${JSON.stringify(input)} leaked ${marker}`);
        }
        for (const name of names) assert.ok(!res.text.includes(name), `${p.path} ${JSON.stringify(input)} leaked the name ${name}`);
      });
    }
  }

  it("another clinic's clinician and client never see the demo clinic's records", async () => {
    const markers = await clinicIds(server.db, DEMO_CLINIC_ID);
    assert.ok(markers.size > 50, 'the demo clinic has data to protect');
    const names = ['Alex R.', 'Sam T.', 'Jordan P.', 'Dr. Rivera'];
    await probe(await mintToken({ sub: 'b-clinician', role: 'clinician', clinic: CLINIC_B }), 'clinician', markers, names);
    await probe(await mintToken({ sub: 'b-client', role: 'client', clinic: CLINIC_B }), 'client', markers, names);
  });

  it("another clinic's admin never sees the demo clinic's records or settings", async () => {
    const markers = await clinicIds(server.db, DEMO_CLINIC_ID);
    const clinic = await server.db.selectFrom('clinics').select('name').where('id', '=', DEMO_CLINIC_ID).executeTakeFirstOrThrow();
    await probe(await mintToken({ sub: 'b-admin', role: 'admin', clinic: CLINIC_B }), 'admin', markers, ['Alex R.', 'Sam T.', 'Jordan P.', 'Dr. Rivera', clinic.name]);
  });

  it("a client never sees another client's private records", async () => {
    const markers = await clinicIds(server.db, DEMO_CLINIC_ID, 'client-1');
    assert.ok(markers.size > 10, 'client-1 has private data');
    await probe(await mintToken({ sub: 'client-2', role: 'client', clinic: DEMO_CLINIC_ID, secret: DEMO_SECRET }), 'client', markers, []);
  });
});
