import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { dailyAnswers, dataOf, mintToken, mutate, newRequestId, startServer } from './helpers.js';

const postgres = process.env.CARE_TEST_POSTGRES_URL;

test(
  'PostgreSQL ending the server’s idle connections (a restart, a failover, an administrator) does not stop the server: the next request works',
  { skip: postgres ? false : 'PostgreSQL only: set CARE_TEST_POSTGRES_URL' },
  async () => {
    const server = await startServer();
    const admin = new pg.Client({ connectionString: server.config.databaseUrl });
    await admin.connect();
    try {
      const submit = async (note: string) =>
        mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers({ note }), submittedAt: new Date().toISOString() }, await mintToken({ sub: 'conn-loss', role: 'client' }));
      // Several at once, so the pool holds several connections, idle once they are answered.
      const first = await Promise.all(['a', 'b', 'c', 'd'].map(submit));
      for (const res of first) dataOf(res);
      const ended = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      assert.ok((ended.rowCount ?? 0) >= 1, 'the server had idle connections to end');
      // The ended connections' errors arrive now; unheard, one of them would end this process.
      await new Promise((resolve) => setTimeout(resolve, 500));
      dataOf(await submit('after the database ended our connections'));
    } finally {
      await admin.end();
      await server.stop();
    }
  },
);
