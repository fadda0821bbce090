import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { openDatabase } from '../../server/db/index.js';
import { migrations } from '../../server/db/migrations/index.js';
import { listPractitionerApps } from '../../server/smart/practitioner.js';
import { freshDatabase, minutesAgo, seedClinic } from './helpers.js';

const OLD_DEFAULT = 'launch openid fhirUser user/Patient.rs';

test('upgrading: clinician apps registered with the old default scopes ask online_access; a clinic’s own list is left as written', async () => {
  const database = await freshDatabase();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = openDatabase(database.url) as unknown as Kysely<any>;
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    assert.equal((await migrator.migrateTo('2026-12-03-250-danger-flag-paging')).error, undefined);
    await seedClinic(db, { id: 'clinic-a', secret: 'clinic-a-secret-0123456789-abcdefghij' });
    await seedClinic(db, { id: 'clinic-b', secret: 'clinic-b-secret-0123456789-abcdefghij' });
    await seedClinic(db, { id: 'clinic-c', secret: 'clinic-c-secret-0123456789-abcdefghij' });
    const app = (clinic: string, iss: string, scopes: string) => ({ clinic_id: clinic, iss, openid_issuer: null, client_id: `${clinic}-app`, scopes, created_at: minutesAgo(60), disabled_at: null });
    const custom = 'launch openid fhirUser user/Patient.rs user/Observation.rs';
    const alreadyOnline = 'launch openid fhirUser offline_access user/Patient.rs';
    await db
      .insertInto('smart_practitioner_apps')
      .values([app('clinic-a', 'https://ehr-a.example.test/fhir', OLD_DEFAULT), app('clinic-b', 'https://ehr-b.example.test/fhir', custom), app('clinic-c', 'https://ehr-c.example.test/fhir', alreadyOnline)])
      .execute();

    const { error, results } = await migrator.migrateToLatest();
    assert.equal(error, undefined);
    assert.ok(results?.some((r) => r.migrationName === '2026-12-03-260-smart-clinician-online-access' && r.status === 'Success'), 'migration 260 ran');

    const scopes = Object.fromEntries((await listPractitionerApps(db)).map((a) => [a.clinicId, a.scopes]));
    assert.equal(scopes['clinic-a'], 'launch openid fhirUser online_access user/Patient.rs');
    assert.equal(scopes['clinic-b'], custom, 'a clinic’s own scope list is kept');
    assert.equal(scopes['clinic-c'], alreadyOnline);
  } finally {
    await db.destroy();
    await database.drop();
  }
});
