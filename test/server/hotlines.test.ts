import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CrisisResources } from '../../server/contract/index.js';
import { CRISIS_LINES, INTERNATIONAL_DIRECTORY, regionFor } from '../../server/contract/hotlines.js';
import { dataOf, mintToken, query, startServer, type TestServer } from './helpers.js';

let server: TestServer;
let token: string;
before(async () => {
  server = await startServer();
  token = await mintToken({ sub: 'hotline-reader', role: 'client' });
});
after(() => server.stop());

const resources = async (input: { locale?: string; region?: string }) =>
  dataOf(await query<CrisisResources>(server.baseUrl, 'crisis.resources', input, token));

describe('crisis lines for the regions of the new languages', () => {
  test('every entry, old and new, has a source and a lastChecked date, and every region an emergency number', () => {
    for (const [code, info] of Object.entries(CRISIS_LINES)) {
      assert.equal(info.region, code);
      assert.match(info.emergency, /^\d{3}$/, code);
      for (const line of info.lines) {
        assert.ok(line.source.length > 0, `${code} ${line.name} source`);
        assert.match(line.lastChecked, /^\d{4}-\d{2}-\d{2}$/, `${code} ${line.name} lastChecked`);
        assert.ok(line.call ?? line.text ?? line.chat, `${code} ${line.name} can be reached`);
        assert.ok(line.hours && line.languages.length > 0, `${code} ${line.name}`);
      }
      // Either lines, or (said plainly) none known with the international directory.
      assert.ok(info.lines.length > 0 || info.directory === INTERNATIONAL_DIRECTORY, code);
    }
  });

  test('crisis.resources over HTTP answers each new region with its national line and emergency number', async () => {
    const cases: [string, string, string, string][] = [
      ['pt-BR', 'BR', '188', '192'],
      ['ko', 'KR', '109', '119'],
      ['zh-Hant', 'TW', '1925', '119'],
      ['zh-Hant-HK', 'HK', '28960000', '999'],
      ['en', 'HK', '28960000', '999'],
      ['tl', 'PH', '1553', '911'],
    ];
    for (const [locale, region, call, emergency] of cases) {
      const r = await resources({ locale, region });
      assert.equal(r.region, region, locale);
      assert.equal(r.lines[0]?.call, call, `${locale} ${region}`);
      assert.equal(r.emergency, emergency, region);
      assert.equal(r.directory, undefined, region);
    }
    // Hong Kong in Chinese: both lines, the Cantonese one among them.
    const hk = await resources({ locale: 'zh-Hant', region: 'HK' });
    assert.deepEqual(hk.lines.map((l) => l.call).sort(), ['23892222', '28960000']);
  });

  test('where no national line is known (Vietnam, Russia, Haiti) the answer has no lines, the emergency number and the directory', async () => {
    for (const [region, emergency] of [['VN', '115'], ['RU', '112'], ['HT', '116']] as const) {
      const r = await resources({ region });
      assert.deepEqual(r.lines, [], region);
      assert.equal(r.emergency, emergency, region);
      assert.equal(r.directory, INTERNATIONAL_DIRECTORY, region);
    }
  });

  test('a language without a configured region maps to its usual country, but a US clinic keeps its US lines', () => {
    assert.equal(regionFor('vi'), 'VN');
    assert.equal(regionFor('ko'), 'KR');
    assert.equal(regionFor('tl'), 'PH');
    assert.equal(regionFor('ru'), 'RU');
    assert.equal(regionFor('pt-BR'), 'BR');
    assert.equal(regionFor('ht'), 'HT');
    assert.equal(regionFor('zh-Hant'), 'TW');
    assert.equal(regionFor('zh-Hant-HK'), 'HK');
    assert.equal(regionFor('vi', 'US'), 'US');
  });

  test('988 for US clients carries its menu: 1 Veterans Crisis Line, 2 Spanish, Spanish first for Spanish readers', async () => {
    const r = await resources({ locale: 'es-US' });
    assert.equal(r.region, 'US');
    const lifeline = r.lines.find((l) => l.call === '988');
    assert.deepEqual(
      lifeline?.options?.map((o) => [o.press, o.for]),
      [
        ['1', 'veterans'],
        ['2', 'spanish'],
      ],
    );
    assert.ok(lifeline?.options?.find((o) => o.for === 'spanish')?.languages.includes('es'));
    // A Vietnamese speaker at this US clinic (no region of their own) still gets the US lines.
    assert.equal((await resources({ locale: 'vi' })).region, 'US');
  });
});
