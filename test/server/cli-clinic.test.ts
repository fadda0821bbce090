import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { adminClinicView, type AdminClinicView } from '../../server/contract/admin.js';
import { openDatabase } from '../../server/db/index.js';
import { adminChanges, adminSnapshot, assertCareRefused, care, careJson, REPO, startCare, tempFiles } from './cli.js';
import { CLINIC_A, CLINIC_B, dailyAnswers, dataOf, freshDatabase, minutesAgo, mintToken, mutate, newRequestId, query, startServer, type TestServer } from './helpers.js';

let server: TestServer;
let url: string;
const { dir, file } = tempFiles('care-cli-');

before(async () => {
  server = await startServer();
  url = server.config.databaseUrl;
});
after(async () => {
  await server.stop();
});

/** A refusal: exit 1, a JSON error naming `field`, and not one stored row changed. */
const assertRefused = (args: string[], field: string) => assertCareRefused(url, args, field, () => adminSnapshot(server.db));

async function assertUsage(args: string[], mentions: RegExp): Promise<void> {
  const snapshot = await adminSnapshot(server.db);
  const result = await care(url, args);
  assert.equal(result.code, 2, `care ${args.join(' ')}: ${result.stderr}`);
  assert.match(result.stderr, mentions);
  assert.equal(await adminSnapshot(server.db), snapshot, 'nothing changed');
}

type ClinicJson = AdminClinicView;
/** Every key of the one clinic shape (server/contract/admin.ts), read from the schema itself. */
const CLINIC_KEYS = Object.keys(adminClinicView.def.shape).sort();

describe('care clinic create | list | show | set', () => {
  test('create registers a clinic whose printed secret signs working tokens, and records the change', async () => {
    const result = await careJson<{ clinic: ClinicJson; secret: string }>(url, [
      'clinic', 'create', 'riverside', '--name', 'Riverside Recovery', '--region', 'GB', '--time-zone', 'europe/london',
      '--languages', 'en,es', '--default-locale', 'es', '--templates', 'daily,phq9', '--max-token-lifetime', '8h',
    ]);
    assert.deepEqual(Object.keys(result).sort(), ['clinic', 'secret']);
    assert.deepEqual(Object.keys(result.clinic).sort(), CLINIC_KEYS);
    assert.deepEqual(
      { ...result.clinic, createdAt: undefined },
      {
        id: 'riverside', name: 'Riverside Recovery', region: 'GB', timeZone: 'Europe/London', defaultLocale: 'es', languages: ['en', 'es'],
        templates: ['daily', 'phq9'], maxTokenLifetimeS: 8 * 3600, unverifiedTranslations: [], keys: 'hs256', jwksUrl: null, previousSecretValidUntil: null, origins: [], createdAt: undefined,
      },
    );
    const token = await mintToken({ sub: 'river-client', role: 'client', clinic: 'riverside', secret: result.secret });
    const served = dataOf(await query<{ region: string; defaultLocale: string; templates: { id: string }[] }>(server.baseUrl, 'checkIn.templates', undefined, token));
    assert.deepEqual(served.templates.map((t) => t.id).sort(), ['daily', 'phq9'], 'the enabled templates are what the widget gets');
    assert.deepEqual([served.region, served.defaultLocale], ['GB', 'es']);
    const tooLong = await mintToken({ sub: 'river-client', role: 'client', clinic: 'riverside', secret: result.secret, exp: '9h' });
    assert.equal((await query(server.baseUrl, 'checkIn.templates', undefined, tooLong)).status, 401, 'the maximum token lifetime applies');

    const changes = await adminChanges(server.db, 'riverside');
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.action, 'clinic.create');
    assert.match(changes[0]!.actor, /^cli:./);
    assert.equal((changes[0]!.after as { secret: string }).secret, 'created');
    assert.ok(!JSON.stringify(changes).includes(result.secret));
  });

  test('create refuses a clinic that exists, bad values (naming the field), and a missing --name (usage)', async () => {
    await assertRefused(['clinic', 'create', 'riverside', '--name', 'Again'], 'id');
    await assertRefused(['clinic', 'create', 'newclinic', '--name', 'N', '--region', 'Britain'], 'region');
    await assertRefused(['clinic', 'create', 'newclinic', '--name', 'N', '--time-zone', 'Mars/Olympus'], 'timeZone');
    await assertRefused(['clinic', 'create', 'newclinic', '--name', 'N', '--templates', 'daily,tarot'], 'templates.1');
    await assertRefused(['clinic', 'create', 'newclinic', '--name', 'N', '--languages', 'en', '--default-locale', 'fr'], 'defaultLocale');
    await assertRefused(['clinic', 'create', 'new clinic!', '--name', 'N'], 'id');
    await assertRefused(['clinic', 'create', 'newclinic', '--name', 'N', '--jwks-url', 'http://portal.example/jwks'], 'url');
    await assertUsage(['clinic', 'create', 'newclinic'], /--name/);
    await assertUsage(['clinic', 'create', 'newclinic', '--name', 'N', '--max-token-lifetime', 'long'], /--max-token-lifetime/);
  });

  test('list and show print every clinic and one clinic (JSON shapes), never a secret', async () => {
    const { clinics } = await careJson<{ clinics: Record<string, unknown>[] }>(url, ['clinic', 'list']);
    assert.deepEqual(clinics.map((c) => c.id), [CLINIC_A, CLINIC_B, 'riverside']);
    assert.deepEqual(Object.keys(clinics[0]!).sort(), ['createdAt', 'id', 'keys', 'name', 'origins', 'region']);
    const { clinic } = await careJson<{ clinic: ClinicJson }>(url, ['clinic', 'show', CLINIC_A]);
    assert.deepEqual(Object.keys(clinic).sort(), CLINIC_KEYS);
    assert.equal(clinic.keys, 'hs256');
    const human = await care(url, ['clinic', 'show', CLINIC_A]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /Clinic clinic-a/);
    assert.ok(!human.stdout.includes('clinic-a-test-secret'), 'the secret is never shown');
    await assertRefused(['clinic', 'show', 'no-such-clinic'], 'clinic');
  });

  test('set changes only the options given, in one transaction, with before/after in the audit', async () => {
    const result = await careJson<{ clinic: ClinicJson; changed: { before: object; after: object } }>(url, ['clinic', 'set', 'riverside', '--name', 'Riverside', '--languages', 'en,es,fr', '--region', 'GB']);
    assert.deepEqual(result.changed, { before: { name: 'Riverside Recovery', languages: ['en', 'es'] }, after: { name: 'Riverside', languages: ['en', 'es', 'fr'] } });
    assert.equal(result.clinic.timeZone, 'Europe/London', 'untouched settings stay');
    const last = (await adminChanges(server.db, 'riverside')).at(-1)!;
    assert.equal(last.action, 'clinic.set');
    assert.deepEqual({ before: last.before, after: last.after }, result.changed);

    // Valid name, invalid languages: neither is applied.
    await assertRefused(['clinic', 'set', 'riverside', '--name', 'Half applied?', '--languages', 'en,klingon'], 'languages.1');
    await assertRefused(['clinic', 'set', 'riverside', '--languages', 'fr'], 'defaultLocale');
    await assertRefused(['clinic', 'set', 'riverside', '--max-token-lifetime', '10s'], 'maxTokenLifetime');
    await assertRefused(['clinic', 'set', 'riverside'], 'settings');
    await assertRefused(['clinic', 'set', 'no-such-clinic', '--name', 'X'], 'clinic');
    await assertUsage(['clinic', 'set', 'riverside', '--bogus'], /unknown option/);
  });
});

describe('care clinic jwks | origins', () => {
  test('jwks set switches the clinic to its JWKS (https only, http for localhost) and records the change', async () => {
    await careJson(url, ['clinic', 'create', 'lakeside', '--name', 'Lakeside']);
    await assertRefused(['clinic', 'jwks', 'set', 'lakeside', 'http://portal.example/jwks.json'], 'url');
    await assertRefused(['clinic', 'jwks', 'set', 'lakeside', 'not a url'], 'url');
    const { clinic } = await careJson<{ clinic: ClinicJson }>(url, ['clinic', 'jwks', 'set', 'lakeside', 'https://portal.lakeside.example/.well-known/jwks.json']);
    assert.equal(clinic.keys, 'jwks');
    assert.equal(clinic.jwksUrl, 'https://portal.lakeside.example/.well-known/jwks.json');
    const row = await server.db.selectFrom('clinics').select(['hs256_secret', 'jwks_url']).where('id', '=', 'lakeside').executeTakeFirstOrThrow();
    assert.equal(row.hs256_secret, null, 'the shared secret no longer verifies');
    const last = (await adminChanges(server.db, 'lakeside')).at(-1)!;
    assert.deepEqual(last, { action: 'clinic.jwks.set', actor: last.actor, before: { jwksUrl: null, secret: 'set' }, after: { jwksUrl: clinic.jwksUrl, secret: 'removed' } });
    await careJson(url, ['clinic', 'jwks', 'set', 'lakeside', 'http://localhost:9000/jwks.json']);
  });

  test('origins add, list and remove, each recorded; invalid, duplicate and unknown origins are refused', async () => {
    const added = await careJson<{ clinicId: string; origin: string; origins: string[] }>(url, ['clinic', 'origins', 'add', 'riverside', 'https://Portal.Riverside.example/']);
    assert.deepEqual(added, { clinicId: 'riverside', origin: 'https://portal.riverside.example', origins: ['https://portal.riverside.example'] });
    await careJson(url, ['clinic', 'origins', 'add', 'riverside', 'http://localhost:5173']);
    const listed = await careJson<{ origins: string[] }>(url, ['clinic', 'origins', 'list', 'riverside']);
    assert.deepEqual(listed, { clinicId: 'riverside', origins: ['http://localhost:5173', 'https://portal.riverside.example'] });

    await assertRefused(['clinic', 'origins', 'add', 'riverside', 'https://portal.riverside.example'], 'origin');
    await assertRefused(['clinic', 'origins', 'add', 'riverside', 'https://portal.example/path'], 'origin');
    await assertRefused(['clinic', 'origins', 'add', 'riverside', 'http://portal.example'], 'origin');
    await assertRefused(['clinic', 'origins', 'add', 'riverside', 'portal.example'], 'origin');
    await assertRefused(['clinic', 'origins', 'add', 'riverside', 'https://user@portal.example'], 'origin');
    await assertRefused(['clinic', 'origins', 'remove', 'riverside', 'https://never-added.example'], 'origin');
    await assertRefused(['clinic', 'origins', 'add', 'no-such-clinic', 'https://portal.example'], 'clinic');
    await assertUsage(['clinic', 'origins', 'add', 'riverside'], /missing required argument/);

    const removed = await careJson<{ origins: string[] }>(url, ['clinic', 'origins', 'remove', 'riverside', 'http://localhost:5173']);
    assert.deepEqual(removed.origins, ['https://portal.riverside.example']);
    const actions = (await adminChanges(server.db, 'riverside')).map((c) => c.action).filter((a) => a.startsWith('clinic.origins'));
    assert.deepEqual(actions, ['clinic.origins.add', 'clinic.origins.add', 'clinic.origins.remove']);
  });
});

describe('care clinic rules', () => {
  /** One check-in per fresh client (no mood history), submitted through the API. */
  async function checkIn(clinic: string, sub: string, answers: Parameters<typeof dailyAnswers>[0], submittedAt = minutesAgo(60)): Promise<void> {
    const token = await mintToken({ sub, role: 'client', clinic });
    dataOf(await mutate(server.baseUrl, 'checkIn.submit', { clientRequestId: newRequestId(), templateId: 'daily', answers: dailyAnswers(answers), submittedAt }, token));
  }

  test('test reports what the rules would have flagged over the last 30 days of real check-ins, changing nothing', async () => {
    await checkIn(CLINIC_A, 'rules-1', { craving: 6 }); // none → elevated (high_craving) with cravingElevated 5
    await checkIn(CLINIC_A, 'rules-2', { craving: 9 }); // elevated (high_craving) either way
    await checkIn(CLINIC_A, 'rules-3', { craving: 2, used: 'yes' }); // elevated (reported_use) either way
    await checkIn(CLINIC_A, 'rules-4', { craving: 6, used: 'yes' }); // elevated → urgent (use with high craving)
    await checkIn(CLINIC_A, 'rules-5', { craving: 1 }); // none either way
    await checkIn(CLINIC_A, 'rules-6', { craving: 9 }, minutesAgo(40 * 1440)); // older than 30 days: left out
    await checkIn(CLINIC_B, 'rules-7', { craving: 6 }); // another clinic: left out

    const rules = file('rules.json', JSON.stringify({ cravingElevated: 5 }));
    const before = await adminSnapshot(server.db);
    const checkInsBefore = JSON.stringify(await server.db.selectFrom('check_ins').selectAll().orderBy('id').execute());
    const result = await careJson<Record<string, unknown>>(url, ['clinic', 'rules', 'test', CLINIC_A, rules]);
    assert.deepEqual(Object.keys(result).sort(), ['checkIns', 'clinicId', 'flagged', 'from', 'levelChanged', 'to', 'wouldFlag']);
    assert.equal(result.checkIns, 5);
    assert.deepEqual(result.flagged, { none: 2, elevated: 3, urgent: 0, reasons: { high_craving: 1, reported_use: 2 } });
    assert.deepEqual(result.wouldFlag, { none: 1, elevated: 3, urgent: 1, reasons: { high_craving: 3, reported_use: 2 } });
    assert.equal(result.levelChanged, 2);
    assert.equal(await adminSnapshot(server.db), before, 'rules test changes no setting');
    assert.equal(JSON.stringify(await server.db.selectFrom('check_ins').selectAll().orderBy('id').execute()), checkInsBefore, 'nor any check-in');

    const human = await care(url, ['clinic', 'rules', 'test', CLINIC_A, rules]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /With these rules: urgent 1, elevated 3, none 1/);
  });

  test('set stores a valid document (checked with the server schema), show prints it, both recorded; invalid documents change nothing', async () => {
    await assertRefused(['clinic', 'rules', 'set', CLINIC_A, file('bad-range.json', '{"cravingElevated": 500}')], 'rules.cravingElevated');
    await assertRefused(['clinic', 'rules', 'set', CLINIC_A, file('bad-key.json', '{"cravingElevatd": 5}')], 'rules.cravingElevatd');
    await assertRefused(['clinic', 'rules', 'set', CLINIC_A, file('bad-json.json', '{cravingElevated: 5')], 'rules');
    await assertRefused(['clinic', 'rules', 'set', CLINIC_A, file('array.json', '[1]')], 'rules');
    await assertRefused(['clinic', 'rules', 'set', CLINIC_A, join(dir, 'missing.json')], 'file');
    await assertRefused(['clinic', 'rules', 'test', CLINIC_A, file('bad-type.json', '{"notesNeedAttention": "yes"}')], 'rules.notesNeedAttention');
    await assertRefused(['clinic', 'rules', 'set', 'no-such-clinic', file('ok.json', '{"cravingElevated": 5}')], 'clinic');

    const set = await careJson<{ stored: object; effective: { cravingElevated: number; moodDropPoints: number } }>(url, ['clinic', 'rules', 'set', CLINIC_A, file('good.json', '{"cravingElevated": 5, "selfHarmTerms": ["unalive"]}')]);
    assert.deepEqual(set.stored, { cravingElevated: 5, selfHarmTerms: ['unalive'] });
    assert.equal(set.effective.cravingElevated, 5);
    assert.equal(set.effective.moodDropPoints, 4, 'missing keys take the defaults');
    const shown = await careJson<{ clinicId: string; stored: object; effective: object }>(url, ['clinic', 'rules', 'show', CLINIC_A]);
    assert.deepEqual(shown, { clinicId: CLINIC_A, ...set });
    const last = (await adminChanges(server.db, CLINIC_A)).at(-1)!;
    assert.deepEqual({ action: last.action, before: last.before, after: last.after }, { action: 'clinic.rules.set', before: null, after: set.stored });
  });
});

describe('care audit', () => {
  test('prints reads of people\'s data and admin changes as CSV (header, quoting) or JSON, filtered by --since and --person', async () => {
    const clinician = await mintToken({ sub: 'audit-clinician', role: 'clinician' });
    dataOf(await query(server.baseUrl, 'checkIn.list', { clientId: 'rules-1' }, clinician));

    const csv = await care(url, ['audit', '--clinic', CLINIC_A]);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trimEnd().split('\r\n');
    assert.equal(lines[0], 'at,kind,actor,actor_role,action,subject,before,after');
    assert.ok(lines.some((l) => /,read,audit-clinician,clinician,[^,]+,rules-1,,$/.test(l)), csv.stdout);
    const rulesLine = lines.find((l) => l.includes('clinic.rules.set'));
    assert.ok(rulesLine, 'admin changes are in the audit');
    assert.ok(rulesLine.includes('"{""cravingElevated"":5,""selfHarmTerms"":[""unalive""]}"'), 'JSON cells are quoted with doubled quotes');

    const { entries } = await careJson<{ clinicId: string; entries: { kind: string; subject: string | null; action: string }[] }>(url, ['audit', '--clinic', CLINIC_A, '--person', 'rules-1']);
    assert.ok(entries.length >= 1);
    assert.ok(entries.every((e) => e.kind === 'read' && e.subject === 'rules-1'));
    const viaFormat = await care(url, ['audit', '--clinic', CLINIC_A, '--format', 'json', '--since', '2999-01-01']);
    assert.deepEqual(JSON.parse(viaFormat.stdout), { clinicId: CLINIC_A, entries: [] });
    const otherClinic = await careJson<{ entries: { action: string }[] }>(url, ['audit', '--clinic', CLINIC_B]);
    assert.ok(!otherClinic.entries.some((e) => e.action === 'clinic.rules.set'), "another clinic's trail holds none of clinic A's changes");

    await assertRefused(['audit', '--clinic', 'no-such-clinic'], 'clinic');
    await assertUsage(['audit', '--clinic', CLINIC_A, '--since', 'yesterday'], /--since/);
    await assertUsage(['audit', '--clinic', CLINIC_A, '--format', 'xml'], /--format/);
    await assertUsage(['audit'], /--clinic/);
  });
});

describe('care migrate | serve | demo | --help', () => {
  test('migrate brings a fresh database to the latest schema and lists the migrations', async () => {
    const fresh = await freshDatabase();
    try {
      const first = await careJson<{ applied: string[]; migrations: { name: string; executedAt: string | null }[] }>(fresh.url, ['migrate']);
      assert.ok(first.applied.includes('2026-12-03-001-clinic-admin'));
      assert.deepEqual(first.migrations.map((m) => m.name), first.applied);
      assert.ok(first.migrations.every((m) => m.executedAt !== null));
      const again = await careJson<{ applied: string[] }>(fresh.url, ['migrate']);
      assert.deepEqual(again.applied, []);
    } finally {
      await fresh.drop();
    }
  });

  test('serve refuses a database holding the demo clinic unless --allow-demo-clinic, and serves one without it', async () => {
    const fresh = await freshDatabase();
    try {
      const db = openDatabase(fresh.url);
      try {
        await careJson(fresh.url, ['migrate']);
        await db.insertInto('clinics').values({ id: 'demo-clinic', name: 'Demo', hs256_secret: 'x'.repeat(40), jwks_url: null, region: 'US', default_locale: 'en', risk_rules: null, enabled_templates: '["daily"]', created_at: new Date().toISOString() }).execute();
      } finally {
        await db.destroy();
      }
      const refused = await care(fresh.url, ['--json', 'serve', '--port', '0']);
      assert.equal(refused.code, 1);
      assert.equal((JSON.parse(refused.stderr) as { field: string }).field, 'database');
      const served = await startCare(fresh.url, ['serve', '--port', '0', '--allow-demo-clinic']);
      try {
        assert.ok(served.url, served.output());
        const health = (await (await fetch(`${served.url}/healthz`)).json()) as { ok: boolean };
        assert.equal(health.ok, true);
        assert.equal((await fetch(`${served.url}/demo/token?role=client`)).status, 404, 'no demo routes in production');
      } finally {
        served.child.kill('SIGTERM');
        assert.equal(await served.exit, 0);
      }
    } finally {
      await fresh.drop();
    }
  });

  test('demo serves the demo clinic', async () => {
    const fresh = await freshDatabase();
    try {
      const demo = await startCare(fresh.url, ['demo', '--port', '0']);
      try {
        assert.ok(demo.url, demo.output());
        const clinic = await fetch(`${demo.url}/healthz`);
        assert.equal(clinic.status, 200);
        const clinics = await careJson<{ clinics: { id: string }[] }>(fresh.url, ['clinic', 'list']);
        assert.ok(clinics.clinics.some((c) => c.id === 'demo-clinic'));
      } finally {
        demo.child.kill('SIGTERM');
        await demo.exit;
      }
    } finally {
      await fresh.drop();
    }
  });

  test('--help of a command shows its examples and exits 0; an unknown command exits 2', async () => {
    for (const args of [['clinic', 'create', '--help'], ['clinic', 'secret', 'rotate', '--help'], ['audit', '--help']]) {
      const help = await care(url, args);
      assert.equal(help.code, 0, args.join(' '));
      assert.match(help.stdout, /Examples:/, args.join(' '));
    }
    const unknown = await care(url, ['clinik']);
    assert.equal(unknown.code, 2);
  });

  test('bin/care.mjs, the installed command, runs the same CLI from its sources (through tsx)', async () => {
    const run = promisify(execFile);
    const installed = await run(process.execPath, ['bin/care.mjs', '--database', url, '--json', 'clinic', 'list'], { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'silent' } });
    assert.deepEqual(JSON.parse(installed.stdout), await careJson(url, ['clinic', 'list']));
    const version = await run(process.execPath, ['bin/care.mjs', '--version'], { cwd: REPO });
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
    // The whole server through tsx, as `npm start` and `care demo` run it.
    const fresh = await freshDatabase();
    const demo = spawn(process.execPath, ['bin/care.mjs', '--database', fresh.url, 'demo', '--port', '0'], { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let printed = '';
      const listening = await new Promise<string>((resolve, reject) => {
        demo.stdout.on('data', (chunk: Buffer) => {
          printed += chunk.toString();
          const match = /listening on (http:\/\/\S+?)\/?(\s|$)/.exec(printed);
          if (match?.[1]) resolve(match[1]);
        });
        demo.on('close', (code) => reject(new Error(`care demo exited ${code}: ${printed}`)));
      });
      assert.equal((await fetch(`${listening}/healthz`)).status, 200);
    } finally {
      if (demo.exitCode === null && demo.signalCode === null) {
        const exited = new Promise((resolve) => demo.once('close', resolve));
        demo.kill('SIGTERM');
        await exited;
      }
      await fresh.drop();
    }
  });
});
