import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertValidFhir } from './fhir-validate.js';
import { startServer } from './helpers.js';

describe('FHIR plumbing', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('answers a person-data read without a token with 401 and an OperationOutcome', async () => {
    const res = await fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+json/);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    const body = assertValidFhir((await res.json()) as fhir4.OperationOutcome);
    assert.equal(body.issue[0]?.code, 'login');
  });

  it('answers a refused token with 401, and malformed JSON with 400, never 500', async () => {
    const refused = await fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse`, { headers: { authorization: 'Bearer not.a.token' } });
    assert.equal(refused.status, 401);
    assertValidFhir((await refused.json()) as fhir4.OperationOutcome);
    const malformed = await fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: '{"resourceType":',
    });
    assert.equal(malformed.status, 400);
    assert.equal(assertValidFhir((await malformed.json()) as fhir4.OperationOutcome).issue[0]?.code, 'invalid');
  });
});
