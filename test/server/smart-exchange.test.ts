import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { exchangeIdToken, ExchangeRefusal } from '../../server/smart/exchange.js';
import { addIssuer, DEFAULT_SCOPES, setIssuer } from '../../server/smart/registration.js';
import { CLINIC_A, CLINIC_B, dailyAnswers, dataOf, minutesAgo, mutate, newRequestId, query, startServer, type TestServer } from './helpers.js';
import { authorize, startSampleEhr, type EhrAccount, type SampleEhr } from './smart-fixtures.js';

const REDIRECT = 'http://127.0.0.1:1/smart/ready';
const CLIENT_A = 'care-widgets-clinic-a';
const CLIENT_B = 'care-widgets-clinic-b';
/** Registered at the EHR but not with us: its id_tokens have the wrong audience. */
const OTHER_APP = 'some-other-app';

interface ExchangeAnswer {
  status: number;
  body: { token?: string; expiresAt?: string; clinic?: string; role?: string; person?: string; patient?: string; widgets?: string[]; reason?: string; message?: string };
}

describe('POST /smart/exchange against a real OpenID provider', () => {
  let server: TestServer;
  let ehr: SampleEhr;

  const exchange = async (body: unknown, raw?: string): Promise<ExchangeAnswer> => {
    const res = await fetch(`${server.baseUrl}/smart/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    return { status: res.status, body: (await res.json()) as ExchangeAnswer['body'] };
  };
  /** A genuine id_token from the EHR: authorization request with PKCE → interactions → code → token endpoint. */
  const launch = async (account: EhrAccount, options: { clientId?: string; nonce?: string } = {}) => {
    const result = await authorize(ehr, { clientId: options.clientId ?? CLIENT_A, redirectUri: REDIRECT, scope: DEFAULT_SCOPES, launch: ehr.launchFor(account), nonce: options.nonce });
    assert.ok(result.tokens, `authorization failed: ${result.error} ${result.errorDescription}`);
    return result.tokens;
  };
  const links = async () => (await server.db.selectFrom('smart_patient_links').selectAll().execute()).length;

  before(async () => {
    server = await startServer();
    ehr = await startSampleEhr({
      clients: [CLIENT_A, CLIENT_B, OTHER_APP].map((clientId) => ({ clientId, redirectUris: [REDIRECT] })),
    });
    await addIssuer(server.db, CLINIC_A, ehr.fhirBase, { clientId: CLIENT_A, openidIssuer: ehr.issuer });
    await addIssuer(server.db, CLINIC_B, ehr.fhirBase, { clientId: CLIENT_B, openidIssuer: ehr.issuer });
  });
  after(async () => {
    await ehr.stop();
    await server.stop();
  });

  it("links a patient on first launch and answers a care token that works on the API for that person; the next launch finds the same person", async () => {
    const tokens = await launch({ id: 'alex', fhirUser: 'Patient/123' });
    assert.equal(tokens.patient, '123');
    const first = await exchange({ iss: ehr.fhirBase, id_token: tokens.id_token });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.clinic, CLINIC_A);
    assert.equal(first.body.role, 'client');
    assert.equal(first.body.patient, '123');
    assert.match(first.body.person ?? '', /^smart-/);
    assert.deepEqual(first.body.widgets, ['check-in', 'progress', 'safety-plan', 'crisis-button']);
    const claims = decodeJwt(first.body.token!);
    assert.equal(claims.sub, first.body.person);
    assert.ok(claims.exp! <= decodeJwt(tokens.id_token).exp!, 'the care token outlives the id_token');

    assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, first.body.token)).status, 200);
    const submitted = await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(), submittedAt: minutesAgo(1) }, first.body.token);
    assert.equal(submitted.status, 200, submitted.text);
    assert.equal((await query(server.baseUrl, 'progress.summary', {}, first.body.token)).status, 200);

    const again = await exchange({ iss: `${ehr.fhirBase}/`, id_token: (await launch({ id: 'alex-again', fhirUser: 'Patient/123' })).id_token });
    assert.equal(again.status, 200);
    assert.equal(again.body.person, first.body.person);
    const list = dataOf(await query<{ items: { id: string }[] }>(server.baseUrl, 'checkIn.list', {}, again.body.token));
    assert.equal(list.items.length, 1, "the second launch sees the first launch's check-in");

    const someoneElse = await exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'sam', fhirUser: 'Patient/124', absoluteFhirUser: true })).id_token });
    assert.equal(someoneElse.status, 200);
    assert.notEqual(someoneElse.body.person, first.body.person);
  });

  it("signs a launch into the clinic whose client id the id_token names, capped at the clinic's longest token lifetime", async () => {
    await server.db.updateTable('clinics').set({ max_token_lifetime_s: 600 }).where('id', '=', CLINIC_B).execute();
    const answer = await exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'b-alex', fhirUser: 'Patient/123' }, { clientId: CLIENT_B })).id_token });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.clinic, CLINIC_B);
    const claims = decodeJwt(answer.body.token!);
    assert.ok(claims.exp! - claims.iat! <= 600);
    assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, answer.body.token)).status, 200);
  });

  it('checks the nonce when the page sent one: the id_token must carry that one', async () => {
    const tokens = await launch({ id: 'nonce', fhirUser: 'Patient/123' }, { nonce: 'nonce-one' });
    const before = await links();
    const wrong = await exchange({ iss: ehr.fhirBase, id_token: tokens.id_token, nonce: 'nonce-two' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.reason, 'nonce_mismatch');
    // An id_token without a nonce when the page sent one: refused too (an id_token from another authorization).
    const without = await launch({ id: 'nonce-less', fhirUser: 'Patient/124' });
    assert.equal((await exchange({ iss: ehr.fhirBase, id_token: without.id_token, nonce: 'nonce-one' })).body.reason, 'nonce_mismatch');
    assert.equal(await links(), before);
    assert.equal((await exchange({ iss: ehr.fhirBase, id_token: tokens.id_token, nonce: 'nonce-one' })).status, 200);
  });

  it('refuses each bad launch with a reason and a message, storing nothing', async () => {
    const good = await launch({ id: 'refusals', fhirUser: 'Patient/777' });
    // A token with the right claims signed by a key the EHR never published.
    const { privateKey } = await generateKeyPair('RS256');
    const header = JSON.parse(Buffer.from(good.id_token.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const forged = await new SignJWT({ ...decodeJwt(good.id_token) }).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(privateKey);
    const unknownKey = await new SignJWT({ ...decodeJwt(good.id_token) }).setProtectedHeader({ alg: 'RS256', kid: 'no-such-key' }).sign(privateKey);
    const signature = good.id_token.split('.')[2]!;
    const tamperedClaims = Buffer.from(JSON.stringify({ ...decodeJwt(good.id_token), fhirUser: 'Patient/999' })).toString('base64url');

    const cases: [string, unknown, number, string][] = [
      ['unregistered EHR', { iss: 'https://unknown-ehr.example/fhir', id_token: good.id_token }, 404, 'unknown_iss'],
      ['EHR URL that is no URL', { iss: 'not a url', id_token: good.id_token }, 404, 'unknown_iss'],
      ['id_token issued to another app', { iss: ehr.fhirBase, id_token: (await launch({ id: 'other', fhirUser: 'Patient/777' }, { clientId: OTHER_APP })).id_token }, 401, 'wrong_aud'],
      ['signed by another key under the same kid', { iss: ehr.fhirBase, id_token: forged }, 401, 'bad_signature'],
      ['signed by an unknown key', { iss: ehr.fhirBase, id_token: unknownKey }, 401, 'bad_signature'],
      ['claims changed after signing', { iss: ehr.fhirBase, id_token: `${good.id_token.split('.')[0]}.${tamperedClaims}.${signature}` }, 401, 'bad_signature'],
      ['not a JWT', { iss: ehr.fhirBase, id_token: 'abc' }, 401, 'malformed_id_token'],
      ['no fhirUser', { iss: ehr.fhirBase, id_token: (await launch({ id: 'nobody' })).id_token }, 400, 'missing_fhir_user'],
      ['a practitioner on a patient launch', { iss: ehr.fhirBase, id_token: (await launch({ id: 'dr', fhirUser: 'Practitioner/55', patient: '777' })).id_token }, 403, 'patient_only_launch'],
      ['fhirUser of another server', { iss: ehr.fhirBase, id_token: (await launch({ id: 'far', fhirUser: 'https://elsewhere.example/fhir/Patient/777' })).id_token }, 400, 'foreign_fhir_user'],
      ['no id_token', { iss: ehr.fhirBase }, 400, 'invalid_request'],
    ];
    const before = await links();
    for (const [name, body, status, reason] of cases) {
      const answer = await exchange(body);
      assert.equal(answer.status, status, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.reason, reason, name);
      assert.ok((answer.body.message ?? '').length > 10, `${name} explains itself`);
      assert.equal(answer.body.token, undefined);
    }
    const malformed = await exchange(undefined, '{"iss":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.reason, 'invalid_request');
    assert.equal(await links(), before, 'no refused launch linked anyone');
  });

  it('refuses an id_token from a registered EHR whose registration names another OpenID issuer', async () => {
    const other = await startSampleEhr({ clients: [{ clientId: CLIENT_A, redirectUris: [REDIRECT] }] });
    try {
      // The second EHR's tokens, presented as the first EHR's: another issuer, keys the first never published.
      const tokens = (await authorize(other, { clientId: CLIENT_A, redirectUri: REDIRECT, scope: DEFAULT_SCOPES, launch: other.launchFor({ id: 'x', fhirUser: 'Patient/123' }) })).tokens!;
      const answer = await exchange({ iss: ehr.fhirBase, id_token: tokens.id_token });
      assert.equal(answer.status, 401);
      assert.ok(['wrong_issuer', 'bad_signature'].includes(answer.body.reason!), answer.body.reason);
    } finally {
      await other.stop();
    }
  });

  it('refuses an id_token past its exp (the clock moved, no waiting) and a disabled registration', async () => {
    const tokens = await launch({ id: 'late', fhirUser: 'Patient/888' });
    const exp = decodeJwt(tokens.id_token).exp!;
    await assert.rejects(
      exchangeIdToken(server.db, { iss: ehr.fhirBase, id_token: tokens.id_token }, { now: exp * 1000 + 1000 }),
      (error: unknown) => error instanceof ExchangeRefusal && error.reason === 'expired' && error.status === 401,
    );
    const justBefore = await exchangeIdToken(server.db, { iss: ehr.fhirBase, id_token: tokens.id_token }, { now: exp * 1000 - 5000 });
    assert.ok(decodeJwt(justBefore.token).exp! <= exp);

    await setIssuer(server.db, CLINIC_A, ehr.fhirBase, { enabled: false });
    try {
      const answer = await exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'off', fhirUser: 'Patient/123' })).id_token });
      assert.equal(answer.status, 401, 'clinic B still registers this EHR: the token names clinic A, now off');
      assert.equal(answer.body.reason, 'wrong_aud');
    } finally {
      await setIssuer(server.db, CLINIC_A, ehr.fhirBase, { enabled: true });
    }
  });

  it('a care token minted for one clinic is refused when presented with claims changed', async () => {
    const answer = await exchange({ iss: ehr.fhirBase, id_token: (await launch({ id: 'forge', fhirUser: 'Patient/123' })).id_token });
    const [header, , signature] = answer.body.token!.split('.');
    const changed = Buffer.from(JSON.stringify({ ...decodeJwt(answer.body.token!), clinic: CLINIC_B })).toString('base64url');
    const res = await query(server.baseUrl, 'checkIn.templates', undefined, `${header}.${changed}.${signature}`);
    assert.equal(res.status, 401);
  });
});
