import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { mintToken, startServer, type TestServer } from './helpers.js';

const dist = new URL('../../dist/widgets/', import.meta.url).pathname;

/** GET with the raw bytes as sent (no automatic decompression). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('widget files are served as a CDN would serve a library', () => {
  let server: TestServer;
  before(async () => {
    assert.ok(existsSync(join(dist, 'check-in.js.br')), 'dist/widgets is built with precompressed copies: run `npm run build:widgets`');
    server = await startServer();
  });
  after(() => server.stop());

  test('brotli when the browser takes it, then gzip, then the plain file; correct length and Vary', async () => {
    // The largest shipped file (the shared core chunk): entry files are a few import lines.
    const largest = readdirSync(join(dist, 'chunks'))
      .filter((name) => name.endsWith('.js'))
      .map((name) => ({ name, size: readFileSync(join(dist, 'chunks', name)).length }))
      .sort((a, b) => b.size - a.size)[0]!.name;
    const plain = readFileSync(join(dist, 'chunks', largest));
    const url = `${server.baseUrl}/widgets/chunks/${largest}`;
    const br = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers.vary), /Accept-Encoding/i);
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.ok(br.body.length < plain.length / 3, `brotli ${br.body.length} B for ${plain.length} B`);
    assert.deepEqual(brotliDecompressSync(br.body), plain);

    const gz = await rawGet(url, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), plain);

    const identity = await rawGet(url);
    assert.equal(identity.headers['content-encoding'], undefined);
    assert.deepEqual(identity.body, plain);
  });

  test('hashed chunks are immutable for a year; entry files live five minutes and revalidate by ETag', async () => {
    const chunk = readdirSync(join(dist, 'chunks')).find((name) => name.endsWith('.js'))!;
    const hashed = await rawGet(`${server.baseUrl}/widgets/chunks/${chunk}`, { 'accept-encoding': 'br' });
    assert.equal(hashed.status, 200);
    assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');

    const entry = await rawGet(`${server.baseUrl}/widgets/autoloader.js`, { 'accept-encoding': 'br' });
    assert.equal(entry.headers['cache-control'], 'public, max-age=300');
    assert.ok(entry.headers.etag, 'an ETag');
    const again = await rawGet(`${server.baseUrl}/widgets/autoloader.js`, { 'accept-encoding': 'br', 'if-none-match': String(entry.headers.etag) });
    assert.equal(again.status, 304);
  });

  test('a missing widget file is a 404, not a 500', async () => {
    assert.equal((await rawGet(`${server.baseUrl}/widgets/no-such-widget.js`, { 'accept-encoding': 'br' })).status, 404);
    assert.equal((await rawGet(`${server.baseUrl}/widgets/%E0%A4%A.js`)).status, 400);
  });
});

test('every shipped widget file is minified: no module comments, no indented code lines', () => {
  const shipped = [...readdirSync(dist).filter((n) => n.endsWith('.js')), ...readdirSync(join(dist, 'chunks')).filter((n) => n.endsWith('.js')).map((n) => `chunks/${n}`)];
  assert.ok(shipped.length > 10);
  for (const name of shipped) {
    const text = readFileSync(join(dist, name), 'utf8');
    // An unminified library build marks every module with `// node_modules/…` and indents its code with tabs.
    assert.doesNotMatch(text, /^\/\/ (node_modules|components|server|locales)\//m, `${name} keeps module comments`);
    assert.doesNotMatch(text, /^\t(var|let|const|function|return) /m, `${name} keeps indented code`);
  }
});

describe('API answers are compressed, live streams never', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('an answer is compressed as the client asks, an event stream is plain and live', async () => {
    const token = await mintToken({ sub: 'compressed', role: 'client' });
    const auth = { authorization: `Bearer ${token}` };
    const large = await rawGet(`${server.baseUrl}/trpc/checkIn.templates`, { ...auth, 'accept-encoding': 'gzip' });
    assert.equal(large.status, 200);
    assert.equal(large.headers['content-encoding'], 'gzip');
    assert.ok(JSON.parse(gunzipSync(large.body).toString()).result.data.templates.length > 0);
    assert.equal(large.headers['cache-control'], 'no-store');

    const plain = await rawGet(`${server.baseUrl}/trpc/checkIn.templates`, auth);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(large.body.length < plain.body.length / 3, `gzip ${large.body.length} B for ${plain.body.length} B`);

    const staff = await mintToken({ sub: 'compressed-staff', role: 'clinician' });
    const stream = await new Promise<{ headers: IncomingHttpHeaders; first: string }>((resolve, reject) => {
      const req = get(`${server.baseUrl}/trpc/alerts.onChange`, { headers: { authorization: `Bearer ${staff}`, accept: 'text/event-stream', 'accept-encoding': 'gzip, br' } }, (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve({ headers: res.headers, first: chunk.toString() });
          req.destroy();
        });
      });
      req.on('error', reject);
    });
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.equal(stream.headers['content-encoding'], undefined);
    assert.match(stream.first, /event|data|:/);
  });
});
