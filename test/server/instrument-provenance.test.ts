import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INSTRUMENT_PROVENANCE, shownLanguageFor } from '../../server/contract/provenance.js';
import { TEMPLATES } from '../../server/contract/templates.js';
import { TRANSLATION_PROVENANCE } from '../../server/fhir/responses.js';
import { adminChanges, adminSnapshot, care } from './cli.js';
import { assertValidFhir } from './fhir-validate.js';
import {
  CLINIC_A,
  dataOf,
  errorOf,
  itemAnswers,
  mintToken,
  minutesAgo,
  mutate,
  newRequestId,
  startServer,
  type TestServer,
  typedMutate,
  typedQuery,
} from './helpers.js';

/**
 * Issue 18, item 2: an unverified translation of the PHQ-9/GAD-7 is off unless the clinic turns it
 * on; each check-in records the person's language, the language shown and (derived by the server)
 * its provenance; clinicians see the unverified ones marked, FHIR included.
 */
let server: TestServer;
let url: string;
let clinician: string;
let admin: string;

before(async () => {
  // Indexing the FHIR definitions blocks this process for seconds: done before the server has idle connections to drop.
  assertValidFhir<fhir4.Basic>({ resourceType: 'Basic', code: { text: 'warm-up' } });
  server = await startServer();
  url = server.config.databaseUrl;
  clinician = await mintToken({ sub: 'prov-clinician', role: 'clinician' });
  admin = await mintToken({ sub: 'prov-admin', role: 'admin' });
});
after(async () => {
  await server.stop();
});

const phq9 = (total: number) => itemAnswers([Math.min(total, 3), Math.max(0, Math.min(total - 3, 3)), 0, 0, 0, 0, 0, 0, 0]);

async function submitAs(sub: string, input: { templateId: 'phq9' | 'gad7' | 'bam' | 'daily'; language?: string; shownLanguage?: string; answers?: Record<string, unknown> }) {
  const token = await mintToken({ sub, role: 'client' });
  const answers = input.answers ?? (input.templateId === 'gad7' ? itemAnswers([1, 1, 1, 1, 0, 0, 0]) : phq9(4));
  const body = {
    clientRequestId: newRequestId(),
    templateId: input.templateId,
    answers,
    submittedAt: minutesAgo(1),
    ...(input.language ? { language: input.language } : {}),
    ...(input.shownLanguage ? { shownLanguage: input.shownLanguage } : {}),
  };
  return mutate<{ id: string; language: string | null; shownLanguage: string | null; provenance: string | null }>(server.baseUrl, 'checkIn.submit', body, token);
}

const storedRow = (id: string) => server.db.selectFrom('check_ins').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('provenance data', () => {
  test('comes from locales/languages.json: Arabic, Spanish GAD-7, Chinese and the seven newer languages are unverified', () => {
    assert.equal(INSTRUMENT_PROVENANCE.phq9.en, 'published');
    assert.equal(INSTRUMENT_PROVENANCE.gad7.en, 'published');
    assert.equal(INSTRUMENT_PROVENANCE.phq9.es, 'published');
    assert.equal(INSTRUMENT_PROVENANCE.gad7.es, 'unverified');
    for (const language of ['ar', 'zh-Hans', 'zh-Hant', 'vi', 'ko', 'tl', 'ru', 'pt-BR', 'ht'] as const) {
      assert.equal(INSTRUMENT_PROVENANCE.phq9[language], 'unverified', language);
      assert.equal(INSTRUMENT_PROVENANCE.gad7[language], 'unverified', language);
    }
    assert.equal(TEMPLATES.phq9.provenance, INSTRUMENT_PROVENANCE.phq9, 'the template carries it');
    assert.equal(TEMPLATES.daily.provenance, undefined, 'only the validated instruments have one');
    assert.equal(shownLanguageFor('phq9', 'ar', []), 'en');
    assert.equal(shownLanguageFor('phq9', 'ar', ['phq9:ar']), 'ar');
    assert.equal(shownLanguageFor('gad7', 'ar', ['phq9:ar']), 'en', 'turning on one instrument leaves the other');
    assert.equal(shownLanguageFor('phq9', 'es', []), 'es', 'published: always shown');
  });

  test('the BAM is published by the VA in English only: every other language is unverified and shows the English form by default', () => {
    assert.equal(INSTRUMENT_PROVENANCE.bam.en, 'published');
    for (const language of ['es', 'fr', 'ar', 'zh-Hans', 'zh-Hant', 'vi', 'ko', 'tl', 'ru', 'pt-BR', 'ht'] as const) {
      assert.equal(INSTRUMENT_PROVENANCE.bam[language], 'unverified', language);
    }
    assert.equal(TEMPLATES.bam.provenance, INSTRUMENT_PROVENANCE.bam, 'the BAM template carries it');
    assert.equal(shownLanguageFor('bam', 'es', []), 'en');
    assert.equal(shownLanguageFor('bam', 'es', ['phq9:es', 'gad7:es']), 'en', 'turning on PHQ-9/GAD-7 leaves the BAM');
    assert.equal(shownLanguageFor('bam', 'es', ['bam:es']), 'es');
    assert.equal(shownLanguageFor('bam', 'en', []), 'en');
  });
});

describe('by default an unverified translation is off', () => {
  test('checkIn.templates carries each instrument’s provenance and no turned-on translations', async () => {
    const token = await mintToken({ sub: 'prov-reader', role: 'client' });
    const data = dataOf(await typedQuery(server.baseUrl, 'checkIn.templates', undefined, token));
    assert.deepEqual(data.unverifiedTranslations, []);
    const phq = data.templates.find((t) => t.id === 'phq9');
    assert.equal(phq?.provenance?.ar, 'unverified');
    assert.equal(phq?.provenance?.fr, 'published');
  });

  test('an Arabic-speaking person shown the English form: stored with shown language en and provenance published', async () => {
    const result = dataOf(await submitAs('prov-amal', { templateId: 'phq9', language: 'ar', shownLanguage: 'en' }));
    assert.deepEqual([result.language, result.shownLanguage, result.provenance], ['ar', 'en', 'published']);
    const row = await storedRow(result.id);
    assert.deepEqual([row.language, row.shown_language, row.provenance], ['ar', 'en', 'published']);
  });

  test('a published translation is recorded as published, other forms record languages without provenance', async () => {
    const spanish = dataOf(await submitAs('prov-sofia', { templateId: 'phq9', language: 'es', shownLanguage: 'es' }));
    assert.deepEqual([spanish.shownLanguage, spanish.provenance], ['es', 'published']);
    const spanishGad = dataOf(await submitAs('prov-sofia', { templateId: 'gad7', language: 'es', shownLanguage: 'es' }));
    assert.equal(spanishGad.provenance, 'unverified', 'the Spanish GAD-7 stem and difficulty question are not the published form');
    const daily = dataOf(
      await submitAs('prov-sofia', {
        templateId: 'daily',
        language: 'es',
        shownLanguage: 'es',
        answers: { mood: 6, craving: 2, sleepHours: 7, medication: 'yes', used: 'no' },
      }),
    );
    assert.deepEqual([daily.language, daily.shownLanguage, daily.provenance], ['es', 'es', null]);
  });

  test('a device that says nothing (sent before issue 18) records nothing rather than a guess', async () => {
    const old = dataOf(await submitAs('prov-old', { templateId: 'phq9' }));
    assert.deepEqual([old.language, old.shownLanguage, old.provenance], [null, null, null]);
  });

  test('the provenance is the server’s: a client cannot claim one, and cannot name a third language as shown', async () => {
    const token = await mintToken({ sub: 'prov-claim', role: 'client' });
    const claim = await mutate(
      server.baseUrl,
      'checkIn.submit',
      { clientRequestId: newRequestId(), templateId: 'phq9', answers: phq9(2), submittedAt: minutesAgo(1), language: 'ar', shownLanguage: 'ar', provenance: 'published' },
      token,
    );
    assert.equal(claim.status, 400);
    assert.match(errorOf(claim).message, /provenance/);
    const third = await submitAs('prov-claim', { templateId: 'phq9', language: 'ar', shownLanguage: 'fr' });
    assert.equal(third.status, 400);
    assert.match(errorOf(third).message, /shownLanguage/);
    const unknown = await submitAs('prov-claim', { templateId: 'phq9', language: 'xx', shownLanguage: 'en' });
    assert.equal(unknown.status, 400);
    assert.match(errorOf(unknown).message, /language/);
    const rows = await server.db.selectFrom('check_ins').select('id').where('client_id', '=', 'prov-claim').execute();
    assert.equal(rows.length, 0, 'nothing stored');
    // Shown in Arabic while the clinic has it off (a device with a stale setting): what was shown is recorded, unverified.
    const stale = dataOf(await submitAs('prov-stale', { templateId: 'phq9', language: 'ar', shownLanguage: 'ar' }));
    assert.deepEqual([stale.shownLanguage, stale.provenance], ['ar', 'unverified']);
  });
});

describe('a clinic turns a translation on knowingly', () => {
  test('care clinic set --unverified-translations refuses published, missing and unknown translations, changing nothing', async () => {
    for (const [value, message] of [
      ['phq9:es', /published form/],
      ['phq9:vi', /no vi translation/],
      ['phq9:xx', /language "xx"/],
      ['bam:en', /published form/],
      ['daily:ar', /instrument/],
      ['phq9', /instrument:language/],
    ] as const) {
      const snapshot = await adminSnapshot(server.db);
      const result = await care(url, ['--json', 'clinic', 'set', CLINIC_A, '--unverified-translations', value]);
      assert.equal(result.code, 1, `${value}: ${result.stderr}`);
      const error = JSON.parse(result.stderr) as { error: string; field: string };
      assert.equal(error.field, 'unverifiedTranslations.0', value);
      assert.match(error.error, message);
      assert.equal(await adminSnapshot(server.db), snapshot, `${value}: nothing changed`);
    }
  });

  test('turning Arabic PHQ-9 on is audited, shows in checkIn.templates, and Arabic check-ins are then stored ar/unverified', async () => {
    const result = await care(url, ['--json', 'clinic', 'set', CLINIC_A, '--unverified-translations', 'phq9:ar']);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { clinic: { unverifiedTranslations: string[] }; changed: { before: unknown; after: unknown } };
    assert.deepEqual(out.clinic.unverifiedTranslations, ['phq9:ar']);
    assert.deepEqual(out.changed, { before: { unverifiedTranslations: [] }, after: { unverifiedTranslations: ['phq9:ar'] } });
    const change = (await adminChanges(server.db, CLINIC_A)).at(-1);
    assert.equal(change?.action, 'clinic.set');
    assert.deepEqual(change?.after, { unverifiedTranslations: ['phq9:ar'] });

    const token = await mintToken({ sub: 'prov-amal', role: 'client' });
    assert.deepEqual(dataOf(await typedQuery(server.baseUrl, 'checkIn.templates', undefined, token)).unverifiedTranslations, ['phq9:ar']);

    const stored = dataOf(await submitAs('prov-amal', { templateId: 'phq9', language: 'ar', shownLanguage: 'ar', answers: phq9(6) }));
    assert.deepEqual([stored.language, stored.shownLanguage, stored.provenance], ['ar', 'ar', 'unverified']);
    const row = await storedRow(stored.id);
    assert.deepEqual([row.language, row.shown_language, row.provenance], ['ar', 'ar', 'unverified']);

    // The clinician reads it marked in checkIn.list.
    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { clientId: 'prov-amal' }, clinician));
    const listed = page.items.find((c) => c.id === stored.id);
    assert.deepEqual([listed?.shownLanguage, listed?.provenance], ['ar', 'unverified']);
  });

  test('the admin router sets the same list (and [] turns it off), refusing bad pairs with a 400 naming the field', async () => {
    const bad = await mutate(server.baseUrl, 'admin.setClinic', { unverifiedTranslations: ['gad7:ko'] }, admin);
    assert.equal(bad.status, 400);
    assert.match(errorOf(bad).message, /unverifiedTranslations\.0/);
    const set = dataOf(await typedMutate(server.baseUrl, 'admin.setClinic', { unverifiedTranslations: ['gad7:ar', 'phq9:ar', 'phq9:ar'] }, admin));
    assert.deepEqual(set.clinic.unverifiedTranslations, ['gad7:ar', 'phq9:ar']);
    const shown = dataOf(await typedQuery(server.baseUrl, 'admin.clinic', undefined, admin));
    assert.deepEqual(shown.unverifiedTranslations, ['gad7:ar', 'phq9:ar']);
    // Back to phq9:ar only, for the tests below.
    dataOf(await typedMutate(server.baseUrl, 'admin.setClinic', { unverifiedTranslations: ['phq9:ar'] }, admin));
  });
});

describe('clinicians see an unverified translation marked', () => {
  test('the alert raised by an Arabic PHQ-9 carries the check-in’s shown language and provenance', async () => {
    const urgent = itemAnswers([3, 3, 3, 3, 3, 3, 3, 3, 3]);
    const result = dataOf(await submitAs('prov-karim', { templateId: 'phq9', language: 'ar', shownLanguage: 'ar', answers: urgent }));
    const alerts = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { clientId: 'prov-karim', status: 'all' }, clinician)).items;
    const alert = alerts.find((a) => a.checkInId === result.id);
    assert.ok(alert, 'an alert for the urgent PHQ-9');
    assert.deepEqual([alert.checkIn?.language, alert.checkIn?.shownLanguage, alert.checkIn?.provenance], ['ar', 'ar', 'unverified']);
  });

  test('the outcome report counts PHQ-9/GAD-7 scores and those from an unverified translation, in JSON and CSV', async () => {
    const report = dataOf(await typedQuery(server.baseUrl, 'outcomes.report', {}, clinician));
    const month = report.months.at(-1)!;
    const unverified = await server.db.selectFrom('check_ins').select('id').where('clinic_id', '=', CLINIC_A).where('template_id', '=', 'phq9').where('provenance', '=', 'unverified').execute();
    const phqAll = await server.db.selectFrom('check_ins').select('id').where('clinic_id', '=', CLINIC_A).where('template_id', '=', 'phq9').execute();
    assert.ok(unverified.length >= 3);
    assert.deepEqual(month.instruments.phq9, { scores: phqAll.length, unverifiedTranslation: unverified.length });
    assert.equal(month.instruments.gad7.unverifiedTranslation, 1, 'the Spanish GAD-7');
    const csv = await (await fetch(`${server.baseUrl}/reports/outcomes.csv`, { headers: { authorization: `Bearer ${clinician}` } })).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    const columns = header!.split(',');
    const last = rows.at(-1)!.split(',');
    assert.equal(last[columns.indexOf('phq9_unverified_translation')], String(unverified.length));
    assert.equal(last[columns.indexOf('phq9_scores')], String(phqAll.length));
  });

  test('FHIR: QuestionnaireResponse.language is the shown language, with the translation-provenance extension', async () => {
    const fhir = `${server.baseUrl}/fhir/R4`;
    const read = async (id: string) => {
      const res = await fetch(`${fhir}/QuestionnaireResponse/${id}`, { headers: { authorization: `Bearer ${clinician}` } });
      assert.equal(res.status, 200);
      return assertValidFhir((await res.json()) as fhir4.QuestionnaireResponse);
    };
    const arabic = dataOf(await submitAs('prov-fhir', { templateId: 'phq9', language: 'ar', shownLanguage: 'ar' }));
    const english = dataOf(await submitAs('prov-fhir', { templateId: 'gad7', language: 'ar', shownLanguage: 'en' }));
    const qrAr = await read(arabic.id);
    assert.equal(qrAr.language, 'ar');
    assert.deepEqual(qrAr.extension, [{ url: TRANSLATION_PROVENANCE, valueCode: 'unverified' }]);
    const qrEn = await read(english.id);
    assert.equal(qrEn.language, 'en');
    assert.deepEqual(qrEn.extension, [{ url: TRANSLATION_PROVENANCE, valueCode: 'published' }]);
    // The PHQ-9 total Observation says so too.
    const obsRes = await fetch(`${fhir}/Observation/${arabic.id}-phq9-total`, { headers: { authorization: `Bearer ${clinician}` } });
    const observation = assertValidFhir((await obsRes.json()) as fhir4.Observation);
    assert.deepEqual(observation.extension, [{ url: TRANSLATION_PROVENANCE, valueCode: 'unverified' }]);
  });

  test('FHIR: a QuestionnaireResponse submitted in Arabic records ar and derives the provenance', async () => {
    const token = await mintToken({ sub: 'prov-filler', role: 'client' });
    const res = await fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'QuestionnaireResponse',
        language: 'ar',
        questionnaire: 'https://care-widgets.org/fhir/Questionnaire/gad7|1',
        status: 'completed',
        identifier: { system: 'urn:care-widgets:client-request-id', value: newRequestId() },
        authored: minutesAgo(2),
        item: Array.from({ length: 7 }, (_, i) => ({ linkId: `q${i + 1}`, answer: [{ valueInteger: 1 }] })),
      }),
    });
    const body = assertValidFhir((await res.json()) as fhir4.QuestionnaireResponse);
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.language, 'ar');
    assert.deepEqual(body.extension, [{ url: TRANSLATION_PROVENANCE, valueCode: 'unverified' }]);
    const row = await storedRow(body.id!);
    assert.deepEqual([row.language, row.shown_language, row.provenance], ['ar', 'ar', 'unverified']);
  });
});

describe('BAM: published in English only (VA form)', () => {
  const BAM = { q1: 1, q2: 2, q3: 0, q4: 3, q5: 0, q6: 4, q7a: 5, q7b: 0, q7c: 2, q7d: 0, q7e: 0, q7f: 0, q7g: 0, q8: 1, q9: 3, q10: 10, q11: 1, q12: 2, q13: 4, q14: 'yes', q15: 1, q16: 2, q17: 3 };

  test('care clinic set refuses bam:en (published) and turns bam:es on, audited; a Spanish BAM shown in English is published', async () => {
    const refused = await care(url, ['--json', 'clinic', 'set', CLINIC_A, '--unverified-translations', 'bam:en']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match((JSON.parse(refused.stderr) as { error: string }).error, /published form/);

    const english = dataOf(await submitAs('prov-bam-lucia', { templateId: 'bam', language: 'es', shownLanguage: 'en', answers: BAM }));
    assert.deepEqual([english.language, english.shownLanguage, english.provenance], ['es', 'en', 'published']);

    const result = await care(url, ['--json', 'clinic', 'set', CLINIC_A, '--unverified-translations', 'phq9:ar,bam:es']);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { clinic: { unverifiedTranslations: string[] } };
    assert.deepEqual(out.clinic.unverifiedTranslations, ['bam:es', 'phq9:ar']);
    assert.deepEqual((await adminChanges(server.db, CLINIC_A)).at(-1)?.after, { unverifiedTranslations: ['bam:es', 'phq9:ar'] });
    const token = await mintToken({ sub: 'prov-bam-lucia', role: 'client' });
    const templates = dataOf(await typedQuery(server.baseUrl, 'checkIn.templates', undefined, token));
    assert.deepEqual(templates.unverifiedTranslations, ['bam:es', 'phq9:ar']);
  });

  test('a Spanish BAM is stored es/unverified and marked in the alert, the record list, the outcome report and FHIR', async () => {
    const spanish = dataOf(await submitAs('prov-bam-lucia', { templateId: 'bam', language: 'es', shownLanguage: 'es', answers: BAM }));
    assert.deepEqual([spanish.language, spanish.shownLanguage, spanish.provenance], ['es', 'es', 'unverified']);
    const row = await storedRow(spanish.id);
    assert.deepEqual([row.language, row.shown_language, row.provenance], ['es', 'es', 'unverified']);

    // Days of drug use raise a bam_recent_use alert: it carries the provenance.
    const alerts = dataOf(await typedQuery(server.baseUrl, 'alerts.list', { clientId: 'prov-bam-lucia', status: 'all' }, clinician)).items;
    const alert = alerts.find((a) => a.checkInId === spanish.id);
    assert.ok(alert, 'an alert for the BAM with recent use');
    assert.deepEqual([alert.checkIn?.shownLanguage, alert.checkIn?.provenance], ['es', 'unverified']);

    const page = dataOf(await typedQuery(server.baseUrl, 'checkIn.list', { clientId: 'prov-bam-lucia' }, clinician));
    assert.deepEqual(page.items.find((c) => c.id === spanish.id)?.provenance, 'unverified');

    const report = dataOf(await typedQuery(server.baseUrl, 'outcomes.report', {}, clinician));
    const month = report.months.at(-1)!;
    const bamAll = await server.db.selectFrom('check_ins').select('id').where('clinic_id', '=', CLINIC_A).where('template_id', '=', 'bam').execute();
    const bamUnverified = await server.db.selectFrom('check_ins').select('id').where('clinic_id', '=', CLINIC_A).where('template_id', '=', 'bam').where('provenance', '=', 'unverified').execute();
    assert.equal(bamUnverified.length, 1);
    assert.equal(month.bam.scores, bamAll.length);
    assert.equal(month.bam.unverifiedTranslation, 1);
    const csv = await (await fetch(`${server.baseUrl}/reports/outcomes.csv`, { headers: { authorization: `Bearer ${clinician}` } })).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    const columns = header!.split(',');
    assert.ok(columns.includes('bam_unverified_translation'));
    assert.equal(rows.at(-1)!.split(',')[columns.indexOf('bam_unverified_translation')], '1');

    const fhir = await fetch(`${server.baseUrl}/fhir/R4/QuestionnaireResponse/${spanish.id}`, { headers: { authorization: `Bearer ${clinician}` } });
    assert.equal(fhir.status, 200);
    const qr = assertValidFhir((await fhir.json()) as fhir4.QuestionnaireResponse);
    assert.equal(qr.language, 'es');
    assert.deepEqual(qr.extension, [{ url: TRANSLATION_PROVENANCE, valueCode: 'unverified' }]);
  });
});
