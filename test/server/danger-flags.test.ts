import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DANGER_FLAGS_PER_HOUR, type AlertPage, type BoardPost, type DangerNotices, type GroupSession, type GroupSummary, type JoinResult } from '../../server/contract/index.js';
import { exportPerson } from '../../server/domain/person-export.js';
import { erasePerson } from '../../server/domain/person-erase.js';
import { resumePendingDeliveries } from '../../server/domain/webhook.js';
import pino from 'pino';
import { pseudonym, pseudonymKey } from '../../server/video/tokens.js';
import { resolveForGroups } from '../../server/video/providers.js';
import { CLINIC_A, CLINIC_B, dataOf, errorOf, groupInput, mintToken, mutate, query, startServer, type TestServer, type TrpcResponse } from './helpers.js';

/**
 * "May be in danger" flags over HTTP (issue 19, item 3): the care team's urgent alert names the
 * person, moderators see the alias only, the flagged person gets a private notice, never who
 * flagged; refusals store nothing; flags are rate-limited and audited. Runs on SQLite, or on
 * PostgreSQL with CARE_TEST_POSTGRES_URL.
 */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
function openNow(): GroupSession[] {
  const start = new Date(Date.now() - 5 * 60_000);
  return [{ day: WEEKDAYS[start.getUTCDay()]!, start: `${String(start.getUTCHours()).padStart(2, '0')}:${String(start.getUTCMinutes()).padStart(2, '0')}`, minutes: 120 }];
}

const PEOPLE = {
  admin: { role: 'admin', name: 'Ada Admin' },
  rivera: { role: 'clinician', name: 'Ana Rivera' },
  other: { role: 'clinician', name: 'Otto Other' },
  alice: { role: 'client', name: 'Alice Realname' },
  bob: { role: 'client', name: 'Bob Realname' },
  carol: { role: 'client', name: 'Carol Realname' },
  dave: { role: 'client', name: 'Dave Realname' },
} as const;
type Person = keyof typeof PEOPLE | 'bClinician' | 'bClient';

let server: TestServer;
const tokens = {} as Record<Person, string>;
const q = <T>(path: string, input: unknown, who: Person) => query<T>(server.baseUrl, path, input, tokens[who]);
const m = <T>(path: string, input: unknown, who: Person) => mutate<T>(server.baseUrl, path, input, tokens[who]);

/** Receives the clinic's on-call webhook. */
let receiver: Server;
const received: { event: string | undefined; body: Record<string, unknown> }[] = [];

before(async () => {
  server = await startServer();
  for (const [sub, p] of Object.entries(PEOPLE)) tokens[sub as Person] = await mintToken({ sub, role: p.role, name: p.name });
  tokens.bClinician = await mintToken({ sub: 'b-clinician', role: 'clinician', clinic: CLINIC_B });
  tokens.bClient = await mintToken({ sub: 'alice', role: 'client', clinic: CLINIC_B });
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({ event: req.headers['x-care-event'] as string | undefined, body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/page`;
  await server.db.updateTable('clinics').set({ crisis_webhook_url: url, crisis_webhook_secret: 'whsec-danger-flags-0123456789' }).where('id', '=', CLINIC_A).execute();
});
after(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

/** A group moderated by Ana Rivera with the given members, each with an alias and the guidelines accepted. */
async function groupWith(name: string, members: Partial<Record<Person, string>>): Promise<GroupSummary> {
  const group = dataOf(await m<GroupSummary>('groups.create', groupInput({ name, schedule: openNow(), capacity: 50, moderatorIds: ['rivera'] }), 'admin'));
  for (const [who, alias] of Object.entries(members) as [Person, string][]) {
    dataOf(await m('groups.addMember', { groupId: group.id, userId: who }, 'rivera'));
    dataOf(await m('groups.acceptGuidelines', { groupId: group.id, version: 1 }, who));
    dataOf(await m('groups.setAlias', { groupId: group.id, mode: 'alias', alias }, who));
  }
  return group;
}

const counts = async () => ({
  flags: Number((await server.db.selectFrom('danger_flags').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  alerts: Number((await server.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
});

function refused(res: TrpcResponse, status: number, field?: string): void {
  assert.equal(res.status, status, res.text.slice(0, 300));
  if (field) assert.match(errorOf(res).message, new RegExp(field));
}

async function waitFor<T>(check: () => T | undefined, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a member flags a post as "may be in danger"', () => {
  let group: GroupSummary;
  let post: BoardPost;
  before(async () => {
    group = await groupWith('Flag a post group', { alice: 'Sunny', bob: 'River' });
    post = dataOf(await m<BoardPost>('groups.post', { groupId: group.id, body: 'I do not see the point any more' }, 'bob'));
  });

  test('the care team gets an urgent alert naming the person, with the alias, the note and the post', async () => {
    const res = await m<{ flagged: true; label: string; via: string }>('groups.flagDanger', { groupId: group.id, postId: post.id, note: '  Sounded hopeless last night  ' }, 'alice');
    assert.deepEqual(dataOf(res), { flagged: true, label: 'River', via: 'post' });
    const page = dataOf(await q<AlertPage>('alerts.list', { status: 'open' }, 'rivera'));
    const alert = page.items.find((a) => a.source === 'danger_flag' && a.clientId === 'bob');
    assert.ok(alert, 'an open danger_flag alert for bob');
    assert.equal(alert.level, 'urgent');
    assert.equal(alert.clientName, 'Bob Realname');
    assert.deepEqual(alert.dangerFlag, { groupId: group.id, groupName: 'Flag a post group', via: 'post', label: 'River', note: 'Sounded hopeless last night', postExcerpt: 'I do not see the point any more' });
    // Never who flagged.
    assert.doesNotMatch(JSON.stringify(alert), /alice|Sunny/i);
    // The clinic's on-call system is paged with ids only.
    const page0 = await waitFor(() => received.find((r) => r.body.alertId === alert.id));
    assert.equal(page0.event, 'crisis.alert');
    assert.equal(page0.body.source, 'danger_flag');
    assert.equal(page0.body.clientId, 'bob');
    assert.doesNotMatch(JSON.stringify(page0.body), /hopeless|alice/);
  });

  test('another clinic never sees the alert, and its people cannot flag in this group', async () => {
    const other = dataOf(await q<AlertPage>('alerts.list', { status: 'all' }, 'bClinician'));
    assert.equal(other.items.filter((a) => a.source === 'danger_flag').length, 0);
    const before = await counts();
    refused(await m('groups.flagDanger', { groupId: group.id, postId: post.id }, 'bClient'), 404);
    assert.deepEqual(await counts(), before);
  });

  test('moderators see a notice naming the alias only; members see none', async () => {
    const mod = dataOf(await q<DangerNotices>('groups.dangerNotices', { groupId: group.id }, 'rivera'));
    assert.equal(mod.moderation.length, 1);
    assert.equal(mod.moderation[0]!.label, 'River');
    assert.equal(mod.moderation[0]!.via, 'post');
    assert.doesNotMatch(JSON.stringify(mod), /bob|Bob Realname|alice|Sunny|hopeless/i);
    const member = dataOf(await q<DangerNotices>('groups.dangerNotices', { groupId: group.id }, 'alice'));
    assert.deepEqual(member, { mine: null, moderation: [] });
  });

  test('the flagged person gets a private notice (not who flagged) until they dismiss it', async () => {
    const mine = dataOf(await q<DangerNotices>('groups.dangerNotices', { groupId: group.id }, 'bob'));
    assert.ok(mine.mine);
    assert.deepEqual(Object.keys(mine.mine), ['flaggedAt']);
    assert.deepEqual(mine.moderation, []);
    assert.deepEqual(dataOf(await m('groups.dismissDangerNotice', { groupId: group.id }, 'bob')), { dismissed: 1 });
    assert.equal(dataOf(await q<DangerNotices>('groups.dangerNotices', { groupId: group.id }, 'bob')).mine, null);
    // The care team's alert stays.
    const page = dataOf(await q<AlertPage>('alerts.list', { status: 'open' }, 'rivera'));
    assert.ok(page.items.some((a) => a.source === 'danger_flag' && a.clientId === 'bob'));
  });

  test('the flag is audited (flagger and flagged), and the flagged person\'s export does not name the flagger', async () => {
    const rows = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'groups.flagDanger').where('subject_id', '=', 'bob').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_id, 'alice');
    const bobs = await exportPerson(server.db, CLINIC_A, 'bob');
    assert.equal(bobs.groups.dangerFlagsAboutThem.length, 1);
    assert.doesNotMatch(JSON.stringify(bobs), /"alice"|hopeless/);
    const alices = await exportPerson(server.db, CLINIC_A, 'alice');
    assert.equal(alices.groups.dangerFlagsMade[0]!.note, 'Sounded hopeless last night');
  });
});

describe('flagging a participant of the live room', () => {
  test('by the pseudonymous participant id the room token carries, or by alias', async () => {
    const group = await groupWith('Flag in the room group', { carol: 'Willow', dave: 'Oak' });
    dataOf(await m('groups.setVideoConfig', { groupId: group.id, provider: 'self-hosted', domain: 'meet.clinic-a.example', appId: 'care', appSecret: 'a-self-hosted-secret-that-is-long-enough-0123' }, 'admin'));
    const joined = dataOf(await m<JoinResult>('groups.join', { groupId: group.id }, 'dave'));
    assert.ok(joined.jwt);
    const video = (await resolveForGroups(server.db, CLINIC_A, [group.id], false)).get(group.id)!;
    const daveId = pseudonym(pseudonymKey(video.row, CLINIC_A), CLINIC_A, group.id, 'dave');
    const claims = JSON.parse(Buffer.from(joined.jwt.split('.')[1]!, 'base64url').toString()) as { context: { user: { id: string } } };
    assert.equal(claims.context.user.id, daveId, 'the id in the room token');
    assert.deepEqual(dataOf(await m('groups.flagDanger', { groupId: group.id, participantId: daveId }, 'carol')), { flagged: true, label: 'Oak', via: 'participant' });
    assert.deepEqual(dataOf(await m('groups.flagDanger', { groupId: group.id, participantAlias: '  willow ' }, 'rivera')), { flagged: true, label: 'Willow', via: 'participant' });
    const page = dataOf(await q<AlertPage>('alerts.list', { status: 'open' }, 'rivera'));
    assert.ok(page.items.some((a) => a.source === 'danger_flag' && a.clientId === 'dave' && a.dangerFlag?.via === 'participant'));
    assert.ok(page.items.some((a) => a.source === 'danger_flag' && a.clientId === 'carol'));
  });
});

describe('refusals store nothing and are never a 500', () => {
  let group: GroupSummary;
  let hidden: BoardPost;
  let mine: BoardPost;
  before(async () => {
    group = await groupWith('Refusals group', { alice: 'Maple', bob: 'Birch' });
    mine = dataOf(await m<BoardPost>('groups.post', { groupId: group.id, body: 'My own post' }, 'alice'));
    hidden = dataOf(await m<BoardPost>('groups.post', { groupId: group.id, body: 'A post to hide' }, 'bob'));
    dataOf(await m('groups.hide', { postId: hidden.id, reason: 'Off topic' }, 'rivera'));
  });

  const cases: [string, () => Record<string, unknown>, Person, number, string | undefined][] = [
    ['no target', () => ({ groupId: group.id }), 'alice', 400, 'postId'],
    ['two targets', () => ({ groupId: group.id, postId: hidden.id, participantAlias: 'Birch' }), 'alice', 400, 'participantAlias'],
    ['yourself by post', () => ({ groupId: group.id, postId: mine.id }), 'alice', 400, 'postId'],
    ['yourself by alias', () => ({ groupId: group.id, participantAlias: 'Maple' }), 'alice', 400, 'participantAlias'],
    ['a hidden post a member cannot see', () => ({ groupId: group.id, postId: hidden.id }), 'alice', 404, undefined],
    ['an unknown post', () => ({ groupId: group.id, postId: 'no-such-post' }), 'alice', 404, undefined],
    ['an unknown alias', () => ({ groupId: group.id, participantAlias: 'Nobody here' }), 'alice', 404, undefined],
    ['an unknown participant id', () => ({ groupId: group.id, participantId: 'AAAAAAAAAAAAAAAAAAAAAA' }), 'alice', 404, undefined],
    ['a note too long', () => ({ groupId: group.id, participantAlias: 'Birch', note: 'x'.repeat(281) }), 'alice', 400, 'note'],
    ['an unknown key', () => ({ groupId: group.id, participantAlias: 'Birch', flaggerId: 'x' }), 'alice', 400, undefined],
    ['a group id of the wrong type', () => ({ groupId: 42, participantAlias: 'Birch' }), 'alice', 400, 'groupId'],
    ['a group the caller is not in', () => ({ groupId: group.id, participantAlias: 'Birch' }), 'carol', 404, undefined],
    ['staff', () => ({ groupId: group.id, participantAlias: 'Moderator' }), 'alice', 400, 'participantAlias'],
    ['a clinician who does not moderate the group', () => ({ groupId: group.id, participantAlias: 'Birch' }), 'other', 403, undefined],
  ];
  for (const [name, input, who, status, field] of cases) {
    test(`${name}: ${status}${field ? ` naming ${field}` : ''}`, async () => {
      const before = await counts();
      refused(await m('groups.flagDanger', input(), who), status, field);
      assert.deepEqual(await counts(), before);
    });
  }

  test('a member who has not accepted the current guidelines is asked to first (412)', async () => {
    dataOf(await m('groups.addMember', { groupId: group.id, userId: 'dave' }, 'rivera'));
    const before = await counts();
    refused(await m('groups.flagDanger', { groupId: group.id, participantAlias: 'Birch' }, 'dave'), 412);
    assert.deepEqual(await counts(), before);
  });
});

describe('rate limit', () => {
  test(`a person can flag ${DANGER_FLAGS_PER_HOUR} times an hour; the next is a 429 that stores nothing`, async () => {
    const group = await groupWith('Rate limit group', { carol: 'Fern', dave: 'Moss', bob: 'Reed' });
    // Carol already flagged once above; count from what is stored.
    const already = Number(
      (await server.db.selectFrom('danger_flags').select((eb) => eb.fn.countAll<number>().as('n')).where('flagger_id', '=', 'carol').executeTakeFirstOrThrow()).n,
    );
    for (let i = already; i < DANGER_FLAGS_PER_HOUR; i++) dataOf(await m('groups.flagDanger', { groupId: group.id, participantAlias: i % 2 ? 'Moss' : 'Reed' }, 'carol'));
    const before = await counts();
    const res = await m('groups.flagDanger', { groupId: group.id, participantAlias: 'Moss' }, 'carol');
    refused(res, 429);
    assert.equal(errorOf(res).data.code, 'TOO_MANY_REQUESTS');
    assert.deepEqual(await counts(), before);
    // Someone else may still flag.
    dataOf(await m('groups.flagDanger', { groupId: group.id, participantAlias: 'Moss' }, 'bob'));
  });
});

describe('paging the on-call system survives a restart', () => {
  test('a flag is marked delivered once paged, and a page a stopped server left pending is sent by the next one', async () => {
    const group = await groupWith('Restart group', { alice: 'Birch', carol: 'Willow' });
    dataOf(await m('groups.flagDanger', { groupId: group.id, participantAlias: 'Willow' }, 'alice'));
    const row = await server.db.selectFrom('danger_flags').select(['alert_id', 'webhook_status']).where('group_id', '=', group.id).executeTakeFirstOrThrow();
    await waitFor(() => received.find((r) => r.body.alertId === row.alert_id));
    await server.services.webhooks.settled();
    const status = async () => (await server.db.selectFrom('danger_flags').select('webhook_status').where('alert_id', '=', row.alert_id).executeTakeFirstOrThrow()).webhook_status;
    assert.equal(await status(), 'delivered');
    // As if the server had stopped mid-retry an hour ago: the page is still pending.
    await server.db
      .updateTable('danger_flags')
      .set({ webhook_status: 'pending', created_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('alert_id', '=', row.alert_id)
      .execute();
    received.length = 0;
    assert.ok((await resumePendingDeliveries(server.db, pino({ level: 'silent' }), server.services.webhooks)) >= 1);
    const page = await waitFor(() => received.find((r) => r.body.alertId === row.alert_id));
    assert.equal(page.event, 'crisis.alert');
    assert.equal(page.body.source, 'danger_flag');
    assert.equal(page.body.clientId, 'carol');
    assert.equal(page.body.resumed, true);
    assert.doesNotMatch(JSON.stringify(page.body), /alice|Birch|Willow/);
    await server.services.webhooks.settled();
    assert.equal(await status(), 'delivered');
  });

  test('a clinic without an on-call webhook records the flag as not configured (nothing to resume)', async () => {
    const group = await groupWith('No webhook group', { bob: 'Aspen', dave: 'Rowan' });
    const url = (await server.db.selectFrom('clinics').select('crisis_webhook_url').where('id', '=', CLINIC_A).executeTakeFirstOrThrow()).crisis_webhook_url;
    await server.db.updateTable('clinics').set({ crisis_webhook_url: null }).where('id', '=', CLINIC_A).execute();
    try {
      dataOf(await m('groups.flagDanger', { groupId: group.id, participantAlias: 'Rowan' }, 'bob'));
    } finally {
      await server.db.updateTable('clinics').set({ crisis_webhook_url: url }).where('id', '=', CLINIC_A).execute();
    }
    const row = await server.db.selectFrom('danger_flags').select('webhook_status').where('group_id', '=', group.id).executeTakeFirstOrThrow();
    assert.equal(row.webhook_status, 'not_configured');
  });
});

describe('erasure', () => {
  test('erasing the flagged person removes the note and the alias from their flags, and pseudonymises both ids', async () => {
    const group = await groupWith('Erasure group', { alice: 'Pine', dave: 'Cedar' });
    dataOf(await m('groups.flagDanger', { groupId: group.id, participantAlias: 'Cedar', note: 'Worried about Cedar' }, 'alice'));
    const result = await erasePerson(server.db, CLINIC_A, 'dave', 'test-operator');
    assert.ok((result.removed.dangerFlags ?? 0) >= 1);
    const rows = await server.db.selectFrom('danger_flags').selectAll().where('group_id', '=', group.id).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.note, null);
    assert.notEqual(rows[0]!.flagged_label, 'Cedar');
    assert.notEqual(rows[0]!.flagged_id, 'dave');
    assert.equal(rows[0]!.flagger_id, 'alice');
  });
});
