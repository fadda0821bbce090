import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GroupSummary } from '../../server/contract/index.js';
import { dataOf, errorOf, groupInput, mintToken, mutate, startServer, type TestServer } from './helpers.js';

/** Issue 13: concurrent guideline edits must not share a version or lose an edit silently. */

let server: TestServer;
let admin: string;
let moderator: string;

before(async () => {
  server = await startServer();
  admin = await mintToken({ sub: 'admin', role: 'admin', name: 'Ada Admin' });
  moderator = await mintToken({ sub: 'rivera', role: 'clinician', name: 'Ana Rivera' });
});
after(async () => {
  await server.stop();
});

async function createGroup(): Promise<GroupSummary> {
  return dataOf(
    await mutate<GroupSummary>(
      server.baseUrl,
      'groups.create',
      groupInput({ name: 'Edited circle', guidelines: { en: 'Original rules' }, moderatorIds: ['rivera'] }),
      admin,
    ),
  );
}

async function storedGuidelines(groupId: string): Promise<{ version: number; text: string }> {
  const row = await server.db.selectFrom('groups').select(['guidelines', 'guidelines_version']).where('id', '=', groupId).executeTakeFirstOrThrow();
  return { version: Number(row.guidelines_version), text: (JSON.parse(row.guidelines) as Record<string, string>).en! };
}

test('ten concurrent guideline edits: each version has one text, and the edits that lose the race get 409 with nothing of theirs stored', async () => {
  const group = await createGroup();
  const texts = Array.from({ length: 10 }, (_, i) => `Rules, edit ${i}`);
  const answers = await Promise.all(
    texts.map((text) => mutate<{ version: number }>(server.baseUrl, 'groups.setGuidelines', { groupId: group.id, guidelines: { en: text } }, moderator)),
  );

  const won = answers.flatMap((res, i) => (res.status === 200 ? [{ version: dataOf(res).version, text: texts[i]! }] : []));
  const lost = answers.filter((res) => res.status !== 200);
  for (const res of lost) {
    assert.equal(res.status, 409, res.text);
    assert.equal(errorOf(res).data.code, 'CONFLICT');
  }
  assert.ok(won.length >= 1, 'at least one edit is stored');
  const versions = won.map((w) => w.version).sort((a, b) => a - b);
  assert.deepEqual(versions, Array.from({ length: won.length }, (_, i) => i + 2), 'distinct, consecutive versions after 1');

  const stored = await storedGuidelines(group.id);
  const newest = won.find((w) => w.version === versions[versions.length - 1])!;
  assert.deepEqual(stored, newest, 'the stored text is the one answered with the stored version');

  // Nothing is left half-done: the next edit takes the next version.
  const next = dataOf(await mutate<{ version: number }>(server.baseUrl, 'groups.setGuidelines', { groupId: group.id, guidelines: { en: 'Calm edit' } }, moderator));
  assert.equal(next.version, stored.version + 1);
  assert.deepEqual(await storedGuidelines(group.id), { version: next.version, text: 'Calm edit' });
});
