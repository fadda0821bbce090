import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PREVIOUS_TEMPLATES, TEMPLATE_IDS, TEMPLATES } from '../../server/contract/index.js';
import { CARE_CODE_SYSTEM, LOINC, questionnaireId, questionnaireUrl } from '../../server/fhir/codes.js';
import { allQuestionnaires, ORDINAL_VALUE, templateOfCanonical } from '../../server/fhir/questionnaires.js';
import { BASE_LANGUAGE, TRANSLATED_LANGUAGES, translationLanguages } from '../../server/fhir/texts.js';
import { assertValidFhir } from './fhir-validate.js';
import { mintToken, startServer } from './helpers.js';

/** Every template version published: the current ones, then the earlier ones stored check-ins answer. */
const PUBLISHED = [...TEMPLATE_IDS.map((id) => TEMPLATES[id]), ...PREVIOUS_TEMPLATES];

const SHIPPED = readdirSync(new URL('../../locales', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== BASE_LANGUAGE)
  .map((entry) => entry.name);

function flatItems(items: fhir4.QuestionnaireItem[] | undefined): fhir4.QuestionnaireItem[] {
  return (items ?? []).flatMap((item) => [item, ...flatItems(item.item)]);
}

const itemOf = (q: fhir4.Questionnaire, linkId: string) => {
  const item = flatItems(q.item).find((i) => i.linkId === linkId);
  assert.ok(item, `${q.id} has item ${linkId}`);
  return item;
};

const codeOf = (item: fhir4.QuestionnaireItem) => `${item.code?.[0]?.system}|${item.code?.[0]?.code}`;

describe('templateOfCanonical', () => {
  it('round-trips every Questionnaire by url, url|version, Questionnaire/<id> and an absolute literal reference', () => {
    for (const q of allQuestionnaires()) {
      const expected = PUBLISHED.map(({ id, version }) => ({ templateId: id, version })).find((t) => questionnaireId(t.templateId, t.version) === q.id);
      assert.ok(expected, q.id);
      // The url alone names the current version.
      assert.deepEqual(templateOfCanonical(q.url!), { templateId: expected.templateId, version: TEMPLATES[expected.templateId].version });
      assert.deepEqual(templateOfCanonical(`${q.url}|${q.version}`), expected);
      assert.deepEqual(templateOfCanonical(`Questionnaire/${q.id}`), expected);
      assert.deepEqual(templateOfCanonical(`https://ehr.example/fhir/Questionnaire/${q.id}`), expected);
    }
  });

  it('answers undefined for anything else', () => {
    for (const ref of ['', 'phq9', `${questionnaireUrl('phq9')}|99`, 'https://example.org/Questionnaire/phq9', 'Questionnaire/phq9-v2', `${questionnaireUrl('phq9')}|1|1`]) {
      assert.equal(templateOfCanonical(ref), undefined, ref);
    }
  });
});

describe('allQuestionnaires', () => {
  it('shares frozen Questionnaires: editing one throws instead of changing what the server publishes', () => {
    const [first] = allQuestionnaires();
    assert.throws(() => {
      first!.item![0]!.text = 'edited';
    }, TypeError);
    allQuestionnaires().pop();
    assert.equal(allQuestionnaires().length, PUBLISHED.length);
  });
});

describe('FHIR conformance resources', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const get = async <T extends { resourceType: string }>(path: string, status = 200): Promise<T> => {
    const res = await fetch(`${server.baseUrl}/fhir/R4${path}`);
    assert.equal(res.status, status, path);
    assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+json/);
    return assertValidFhir((await res.json()) as T);
  };
  const questionnaire = (templateId: string) => get<fhir4.Questionnaire>(`/Questionnaire/${templateId}-v1`);
  let codeSystem: fhir4.CodeSystem;

  before(async () => {
    server = await startServer();
    codeSystem = await get<fhir4.CodeSystem>('/CodeSystem/care-widgets');
  });
  after(() => server.stop());

  it('ships one Questionnaire per template version, each valid R4 with a stable url and version', async () => {
    assert.equal(allQuestionnaires().length, PUBLISHED.length);
    for (const template of PUBLISHED) {
      const { version, id: templateId } = template;
      const q = await get<fhir4.Questionnaire>(`/Questionnaire/${questionnaireId(templateId, version)}`);
      assert.equal(q.url, `https://care-widgets.org/fhir/Questionnaire/${templateId}`);
      assert.equal(q.version, String(version));
      assert.equal(q.status, 'active');
      const questions = flatItems(q.item).filter((i) => i.type !== 'display' && i.type !== 'group' && i.linkId !== 'total');
      assert.deepEqual(
        questions.map((i) => i.linkId),
        template.questions.map((question) => question.id),
      );
      for (const question of template.questions) assert.equal(itemOf(q, question.id).required, question.required, question.id);
    }
  });

  it('codes PHQ-9 with LOINC: panel, items, frequency answers with ordinal scores, difficulty answers and the total', async () => {
    const q = await questionnaire('phq9');
    assert.deepEqual(q.code?.map((c) => `${c.system}|${c.code}`), [`${LOINC}|44249-1`]);
    const itemCodes = ['44250-9', '44255-8', '44259-0', '44254-1', '44251-7', '44258-2', '44252-5', '44253-3', '44260-8'];
    itemCodes.forEach((code, i) => {
      const item = itemOf(q, `q${i + 1}`);
      assert.equal(codeOf(item), `${LOINC}|${code}`);
      assert.equal(item.type, 'choice');
      assert.deepEqual(
        item.answerOption?.map((o) => [o.valueCoding?.system, o.valueCoding?.code, o.valueCoding?.extension?.find((e) => e.url === ORDINAL_VALUE)?.valueDecimal]),
        [
          [LOINC, 'LA6568-5', 0],
          [LOINC, 'LA6569-3', 1],
          [LOINC, 'LA6570-1', 2],
          [LOINC, 'LA6571-9', 3],
        ],
      );
      assert.deepEqual(
        item.answerOption?.map((o) => o.extension?.find((e) => e.url === ORDINAL_VALUE)?.valueDecimal),
        [0, 1, 2, 3],
      );
    });
    const difficulty = itemOf(q, 'difficulty');
    assert.equal(codeOf(difficulty), `${LOINC}|69722-7`);
    assert.deepEqual(
      difficulty.answerOption?.map((o) => o.valueCoding?.code),
      ['LA6572-7', 'LA6573-5', 'LA6575-0', 'LA6574-3'],
    );
    const total = itemOf(q, 'total');
    assert.equal(codeOf(total), `${LOINC}|44261-6`);
    assert.equal(total.type, 'integer');
    assert.equal(total.readOnly, true);
  });

  it('codes GAD-7 with LOINC: panel, items, answers and the total', async () => {
    const q = await questionnaire('gad7');
    assert.deepEqual(q.code?.map((c) => `${c.system}|${c.code}`), [`${LOINC}|69737-5`]);
    const itemCodes = ['69725-0', '68509-9', '69733-4', '69734-2', '69735-9', '69689-8', '69736-7'];
    itemCodes.forEach((code, i) => {
      const item = itemOf(q, `q${i + 1}`);
      assert.equal(codeOf(item), `${LOINC}|${code}`);
      assert.deepEqual(
        item.answerOption?.map((o) => o.valueCoding?.code),
        ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'],
      );
    });
    assert.equal(codeOf(itemOf(q, 'difficulty')), `${LOINC}|69726-8`);
    const total = itemOf(q, 'total');
    assert.equal(codeOf(total), `${LOINC}|70274-6`);
    assert.equal(total.readOnly, true);
  });

  it('types the other items by kind: integer/decimal with bounds and unit, choice, multi, text with maxLength', async () => {
    const daily = await questionnaire('daily');
    const mood = itemOf(daily, 'mood');
    assert.equal(mood.type, 'integer');
    assert.equal(codeOf(mood), `${CARE_CODE_SYSTEM}|daily-mood`);
    assert.deepEqual(
      mood.extension?.filter((e) => e.valueInteger !== undefined).map((e) => [e.url.split('/').pop(), e.valueInteger]),
      [
        ['minValue', 0],
        ['maxValue', 10],
      ],
    );
    const sleep = itemOf(daily, 'sleepHours');
    assert.equal(sleep.type, 'decimal');
    assert.equal(codeOf(sleep), `${LOINC}|93832-4`);
    assert.equal(sleep.extension?.find((e) => e.url.endsWith('questionnaire-unit'))?.valueCoding?.code, 'h');
    assert.deepEqual(
      itemOf(daily, 'medication').answerOption?.map((o) => o.valueCoding?.code),
      ['daily-medication-yes', 'daily-medication-no', 'daily-medication-not_prescribed'],
    );
    assert.equal(itemOf(daily, 'warningSigns').repeats, true);
    assert.equal(itemOf(daily, 'note').type, 'text');
    assert.equal(itemOf(daily, 'note').maxLength, 2000);
    const bam = await questionnaire('bam');
    assert.equal(itemOf(bam, 'q2').type, 'integer');
    assert.deepEqual(
      itemOf(bam, 'q1').answerOption?.map((o) => [o.valueCoding?.code, o.valueCoding?.extension?.[0]?.valueDecimal]),
      [0, 1, 2, 3, 4].map((v) => [`bam-q1-${v}`, v]),
    );
    const feedback = await questionnaire('feedback');
    assert.deepEqual(
      itemOf(feedback, 'satisfaction').answerOption?.map((o) => o.valueCoding?.code),
      [1, 2, 3, 4, 5].map((v) => `feedback-satisfaction-${v}`),
    );
  });

  it('carries every shipped language as a translation on every title, item text and answer display', async () => {
    assert.deepEqual([...SHIPPED].sort(), [...TRANSLATED_LANGUAGES].sort());
    for (const templateId of TEMPLATE_IDS) {
      const q = await questionnaire(templateId);
      assert.deepEqual(translationLanguages(q._title).sort(), [...SHIPPED].sort(), `${templateId} title`);
      for (const item of flatItems(q.item)) {
        // The total has no wording in the locale files yet: English only (see questionnaires.ts).
        if (item.linkId === 'total') continue;
        assert.deepEqual(translationLanguages(item._text).sort(), [...SHIPPED].sort(), `${templateId} ${item.linkId}`);
        for (const option of item.answerOption ?? []) {
          assert.deepEqual(translationLanguages(option.valueCoding?._display).sort(), [...SHIPPED].sort(), `${templateId} ${item.linkId} ${option.valueCoding?.code}`);
        }
      }
    }
    const phq9 = await questionnaire('phq9');
    const spanish = itemOf(phq9, 'q1')._text?.extension?.find((e) => e.extension?.some((s) => s.valueCode === 'es'));
    assert.ok(spanish?.extension?.find((s) => s.url === 'content')?.valueString);
  });

  it('publishes our CodeSystem with every code of ours the Questionnaires use', async () => {
    assert.equal(codeSystem.url, CARE_CODE_SYSTEM);
    assert.equal(codeSystem.content, 'complete');
    const defined = new Set(codeSystem.concept?.map((c) => c.code));
    assert.equal(defined.size, codeSystem.concept?.length);
    assert.ok(defined.has('daily-mood') && defined.has('daily-craving'));
    const used: string[] = [];
    for (const templateId of TEMPLATE_IDS) {
      const q = await questionnaire(templateId);
      const codings = [...(q.code ?? []), ...flatItems(q.item).flatMap((i) => [...(i.code ?? []), ...(i.answerOption ?? []).flatMap((o) => (o.valueCoding ? [o.valueCoding] : []))])];
      for (const c of codings) {
        assert.ok(c.system === LOINC || c.system === CARE_CODE_SYSTEM, `${templateId}: ${c.system}`);
        if (c.system === CARE_CODE_SYSTEM) used.push(c.code!);
      }
    }
    for (const code of used) assert.ok(defined.has(code), `CodeSystem defines ${code}`);
    for (const code of ['bam', 'bam-q1', 'bam-q1-4', 'daily-warningSigns-stress', 'feedback-barriers-other']) assert.ok(used.includes(code), code);
  });

  it('states its capabilities truthfully: R4, JSON, SMART security, the supported interactions and the clinic export', async () => {
    const cs = await get<fhir4.CapabilityStatement>('/metadata');
    assert.equal(cs.fhirVersion, '4.0.1');
    assert.equal(cs.kind, 'instance');
    assert.deepEqual(cs.format, ['json']);
    assert.ok(cs.software?.version);
    const rest = cs.rest?.[0];
    assert.equal(rest?.security?.service?.[0]?.coding?.[0]?.code, 'SMART-on-FHIR');
    const oauth = rest?.security?.extension?.find((e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    assert.equal(oauth?.extension?.find((e) => e.url === 'token')?.valueUri, `${server.baseUrl}/fhir/R4/auth/token`);
    const byType = new Map(rest?.resource?.map((r) => [r.type, r]));
    const interactions = (type: string) => byType.get(type)?.interaction?.map((i) => i.code);
    const params = (type: string) => byType.get(type)?.searchParam?.map((p) => p.name);
    assert.deepEqual(interactions('Questionnaire'), ['read', 'search-type']);
    assert.deepEqual(params('Questionnaire'), ['url', 'code', 'status', '_count', '_offset']);
    assert.deepEqual(interactions('QuestionnaireResponse'), ['read', 'search-type', 'create']);
    assert.deepEqual(params('Observation'), ['patient', 'subject', 'code', 'date', 'category', '_count', '_sort', '_cursor']);
    assert.deepEqual(byType.get('Patient')?.operation?.map((o) => o.name), ['everything']);
    assert.deepEqual(byType.get('Group')?.operation?.map((o) => o.name), ['export']);
    // Every search parameter it declares is one the server takes (a value may still be refused, the name never).
    const staff = await mintToken({ sub: 'capability-check', role: 'admin' });
    for (const resource of rest?.resource ?? []) {
      for (const param of resource.searchParam ?? []) {
        const res = await fetch(`${server.baseUrl}/fhir/R4/${resource.type}?${param.name}=x`, { headers: { authorization: `Bearer ${staff}` } });
        const body = (await res.json()) as fhir4.OperationOutcome | fhir4.Bundle;
        const diagnostics = body.resourceType === 'OperationOutcome' ? (body.issue[0]?.diagnostics ?? '') : '';
        assert.doesNotMatch(diagnostics, /not (a search parameter this server supports|supported here)/, `${resource.type}?${param.name}`);
      }
    }
  });

  it('searches Questionnaires by url, code (system|code and bare), status and pages with _count', async () => {
    const ids = (b: fhir4.Bundle) => b.entry?.map((e) => e.resource?.id) ?? [];
    const search = async (query: string) => {
      const bundle = await get<fhir4.Bundle>(`/Questionnaire${query}`);
      assert.equal(bundle.type, 'searchset');
      for (const entry of bundle.entry ?? []) {
        assert.equal(entry.search?.mode, 'match');
        assert.equal(entry.fullUrl, `${server.baseUrl}/fhir/R4/Questionnaire/${entry.resource?.id}`);
      }
      assert.equal(bundle.link?.find((l) => l.relation === 'self')?.url.startsWith(`${server.baseUrl}/fhir/R4/Questionnaire`), true);
      return bundle;
    };
    const all = await search('');
    assert.equal(all.total, PUBLISHED.length);
    assert.deepEqual(ids(await search(`?url=${encodeURIComponent(questionnaireUrl('gad7'))}`)), ['gad7-v1']);
    assert.deepEqual(ids(await search(`?code=${encodeURIComponent('http://loinc.org|44249-1')}`)), ['phq9-v1']);
    assert.deepEqual(ids(await search('?code=44249-1')), ['phq9-v1']);
    assert.deepEqual(ids(await search('?code=44249-1,69737-5')), ['phq9-v1', 'gad7-v1']);
    assert.deepEqual(ids(await search(`?code=${encodeURIComponent('http://loinc.org|44261-6')}`)), ['phq9-v1']);
    assert.deepEqual(ids(await search(`?code=${encodeURIComponent(`${CARE_CODE_SYSTEM}|bam`)}`)), ['bam-v3', 'bam-v2', 'bam-v1']);
    assert.deepEqual(ids(await search('?code=44249-1&code=69737-5')), []);
    assert.equal((await search('?status=active')).total, PUBLISHED.length);
    assert.equal((await search('?status=retired')).total, 0);
    const page = await search('?_count=2');
    assert.equal(page.total, PUBLISHED.length);
    assert.equal(page.entry?.length, 2);
    const next = page.link?.find((l) => l.relation === 'next')?.url;
    assert.ok(next);
    const second = assertValidFhir((await (await fetch(next)).json()) as fhir4.Bundle);
    assert.deepEqual(ids(second), ids(all).slice(2, 4));
  });

  it('searches CodeSystems by url', async () => {
    const found = await get<fhir4.Bundle>(`/CodeSystem?url=${encodeURIComponent(CARE_CODE_SYSTEM)}`);
    assert.deepEqual(found.entry?.map((e) => e.resource?.id), ['care-widgets']);
    assert.equal((await get<fhir4.Bundle>('/CodeSystem?url=http://example.org/cs')).total, 0);
  });

  it('refuses an unknown or invalid search parameter with 400 naming it', async () => {
    for (const [query, name] of [
      ['/Questionnaire?title=PHQ', 'title'],
      ['/Questionnaire?status=published', 'status'],
      ['/Questionnaire?_count=-1', '_count'],
      ['/Questionnaire?code=', 'code'],
      ['/Questionnaire?url:below=https://care-widgets.org', 'url:below'],
      ['/Questionnaire?_format=xml', '_format'],
      ['/CodeSystem?code=x', 'code'],
    ] as const) {
      const outcome = await get<fhir4.OperationOutcome>(query, 400);
      assert.equal(outcome.issue[0]?.code, 'invalid', query);
      assert.deepEqual(outcome.issue[0]?.expression, [name], query);
      assert.match(outcome.issue[0]?.diagnostics ?? '', new RegExp(name.replace(/[:_]/g, '.')), query);
    }
  });

  it('answers an unknown id with 404 OperationOutcome', async () => {
    for (const path of ['/Questionnaire/phq9-v99', '/Questionnaire/nope', '/CodeSystem/loinc']) {
      const outcome = await get<fhir4.OperationOutcome>(path, 404);
      assert.equal(outcome.issue[0]?.code, 'not-found', path);
    }
  });
});
