import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addIssuer, DEFAULT_SCOPES, enabledIssuersAt, linkPatient, listIssuers, RegistrationError, setIssuer } from '../../server/smart/registration.js';
import { CLINIC_A, CLINIC_B, startServer, type TestServer } from './helpers.js';
import { care } from './smart-fixtures.js';

const EHR = 'https://ehr.example.org/fhir';

describe('SMART issuer registration', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('registers an EHR with the documented default scopes and widgets, normalising the URL', async () => {
    const added = await addIssuer(server.db, CLINIC_A, `${EHR}/`, { clientId: 'care-widgets' });
    assert.equal(added.iss, EHR);
    assert.equal(added.openidIssuer, EHR);
    assert.equal(added.scopes, DEFAULT_SCOPES);
    assert.deepEqual(added.launchWidgets, ['check-in', 'progress', 'safety-plan', 'crisis-button']);
    assert.equal(added.writeBack, false);
    assert.deepEqual((await enabledIssuersAt(server.db, EHR)).map((i) => i.clinicId), [CLINIC_A]);
  });

  it('refuses bad values and a client id another clinic holds at the same EHR, storing nothing', async () => {
    const before = await listIssuers(server.db);
    // One at a time: a refusal made before its assert.rejects is waiting would be an unhandled rejection.
    const refusals: [() => Promise<unknown>, string][] = [
      [() => addIssuer(server.db, CLINIC_B, 'http://ehr.example.org/fhir', { clientId: 'x' }), 'iss'],
      [() => addIssuer(server.db, CLINIC_B, 'https://other.example/fhir?x=1', { clientId: 'x' }), 'iss'],
      [() => addIssuer(server.db, CLINIC_B, 'https://other.example/fhir', { clientId: 'x', scopes: 'launch patient/Patient.rs' }), 'scopes'],
      [() => addIssuer(server.db, CLINIC_B, 'https://other.example/fhir', { clientId: 'x', launchWidgets: ['alerts'] }), 'launchWidgets'],
      [() => addIssuer(server.db, CLINIC_B, EHR, { clientId: 'care-widgets' }), 'clientId'],
      [() => addIssuer(server.db, 'no-such-clinic', 'https://other.example/fhir', { clientId: 'x' }), 'clinic'],
      [() => addIssuer(server.db, CLINIC_A, EHR, { clientId: 'again' }), 'iss'],
    ];
    for (const [attempt, field] of refusals) {
      await assert.rejects(attempt(), (error: unknown) => error instanceof RegistrationError && error.field === field);
    }
    assert.deepEqual(await listIssuers(server.db), before);
  });

  it('turns a registration off and on: a disabled EHR is not found for launches', async () => {
    await setIssuer(server.db, CLINIC_A, EHR, { enabled: false, writeBack: true });
    assert.deepEqual(await enabledIssuersAt(server.db, EHR), []);
    const on = await setIssuer(server.db, CLINIC_A, EHR, { enabled: true });
    assert.equal(on.writeBack, true);
    assert.equal((await enabledIssuersAt(server.db, EHR)).length, 1);
  });

  it('links an EHR patient to one person per clinic and EHR', async () => {
    const first = await linkPatient(server.db, CLINIC_A, EHR, '123');
    const again = await linkPatient(server.db, CLINIC_A, EHR, '123');
    const other = await linkPatient(server.db, CLINIC_A, EHR, '124');
    const otherClinic = await linkPatient(server.db, CLINIC_B, EHR, '123');
    assert.match(first.personId, /^smart-[A-Za-z0-9_-]{16}$/);
    assert.equal(first.linkedNow, true);
    assert.deepEqual(again, { personId: first.personId, linkedNow: false });
    assert.notEqual(other.personId, first.personId);
    assert.notEqual(otherClinic.personId, first.personId);
  });

  it('care smart issuer add|set|list|remove work from the command line, refusing with exit 1', async () => {
    const url = server.config.databaseUrl;
    const ehr = 'https://cli.example.org/r4';
    const added = await care(url, '--json', 'smart', 'issuer', 'add', ehr, '--clinic', CLINIC_B, '--client-id', 'cw', '--widgets', 'check-in,progress', '--write-back');
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(JSON.parse(added.stdout).launchWidgets, ['check-in', 'progress']);
    const set = await care(url, '--json', 'smart', 'issuer', 'set', ehr, '--clinic', CLINIC_B, '--no-write-back', '--enabled', 'off');
    assert.equal(set.code, 0, set.stderr);
    assert.equal(JSON.parse(set.stdout).writeBack, false);
    assert.equal(JSON.parse(set.stdout).enabled, false);
    const list = await care(url, '--json', 'smart', 'issuer', 'list', '--clinic', CLINIC_B);
    assert.deepEqual(JSON.parse(list.stdout).map((i: { iss: string }) => i.iss), [ehr]);
    const bad = await care(url, '--json', 'smart', 'issuer', 'add', 'ftp://x', '--clinic', CLINIC_B, '--client-id', 'cw');
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stderr).field, 'iss');
    const removed = await care(url, 'smart', 'issuer', 'remove', ehr, '--clinic', CLINIC_B);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await care(url, 'smart', 'issuer', 'remove', ehr, '--clinic', CLINIC_B)).code, 1);
    assert.deepEqual(await listIssuers(server.db, CLINIC_B), []);
  });
});
