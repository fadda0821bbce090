import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorOf, freshDatabase, mintToken, query, startServer } from './helpers.js';

const POSTGRES = process.env.CARE_TEST_POSTGRES_URL;

describe('limits', () => {
  it('one token gets 429 past its per-minute budget while another token still works', async () => {
    const server = await startServer({ config: { rateLimitPerToken: 5 } });
    try {
      const busy = await mintToken({ sub: 'busy', role: 'client' });
      for (let i = 0; i < 5; i++) assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, busy)).status, 200);
      const limited = await query(server.baseUrl, 'checkIn.templates', undefined, busy);
      assert.equal(limited.status, 429);
      assert.equal(errorOf(limited).data.code, 'TOO_MANY_REQUESTS');
      assert.ok(limited.text.includes('this sign-in'));
      const calm = await mintToken({ sub: 'calm', role: 'client' });
      assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, calm)).status, 200);
    } finally {
      await server.stop();
    }
  });

  it('one address gets 429 past its per-minute budget whatever token it uses', async () => {
    const server = await startServer({ config: { rateLimitPerIp: 6 } });
    try {
      for (let i = 0; i < 6; i++) {
        const token = await mintToken({ sub: `person-${i}`, role: 'client' });
        assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, token)).status, 200);
      }
      const res = await query(server.baseUrl, 'health');
      assert.equal(res.status, 429);
      assert.equal(errorOf(res).data.httpStatus, 429);
    } finally {
      await server.stop();
    }
  });

  it('repeated failed sign-ins from one address are cut off before guessing can go far', async () => {
    const server = await startServer({ config: { authFailureLimit: 3 } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, 'not-a-token')).status, 401);
      assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, 'not-a-token')).status, 429);
    } finally {
      await server.stop();
    }
  });

  it('page sizes are capped and the error names the field', async () => {
    const server = await startServer();
    try {
      const clinician = await mintToken({ sub: 'pager', role: 'clinician' });
      for (const path of ['checkIn.list', 'alerts.list', 'roster.list']) {
        const res = await query(server.baseUrl, path, { limit: 100_000 }, clinician);
        assert.equal(res.status, 400, path);
        assert.deepEqual(errorOf(res).data.fieldErrors?.map((f) => f.path), ['limit'], path);
      }
    } finally {
      await server.stop();
    }
  });
});

describe('limits across several servers on one PostgreSQL database', { skip: POSTGRES ? false : 'CARE_TEST_POSTGRES_URL is not set: on SQLite one process counts in memory (see scripts/with-postgres.sh)' }, () => {
  it('the per-address budget holds for the sum of what every server answered', async () => {
    const database = await freshDatabase();
    const first = await startServer({ database, config: { rateLimitPerIp: 6 } });
    const second = await startServer({ database: { url: database.url, drop: async () => undefined }, config: { rateLimitPerIp: 6 } });
    try {
      for (let i = 0; i < 6; i++) assert.equal((await query((i % 2 === 0 ? first : second).baseUrl, 'health')).status, 200, `call ${i + 1} of 6`);
      for (const server of [first, second]) {
        const res = await query(server.baseUrl, 'health');
        assert.equal(res.status, 429, 'the seventh call, on either server');
        assert.equal(errorOf(res).data.httpStatus, 429);
      }
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it('calls sent all at once through both servers: exactly the per-address budget is answered', async () => {
    const database = await freshDatabase();
    const first = await startServer({ database, config: { rateLimitPerIp: 10 } });
    const second = await startServer({ database: { url: database.url, drop: async () => undefined }, config: { rateLimitPerIp: 10 } });
    try {
      // Counted together (several requests per statement, on each server), each call still gets its own place in the total.
      const health = await Promise.all(Array.from({ length: 30 }, (_, i) => query((i % 2 === 0 ? first : second).baseUrl, 'health')));
      assert.equal(health.filter((r) => r.status === 200).length, 10, 'the per-address budget, across both servers');
      assert.equal(health.filter((r) => r.status === 429).length, 20);
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it('one token sent all at once through both servers gets exactly its budget', async () => {
    const database = await freshDatabase();
    const first = await startServer({ database, config: { rateLimitPerToken: 4 } });
    const second = await startServer({ database: { url: database.url, drop: async () => undefined }, config: { rateLimitPerToken: 4 } });
    try {
      const busy = await mintToken({ sub: 'busy-everywhere', role: 'client' });
      const calls = await Promise.all(Array.from({ length: 16 }, (_, i) => query((i % 2 === 0 ? first : second).baseUrl, 'checkIn.templates', undefined, busy)));
      assert.equal(calls.filter((r) => r.status === 200).length, 4);
      assert.equal(calls.filter((r) => r.status === 429).length, 12);
      assert.ok(calls.filter((r) => r.status === 429).every((r) => r.text.includes('this sign-in')));
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it('failed sign-ins through one server lock the address out of the other', async () => {
    const database = await freshDatabase();
    const first = await startServer({ database, config: { authFailureLimit: 3 } });
    const second = await startServer({ database: { url: database.url, drop: async () => undefined }, config: { authFailureLimit: 3 } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await query((i % 2 === 0 ? first : second).baseUrl, 'checkIn.templates', undefined, 'not-a-token')).status, 401);
      const token = await mintToken({ sub: 'locked-out', role: 'client' });
      assert.equal((await query(second.baseUrl, 'checkIn.templates', undefined, token)).status, 429);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
