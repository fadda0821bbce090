import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  countRows,
  dailyAnswers,
  mintToken,
  minutesAgo,
  newRequestId,
  rawRequest,
  startServer,
  type TestServer,
  type TrpcResponse,
} from './helpers.js';

let server: TestServer;
let client: string;
let clinician: string;

before(async () => {
  server = await startServer();
  client = await mintToken({ sub: 'robust-client', role: 'client' });
  clinician = await mintToken({ sub: 'robust-clinician', role: 'clinician' });
});
after(async () => {
  await server.stop();
});

function assertClientError(res: TrpcResponse, what: string, expectedStatus?: number) {
  assert.ok(res.status < 500, `${what}: status ${res.status} ${res.text.slice(0, 300)}`);
  assert.ok(res.status >= 400, `${what}: expected an error status, got ${res.status}`);
  if (expectedStatus !== undefined) assert.equal(res.status, expectedStatus, `${what}: ${res.text.slice(0, 300)}`);
  assert.match(res.contentType, /application\/json/, `${what}: content-type ${res.contentType}`);
  assert.notEqual(res.body, undefined, `${what}: body is JSON: ${res.text.slice(0, 300)}`);
}

const post = (path: string, body: string, token: string | undefined = client) =>
  rawRequest(server.baseUrl, `/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

const get = (pathAndQuery: string, token: string | undefined = client) =>
  rawRequest(server.baseUrl, `/trpc/${pathAndQuery}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

const validBody = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(1), ...overrides });

describe('malformed and hostile bodies never cause a 500', () => {
  const bodies: [string, string][] = [
    ['a truncated JSON body', '{"clientRequestId":'],
    ['a body that is not JSON', 'mood=5&craving=2'],
    ['an empty body', ''],
    ['a JSON null body', 'null'],
    ['a JSON array body', '[1,2,3]'],
    ['a JSON string body', '"hello"'],
    ['a JSON number body', '42'],
    ['answers as a string', validBody({ answers: 'mood=5' })],
    ['answers as an array', validBody({ answers: [5, 2] })],
    ['answers as null', validBody({ answers: null })],
    ['answer values of the wrong type', validBody({ answers: { ...dailyAnswers(), mood: '5', used: true, warningSigns: 'stress' } })],
    ['templateId as a number', validBody({ templateId: 7 })],
    ['submittedAt as a number', validBody({ submittedAt: Date.now() })],
    ['clientRequestId as an object', validBody({ clientRequestId: { id: 1 } })],
    ['a __proto__ key at the top level', `{"__proto__":{"polluted":true},${validBody().slice(1)}`],
    ['a __proto__ key inside answers that hides a required answer', `{"clientRequestId":"${newRequestId()}","templateId":"daily","submittedAt":"${minutesAgo(1)}","answers":{"__proto__":{"mood":5},"craving":2,"sleepHours":7,"medication":"yes","used":"no"}}`],
    ['a constructor key inside answers', validBody({ answers: { ...dailyAnswers(), constructor: { prototype: { polluted: true } } } })],
    ['a constructor key at the top level', validBody({ constructor: { prototype: { polluted: true } } })],
    ['a prototype key inside answers', validBody({ answers: { ...dailyAnswers(), prototype: 1 } })],
    ['deeply nested arrays', validBody({ answers: JSON.parse('['.repeat(500) + ']'.repeat(500)) })],
    ['a huge number', validBody({ answers: dailyAnswers({ mood: 1e308 * 10 }) })],
  ];
  for (const [what, body] of bodies) {
    test(`checkIn.submit with ${what} answers with a JSON 4xx and stores nothing`, async () => {
      const before = await countRows(server.db, 'check_ins');
      const res = await post('checkIn.submit', body);
      assertClientError(res, what);
      assert.equal(await countRows(server.db, 'check_ins'), before);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
    });
  }

  test('a __proto__ key next to valid answers never reaches storage or Object.prototype', async () => {
    const clientRequestId = newRequestId();
    const body = `{"clientRequestId":"${clientRequestId}","templateId":"daily","submittedAt":"${minutesAgo(1)}","answers":{"__proto__":{"polluted":true,"craving":9},"mood":5,"craving":2,"sleepHours":7,"medication":"yes","used":"no"}}`;
    const res = await post('checkIn.submit', body);
    assert.ok(res.status < 500, res.text);
    assert.notEqual(res.body, undefined, res.text);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
    const stored = await server.db.selectFrom('check_ins').selectAll().where('client_request_id', '=', clientRequestId).executeTakeFirst();
    if (res.status === 200) {
      // Accepted: the hostile key is dropped and the real answers are what was scored and stored.
      assert.ok(stored);
      assert.deepEqual(JSON.parse(stored.answers), { mood: 5, craving: 2, sleepHours: 7, medication: 'yes', used: 'no' });
      assert.equal(stored.risk_level, 'none');
    } else {
      assert.equal(stored, undefined);
    }
  });

  test('a body longer than maxBodyBytes is a 413 with a JSON body', async () => {
    const huge = validBody({ answers: { ...dailyAnswers(), note: 'x'.repeat(server.config.maxBodyBytes + 1024) } });
    assert.ok(huge.length > server.config.maxBodyBytes);
    const before = await countRows(server.db, 'check_ins');
    assertClientError(await post('checkIn.submit', huge), 'huge body', 413);
    assert.equal(await countRows(server.db, 'check_ins'), before);
  });

  test('a huge string inside the body limit is a 400 naming the field', async () => {
    const res = await post('checkIn.submit', validBody({ answers: dailyAnswers({ note: 'y'.repeat(20_000) }) }));
    assertClientError(res, 'long note', 400);
    assert.ok(res.body?.error?.data.fieldErrors?.some((f) => f.path === 'answers.note'));
  });

  test('a body of an unsupported content type is a 415 whose body is JSON', async () => {
    const res = await rawRequest(server.baseUrl, '/trpc/checkIn.submit', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${client}` },
      body: 'not json at all',
    });
    // tRPC answers this one with a JSON body but labels it with the request's content type.
    assert.equal(res.status, 415, res.text);
    assert.equal(res.body?.error?.data.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('hostile bodies without a token are a 401, not a 500', async () => {
    assertClientError(await post('checkIn.submit', '{"__proto__":', undefined), 'truncated without token');
    assertClientError(await post('checkIn.submit', 'null', undefined), 'null without token');
  });
});

describe('unknown paths, wrong methods and bad query input never cause a 500', () => {
  const gets: [string, string, number?][] = [
    ['an unknown procedure', 'nope', 404],
    ['an unknown nested procedure', 'checkIn.nope', 404],
    ['a router instead of a procedure', 'checkIn', 404],
    ['the __proto__ path', '__proto__', 404],
    ['the constructor path', 'constructor', 404],
    ['the toString path', 'toString', 404],
    ['a nested __proto__ path', 'checkIn.__proto__', 404],
    ['a nested constructor path', 'alerts.constructor', 404],
    ['an empty path', '', 404],
    ['GET on the checkIn.submit mutation', 'checkIn.submit'],
    ['GET on the alerts.acknowledge mutation', 'alerts.acknowledge'],
    ['query input that is not JSON', 'checkIn.list?input=%7Bnot-json'],
    ['query input that is an array', `checkIn.list?input=${encodeURIComponent('[1,2]')}`],
    ['query input that is a string', `checkIn.list?input=${encodeURIComponent('"x"')}`],
    ['a limit of the wrong type', `checkIn.list?input=${encodeURIComponent('{"limit":"10"}')}`],
    ['a limit of 0', `checkIn.list?input=${encodeURIComponent('{"limit":0}')}`],
    ['a clientId that is an object', `checkIn.list?input=${encodeURIComponent('{"clientId":{"$ne":null}}')}`],
    ['a query input with __proto__', `checkIn.list?input=${encodeURIComponent('{"__proto__":{"limit":1}}')}`],
  ];
  for (const [what, path, status] of gets) {
    test(`GET /trpc/ with ${what} answers with a JSON 4xx`, async () => {
      assertClientError(await get(path), what, status);
    });
  }

  test('a batch GET with broken input answers with JSON whose every item is a client error', async () => {
    const res = await get(`checkIn.list,alerts.list?batch=1&input=${encodeURIComponent('{"0":null,"1":[')}`);
    assert.ok(res.status < 500, res.text);
    const items = res.body as unknown as { error?: { data: { httpStatus: number } } }[];
    assert.ok(Array.isArray(items), res.text);
    for (const item of items) assert.ok(item.error && item.error.data.httpStatus >= 400 && item.error.data.httpStatus < 500, res.text);
  });

  test('POST on a query answers with a JSON 4xx', async () => {
    assertClientError(await post('checkIn.list', '{}'), 'POST on a query');
  });

  test('POST to an unknown procedure is a 404 with a JSON body', async () => {
    assertClientError(await post('checkIn.nope', validBody()), 'POST unknown', 404);
  });

  test('a batch mutation with mixed garbage answers with JSON and no 500s', async () => {
    const res = await post('checkIn.submit,checkIn.submit?batch=1', JSON.stringify({ 0: null, 1: 'x' }));
    assert.ok(res.status < 500, res.text);
    assert.notEqual(res.body, undefined);
    assert.ok(!res.text.includes('INTERNAL_SERVER_ERROR'), res.text);
  });

  test('a path outside /trpc is a JSON 404', async () => {
    assertClientError(await rawRequest(server.baseUrl, '/nothing-here'), 'unknown page', 404);
  });
});

describe('bad cursors never cause a 500', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const checkInCursors: [string, string][] = [
    ['a random string', 'zzz'],
    ['characters outside base64', '!!!@@@###'],
    ['base64 of plain text', b64('hello')],
    ['base64 of null', b64('null')],
    ['base64 of an object', b64('{"at":"x"}')],
    ['base64 of an array of numbers', b64('[1,2]')],
    ['base64 of a one-element array', b64('["2026-01-01T00:00:00.000Z"]')],
    ['base64 of a number', b64('7')],
    ['a 200-character string', 'a'.repeat(200)],
  ];
  for (const [what, cursor] of checkInCursors) {
    test(`checkIn.list with a cursor that is ${what} is a JSON 400`, async () => {
      for (const token of [client, clinician]) {
        const res = await get(`checkIn.list?input=${encodeURIComponent(JSON.stringify({ cursor }))}`, token);
        assertClientError(res, `checkIn cursor ${what}`, 400);
        assert.ok(res.body?.error?.message.includes('cursor'), res.text);
      }
    });
  }

  test('checkIn.list with a cursor longer than allowed is a 400 naming cursor', async () => {
    const res = await get(`checkIn.list?input=${encodeURIComponent(JSON.stringify({ cursor: 'a'.repeat(201) }))}`);
    assertClientError(res, 'long cursor', 400);
    assert.ok(res.body?.error?.data.fieldErrors?.some((f) => f.path === 'cursor'));
  });

  test('checkIn.list with a well-formed cursor of strange values answers without a 500', async () => {
    const res = await get(`checkIn.list?input=${encodeURIComponent(JSON.stringify({ cursor: b64('["\'; drop table check_ins; --","x"]') }))}`);
    assert.ok(res.status < 500, res.text);
    assert.equal(res.status, 200);
    assert.ok(await countRows(server.db, 'check_ins') >= 0, 'the table is still there');
  });

  for (const cursor of ['abc', '-1', '1.5', '1e400', 'NaN', 'Infinity']) {
    test(`alerts.list with the cursor ${JSON.stringify(cursor)} is a JSON 400`, async () => {
      const res = await get(`alerts.list?input=${encodeURIComponent(JSON.stringify({ cursor }))}`, clinician);
      assertClientError(res, `alerts cursor ${cursor}`, 400);
    });
  }
});
