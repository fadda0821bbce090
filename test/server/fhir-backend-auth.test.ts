import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { assertValidFhir } from './fhir-validate.js';
import { CLINIC_B, dataOf, errorOf, freshDatabase, mintToken, startServer, typedMutate, typedQuery, type TestServer } from './helpers.js';

/**
 * SMART Backend Services over HTTP (issue 15): a clinic admin registers a backend client with its
 * public keys; the client signs an assertion (RS384/ES384) and gets a 5-minute access token for the
 * granted system scopes; refused assertions are 401 invalid_client and count as failed sign-ins.
 */

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface KeyPair {
  alg: 'RS384' | 'ES384';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

async function keyPair(alg: 'RS384' | 'ES384', kid = `${alg}-${randomUUID()}`): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, privateJwk: { ...(await exportJWK(privateKey)), kid, alg } };
}

interface AssertionOptions {
  clientId: string;
  key: KeyPair;
  aud: string;
  exp?: number;
  jti?: string;
  iss?: string;
  sub?: string;
}

const nowS = () => Math.floor(Date.now() / 1000);

function signAssertion(o: AssertionOptions): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: o.key.alg, kid: o.key.kid, typ: 'JWT' })
    .setIssuer(o.iss ?? o.clientId)
    .setSubject(o.sub ?? o.clientId)
    .setAudience(o.aud)
    .setExpirationTime(o.exp ?? nowS() + 240)
    .setJti(o.jti ?? randomUUID())
    .sign(o.key.privateKey);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface TokenAnswer {
  status: number;
  contentType: string;
  cacheControl: string;
  body: { access_token?: string; token_type?: string; expires_in?: number; scope?: string; error?: string; error_description?: string };
}

async function requestToken(server: TestServer, fields: Record<string, string>): Promise<TokenAnswer> {
  const res = await fetch(`${server.baseUrl}/fhir/R4/auth/token`, { method: 'POST', body: new URLSearchParams(fields) });
  const text = await res.text();
  let body: TokenAnswer['body'];
  try {
    body = JSON.parse(text) as TokenAnswer['body'];
  } catch {
    body = { error: `not JSON: ${text.slice(0, 200)}` };
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', cacheControl: res.headers.get('cache-control') ?? '', body };
}

const tokenUrl = (server: TestServer) => `${server.baseUrl}/fhir/R4/auth/token`;

const tokenFields = (clientAssertion: string, scope = 'system/*.rs') => ({
  grant_type: 'client_credentials',
  client_assertion_type: ASSERTION_TYPE,
  client_assertion: clientAssertion,
  scope,
});

async function register(server: TestServer, admin: string, input: { name: string; jwks?: { keys: JWK[] }; jwksUrl?: string; scopes: string }): Promise<string> {
  const { clientId } = dataOf(await typedMutate(server.baseUrl, 'fhirClients.register', input as never, admin));
  return clientId;
}

const searchWith = (server: TestServer, token: string) =>
  fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse`, { headers: { authorization: `Bearer ${token}` } });

describe('SMART Backend Services sign-in', () => {
  let server: TestServer;
  let admin: string;
  let rsa: KeyPair;
  let ec: KeyPair;
  let clientId: string;

  before(async () => {
    server = await startServer({ config: { authFailureLimit: 1_000_000 } });
    admin = await mintToken({ sub: 'fhir-admin', role: 'admin' });
    rsa = await keyPair('RS384');
    ec = await keyPair('ES384');
    clientId = await register(server, admin, { name: 'County registry', jwks: { keys: [rsa.publicJwk, ec.publicJwk] }, scopes: 'system/*.rs' });
  });
  after(() => server.stop());

  it('only the clinic admin registers clients; a private key is refused naming the field', async () => {
    const clinician = await mintToken({ sub: 'fhir-clinician', role: 'clinician' });
    const byClinician = await typedMutate(server.baseUrl, 'fhirClients.register', { name: 'EHR', jwks: { keys: [rsa.publicJwk as never] }, scopes: 'system/*.rs' }, clinician);
    assert.equal(byClinician.status, 403);
    assert.equal((await typedQuery(server.baseUrl, 'fhirClients.list', undefined, clinician)).status, 403);

    const withPrivate = await typedMutate(server.baseUrl, 'fhirClients.register', { name: 'EHR', jwks: { keys: [rsa.privateJwk as never] }, scopes: 'system/*.rs' }, admin);
    assert.equal(withPrivate.status, 400);
    const paths = errorOf(withPrivate).data.fieldErrors?.map((f) => f.path) ?? [];
    assert.ok(paths.includes('jwks.keys.0.d'), JSON.stringify(paths));

    const symmetric = await typedMutate(server.baseUrl, 'fhirClients.register', { name: 'EHR', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, scopes: 'system/*.rs' }, admin);
    assert.equal(symmetric.status, 400);
    assert.ok(errorOf(symmetric).data.fieldErrors?.some((f) => f.path === 'jwks.keys.0.k'), symmetric.text);

    const wrongCurve = await keyPair('ES384');
    const p256 = await generateKeyPair('ES256', { extractable: true });
    const badCurve = await typedMutate(server.baseUrl, 'fhirClients.register', { name: 'EHR', jwks: { keys: [{ ...(await exportJWK(p256.publicKey)), kid: wrongCurve.kid }] as never }, scopes: 'system/*.rs' }, admin);
    assert.equal(badCurve.status, 400, 'a P-256 key cannot sign ES384');

    const badScope = await typedMutate(server.baseUrl, 'fhirClients.register', { name: 'EHR', jwks: { keys: [rsa.publicJwk as never] }, scopes: 'user/*.rs' }, admin);
    assert.equal(badScope.status, 400);
    assert.deepEqual(errorOf(badScope).data.fieldErrors?.map((f) => f.path), ['scopes']);

    const listed = dataOf(await typedQuery(server.baseUrl, 'fhirClients.list', undefined, admin));
    assert.deepEqual(
      listed.map((c) => [c.clientId, c.name, c.scopes, c.keyIds, c.disabledAt]),
      [[clientId, 'County registry', 'system/*.rs', [rsa.kid, ec.kid], null]],
    );
    assert.ok(!JSON.stringify(listed).includes(rsa.publicJwk.n!), 'the list names keys, it does not echo them');
    const otherClinic = await mintToken({ sub: 'b-admin', role: 'admin', clinic: CLINIC_B });
    assert.deepEqual(dataOf(await typedQuery(server.baseUrl, 'fhirClients.list', undefined, otherClinic)), []);
    assert.equal((await typedMutate(server.baseUrl, 'fhirClients.disable', { clientId }, otherClinic)).status, 404, "another clinic cannot disable this clinic's client");
  });

  for (const alg of ['RS384', 'ES384'] as const) {
    it(`a good ${alg} assertion gets a 5-minute bearer token with the granted scope, which reads FHIR`, async () => {
      const key = alg === 'RS384' ? rsa : ec;
      const answer = await requestToken(server, tokenFields(await signAssertion({ clientId, key, aud: tokenUrl(server) }), 'system/Observation.rs system/QuestionnaireResponse.rs system/Patient.c'));
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.match(answer.contentType, /^application\/json/);
      assert.equal(answer.cacheControl, 'no-store');
      assert.equal(answer.body.token_type, 'bearer');
      assert.equal(answer.body.expires_in, 300);
      assert.equal(answer.body.scope, 'system/Observation.rs system/QuestionnaireResponse.rs');
      const res = await searchWith(server, answer.body.access_token!);
      assert.notEqual(res.status, 401, await res.text());
    });
  }

  it('grants the intersection with what the client may have, and refuses a request for none of it', async () => {
    const narrow = await register(server, admin, { name: 'Lab', jwks: { keys: [ec.publicJwk] }, scopes: 'system/Observation.r system/Patient.rs' });
    const wide = await requestToken(server, tokenFields(await signAssertion({ clientId: narrow, key: ec, aud: tokenUrl(server) }), 'system/*.rs'));
    assert.equal(wide.status, 200, JSON.stringify(wide.body));
    assert.equal(wide.body.scope, 'system/Observation.r system/Patient.rs');
    for (const scope of ['system/*.c', 'openid', 'patient/*.rs', 'system/Questionnaire.rs']) {
      const none = await requestToken(server, tokenFields(await signAssertion({ clientId: narrow, key: ec, aud: tokenUrl(server) }), scope));
      assert.equal(none.status, 400, scope);
      assert.equal(none.body.error, 'invalid_scope', scope);
    }
  });

  it('a tampered, expired or revoked access token is 401 with an OperationOutcome', async () => {
    const good = (await requestToken(server, tokenFields(await signAssertion({ clientId, key: rsa, aud: tokenUrl(server) })))).body.access_token!;
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = [
      `${header}.${b64({ ...claims, clinic: CLINIC_B })}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
      `${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`,
    ];
    const { secret } = await server.db.selectFrom('fhir_server_keys').select('secret').executeTakeFirstOrThrow();
    const expired = await new SignJWT({ clinic: claims.clinic, scope: claims.scope })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(claims.iss as string)
      .setAudience(claims.aud as string)
      .setSubject(clientId)
      .setIssuedAt(nowS() - 400)
      .setExpirationTime(nowS() - 100)
      .sign(Buffer.from(secret, 'base64url'));
    const otherHost = await new SignJWT({ clinic: claims.clinic, scope: claims.scope })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer('https://elsewhere.example/fhir/R4/auth/token')
      .setAudience('https://elsewhere.example/fhir/R4')
      .setSubject(clientId)
      .setExpirationTime('5m')
      .sign(Buffer.from(secret, 'base64url'));
    for (const token of [...tampered, expired, otherHost]) {
      const res = await searchWith(server, token);
      assert.equal(res.status, 401, token);
      const outcome = assertValidFhir((await res.json()) as fhir4.OperationOutcome);
      assert.equal(outcome.issue[0]?.code, 'login');
    }
    assert.notEqual((await searchWith(server, good)).status, 401, 'the untouched token still works');
  });

  it('a disabled client is refused at once, its access tokens too', async () => {
    const key = await keyPair('ES384');
    const doomed = await register(server, admin, { name: 'Old EHR', jwks: { keys: [key.publicJwk] }, scopes: 'system/*.rs' });
    const token = (await requestToken(server, tokenFields(await signAssertion({ clientId: doomed, key, aud: tokenUrl(server) })))).body.access_token!;
    assert.notEqual((await searchWith(server, token)).status, 401);
    const disabled = dataOf(await typedMutate(server.baseUrl, 'fhirClients.disable', { clientId: doomed }, admin));
    assert.equal(disabled.clientId, doomed);
    assert.equal((await searchWith(server, token)).status, 401);
    const again = await requestToken(server, tokenFields(await signAssertion({ clientId: doomed, key, aud: tokenUrl(server) })));
    assert.equal(again.status, 401);
    assert.equal(again.body.error, 'invalid_client');
  });

  it('verifies against a registered JWKS URL, honouring kid', async () => {
    const first = await keyPair('ES384');
    const second = await keyPair('RS384');
    const jwksServer: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [first.publicJwk, second.publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = jwksServer.address() as AddressInfo;
      const remote = await register(server, admin, { name: 'Registry (URL)', jwksUrl: `http://127.0.0.1:${port}/jwks.json`, scopes: 'system/*.rs' });
      for (const key of [first, second]) {
        const answer = await requestToken(server, tokenFields(await signAssertion({ clientId: remote, key, aud: tokenUrl(server) })));
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
      }
      const stranger = await keyPair('ES384', first.kid);
      const refused = await requestToken(server, tokenFields(await signAssertion({ clientId: remote, key: stranger, aud: tokenUrl(server) })));
      assert.equal(refused.status, 401);
    } finally {
      jwksServer.closeAllConnections();
      await new Promise((resolve) => jwksServer.close(resolve));
    }
  });

  it('publishes its SMART configuration', async () => {
    const res = await fetch(`${server.baseUrl}/fhir/R4/.well-known/smart-configuration`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), {
      token_endpoint: tokenUrl(server),
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['client_credentials'],
      scopes_supported: ['system/*.rs', 'system/*.r', 'system/*.s'],
      capabilities: ['client-confidential-asymmetric', 'permission-v2'],
    });
  });
});

describe('refused assertions', () => {
  const REFUSALS = 11;
  let server: TestServer;
  let admin: string;
  let key: KeyPair;
  let clientId: string;

  before(async () => {
    // Exactly as many failed sign-ins as the refusals below: one more request and the address is locked out.
    server = await startServer({ config: { authFailureLimit: REFUSALS } });
    admin = await mintToken({ sub: 'fhir-admin', role: 'admin' });
    key = await keyPair('RS384');
    clientId = await register(server, admin, { name: 'EHR', jwks: { keys: [key.publicJwk] }, scopes: 'system/*.rs' });
  });
  after(() => server.stop());

  it('answers bad requests with 400 naming what is wrong (not failed sign-ins)', async () => {
    const missing = await requestToken(server, { grant_type: 'client_credentials' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    for (const field of ['client_assertion_type', 'client_assertion', 'scope']) assert.match(missing.body.error_description!, new RegExp(field));
    const json = await fetch(`${server.baseUrl}/fhir/R4/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as { error: string }).error, 'invalid_request');
    const assertion = await signAssertion({ clientId, key, aud: tokenUrl(server) });
    const grant = await requestToken(server, { ...tokenFields(assertion), grant_type: 'authorization_code' });
    assert.equal(grant.status, 400);
    assert.equal(grant.body.error, 'unsupported_grant_type');
    const type = await requestToken(server, { ...tokenFields(assertion), client_assertion_type: 'urn:something:else' });
    assert.equal(type.status, 400);
    assert.equal(type.body.error, 'invalid_request');
    const twice = await fetch(`${server.baseUrl}/fhir/R4/auth/token`, { method: 'POST', body: `${new URLSearchParams(tokenFields(assertion)).toString()}&scope=system%2F*.r` });
    assert.equal(twice.status, 400);
    assert.match(((await twice.json()) as { error_description: string }).error_description, /scope/);
  });

  it('refuses each bad assertion with 401 invalid_client, counting each as a failed sign-in until the address is locked out', async () => {
    const aud = tokenUrl(server);
    const stranger = await keyPair('RS384', key.kid);
    const disabledKey = await keyPair('ES384');
    const disabledId = await register(server, admin, { name: 'Gone', jwks: { keys: [disabledKey.publicJwk] }, scopes: 'system/*.rs' });
    dataOf(await typedMutate(server.baseUrl, 'fhirClients.disable', { clientId: disabledId }, admin));
    const reused = randomUUID();
    const first = await requestToken(server, tokenFields(await signAssertion({ clientId, key, aud, jti: reused })));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(aud)
      .setExpirationTime('4m')
      .setJti(randomUUID())
      .sign(new TextEncoder().encode('a shared secret nobody registered'));
    const none = `${b64({ alg: 'none' })}.${b64({ iss: clientId, sub: clientId, aud, exp: nowS() + 240, jti: randomUUID() })}.`;

    const cases: [string, string][] = [
      ['wrong key', await signAssertion({ clientId, key: stranger, aud })],
      ['reused jti', await signAssertion({ clientId, key, aud, jti: reused })],
      ['exp in the past', await signAssertion({ clientId, key, aud, exp: nowS() - 120 })],
      ['exp more than 5 minutes ahead', await signAssertion({ clientId, key, aud, exp: nowS() + 15 * 60 })],
      ['wrong aud', await signAssertion({ clientId, key, aud: 'https://other.example/fhir/R4/auth/token' })],
      ['alg HS256', hs256],
      ['alg none', none],
      ['unknown client', await signAssertion({ clientId: 'fc_nobody', key, aud })],
      ['disabled client', await signAssertion({ clientId: disabledId, key: disabledKey, aud })],
      ['sub is not the client', await signAssertion({ clientId, key, aud, sub: 'someone-else' })],
      ['not a JWT', 'not-a-jwt'],
    ];
    assert.equal(cases.length, REFUSALS);
    for (const [name, assertion] of cases) {
      const answer = await requestToken(server, tokenFields(assertion));
      assert.equal(answer.status, 401, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error, 'invalid_client', name);
      assert.match(answer.contentType, /^application\/json/, name);
    }
    const locked = await requestToken(server, tokenFields(await signAssertion({ clientId, key, aud })));
    assert.equal(locked.status, 429, 'every refusal counted: a good assertion from this address is now turned away');
  });
});

describe('several servers on one database', () => {
  it('a token one server issued is honoured by another (the signing secret is in the database)', async () => {
    const database = await freshDatabase();
    const first = await startServer({ database });
    const second = await startServer({ database: { url: database.url, drop: async () => undefined } });
    try {
      const admin = await mintToken({ sub: 'fhir-admin', role: 'admin' });
      const key = await keyPair('ES384');
      const clientId = await register(first, admin, { name: 'EHR', jwks: { keys: [key.publicJwk] }, scopes: 'system/*.rs' });
      const token = (await requestToken(first, tokenFields(await signAssertion({ clientId, key, aud: tokenUrl(first) })))).body.access_token!;
      // Behind one proxy both servers see the same Host: send the first server's to the second.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${second.baseUrl}/fhir/R4/QuestionnaireResponse`,
          { headers: { host: new URL(first.baseUrl).host, authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.notEqual(status, 401);
      assert.equal((await searchWith(second, token)).status, 401, 'a token for another FHIR base (host) is refused');
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});

describe('a system client reads what its scopes allow, audited in its own name', () => {
  let server: TestServer;
  let registry: string;
  let token: string;

  before(async () => {
    server = await startServer();
    const admin = await mintToken({ sub: 'fhir-admin', role: 'admin' });
    const key = await keyPair('ES384');
    registry = await register(server, admin, { name: 'Outcomes registry', jwks: { keys: [key.publicJwk] }, scopes: 'system/QuestionnaireResponse.rs system/Patient.rs' });
    const answer = await requestToken(server, tokenFields(await signAssertion({ clientId: registry, key, aud: tokenUrl(server) }), 'system/QuestionnaireResponse.rs system/Patient.rs'));
    assert.equal(answer.status, 200);
    token = answer.body.access_token!;
    const client = await mintToken({ sub: 'registry-person', role: 'client' });
    const submitted = await typedMutate(
      server.baseUrl,
      'checkIn.submit',
      { clientRequestId: randomUUID(), templateId: 'daily', submittedAt: new Date().toISOString(), answers: { mood: 6, craving: 2, sleepHours: 7, medication: 'yes', used: 'no' } },
      client,
    );
    assert.equal(submitted.status, 200);
  });
  after(() => server.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.baseUrl}/fhir/R4/${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  it('searches responses, and the audit row names the system client', async () => {
    const res = await get('QuestionnaireResponse?patient=registry-person');
    assert.equal(res.status, 200);
    const bundle = assertValidFhir((await res.json()) as fhir4.Bundle);
    assert.equal(bundle.entry?.length, 1);
    const audit = await server.db.selectFrom('audit_log').selectAll().where('actor_id', '=', `system:${registry}`).execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.subject_id]),
      [['fhir.QuestionnaireResponse.search', 'registry-person']],
    );
  });

  it('is refused (403) what its scopes leave out: Observations, writing, and an export that includes them', async () => {
    assert.equal((await get('Observation?patient=registry-person')).status, 403);
    const post = await fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body: '{}' });
    assert.equal(post.status, 403);
    assert.equal((await get('Group/clinic-a/$export', { prefer: 'respond-async' })).status, 403);
    const allowed = await get('Group/clinic-a/$export?_type=Patient,QuestionnaireResponse', { prefer: 'respond-async' });
    assert.equal(allowed.status, 202);
  });
});
