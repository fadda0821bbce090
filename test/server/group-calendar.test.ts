import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { GroupCalendarFeed, GroupCalendarFile, GroupSummary } from '../../server/contract/index.js';
import { CLINIC_B, dataOf, errorOf, mintToken, mutate, query, startServer, type TestServer } from './helpers.js';

/** Group calendars (issue 19 item 5): the .ics download and the members' subscription feed, parsed back with ical.js. */

let server: TestServer;
const tokens: Record<string, string> = {};
const PEOPLE = {
  admin: { role: 'admin', name: 'Ada Admin' },
  moderator: { role: 'clinician', name: 'Dr. Mona Moderator' },
  alice: { role: 'client', name: 'Alice Realname' },
  outsider: { role: 'client', name: 'Olive Outsider' },
  elsewhere: { role: 'client', name: 'Bea Elsewhere', clinic: CLINIC_B },
} as const;
type Who = keyof typeof PEOPLE;
const q = <T>(path: string, input: unknown, who: Who) => query<T>(server.baseUrl, path, input, tokens[who]);
const m = <T>(path: string, input: unknown, who: Who) => mutate<T>(server.baseUrl, path, input, tokens[who]);

let group: GroupSummary;
const JOIN_PAGE = 'https://portal.clinic-a.example/groups/evening';

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar;
}

before(async () => {
  server = await startServer();
  for (const [sub, p] of Object.entries(PEOPLE)) tokens[sub] = await mintToken({ sub, role: p.role, name: p.name, ...('clinic' in p ? { clinic: p.clinic } : {}) });
  group = dataOf(
    await m<GroupSummary>(
      'groups.create',
      {
        name: 'Evening circle',
        topic: 'recovery',
        description: 'Peer support',
        language: 'en',
        timeZone: 'America/Chicago',
        schedule: [
          { day: 'mon', start: '18:30', minutes: 90 },
          { day: 'thu', start: '09:00', minutes: 60 },
        ],
        capacity: 10,
        guidelines: { en: 'Be kind.' },
        moderatorIds: ['moderator'],
        dialIn: { number: '+1 555 0100', pin: '4321' },
      },
      'admin',
    ),
  );
  dataOf(await m('groups.addMember', { groupId: group.id, userId: 'alice' }, 'moderator'));
  dataOf(await m('groups.setAlias', { groupId: group.id, mode: 'alias', alias: 'Sunny' }, 'alice'));
});
after(() => server.stop());

describe('groups.calendar: the .ics file', () => {
  test('one weekly recurring event per session, in the group’s zone with its VTIMEZONE, words in the person’s language', async () => {
    const file = dataOf(await q<GroupCalendarFile>('groups.calendar', { groupId: group.id, timeZone: 'Europe/Madrid', language: 'es', joinUrl: `${JOIN_PAGE}?patient=123#x` }, 'alice'));
    assert.equal(file.filename, 'evening-circle.ics');
    const calendar = parse(file.ics);
    assert.equal(calendar.getFirstPropertyValue('method'), 'PUBLISH');
    assert.deepEqual(calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')), ['America/Chicago']);
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.equal(events.length, 2);
    const monday = events.find((e) => e.startDate.dayOfWeek() === ICAL.Time.MONDAY)!;
    const thursday = events.find((e) => e.startDate.dayOfWeek() === ICAL.Time.THURSDAY)!;
    assert.ok(monday && thursday, 'a Monday and a Thursday series');
    assert.equal(monday.startDate.zone?.tzid, 'America/Chicago');
    assert.equal(`${monday.startDate.hour}:${monday.startDate.minute}`, '18:30');
    assert.equal(monday.duration.toSeconds(), 90 * 60);
    assert.equal(String(monday.component.getFirstPropertyValue('rrule')), 'FREQ=WEEKLY;BYDAY=MO');
    assert.equal(monday.summary, 'Evening circle');
    assert.match(monday.description, /sesión del grupo de apoyo/);
    assert.match(monday.description, /Europe\/Madrid/);
    assert.match(monday.description, /\+1 555 0100, PIN 4321/);
    // The join link is the portal page without its query or fragment.
    assert.equal(monday.component.getFirstPropertyValue('url'), JOIN_PAGE);
    assert.doesNotMatch(file.ics, /patient=123/);

    // Across a daylight-saving change the series keeps the group's wall-clock time: 18:30 in Chicago
    // is 00:30 UTC in winter and 23:30 UTC in summer.
    const iterator = monday.iterator();
    const utcHours = new Set<number>();
    for (let i = 0; i < 60; i++) utcHours.add(iterator.next().convertToZone(ICAL.Timezone.utcTimezone).hour);
    assert.deepEqual([...utcHours].sort(), [0, 23]);
  });

  test('no personal data in the file: neither names, aliases nor ids', async () => {
    const file = dataOf(await q<GroupCalendarFile>('groups.calendar', { groupId: group.id, timeZone: 'UTC', language: 'en' }, 'alice'));
    for (const personal of ['Alice', 'Sunny', 'alice', 'Mona', 'moderator']) assert.ok(!file.ics.includes(personal), `${personal} is not in the calendar`);
    assert.doesNotMatch(file.ics, /^URL/m, 'no join link when the page is not given');
  });

  test('a client outside the group, or another clinic, does not see it; bad input names the field', async () => {
    assert.equal((await q('groups.calendar', { groupId: group.id, timeZone: 'UTC', language: 'en' }, 'outsider')).status, 404);
    assert.equal((await q('groups.calendar', { groupId: group.id, timeZone: 'UTC', language: 'en' }, 'elsewhere')).status, 404);
    for (const [input, field] of [
      [{ groupId: group.id, timeZone: 'Mars/Base', language: 'en' }, 'timeZone'],
      [{ groupId: group.id, timeZone: 'UTC', language: 'xx' }, 'language'],
      [{ groupId: group.id, timeZone: 'UTC', language: 'en', joinUrl: 'javascript:alert(1)' }, 'joinUrl'],
    ] as const) {
      const res = await q('groups.calendar', input, 'alice');
      assert.equal(res.status, 400);
      assert.deepEqual(errorOf(res).data.fieldErrors?.map((e) => e.path), [field]);
    }
  });
});

describe('groups.subscribeCalendar: the members’ feed', () => {
  test('a feed URL that answers the calendar without a token; a new link replaces the old one', async () => {
    const first = dataOf(await m<GroupCalendarFeed>('groups.subscribeCalendar', { groupId: group.id, timeZone: 'America/New_York', language: 'fr', joinUrl: JOIN_PAGE }, 'alice'));
    assert.match(first.path, /^\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    assert.equal(first.replacedEarlier, false);
    const res = await fetch(`${server.baseUrl}${first.path}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
    const events = parse(await res.text()).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.equal(events.length, 2);
    assert.match(events[0]!.description, /séance du groupe de soutien/);

    // Only the secret's hash is stored.
    const secret = first.path.slice('/calendar/feeds/'.length, -'.ics'.length);
    const rows = await server.db.selectFrom('group_calendar_feeds').selectAll().execute();
    assert.ok(rows.every((r) => !JSON.stringify(r).includes(secret)));

    const second = dataOf(await m<GroupCalendarFeed>('groups.subscribeCalendar', { groupId: group.id, timeZone: 'America/New_York', language: 'fr' }, 'alice'));
    assert.equal(second.replacedEarlier, true);
    assert.equal((await fetch(`${server.baseUrl}${first.path}`)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}${second.path}`)).status, 200);

    // Leaving the group ends the feed.
    await server.db.deleteFrom('group_members').where('group_id', '=', group.id).where('user_id', '=', 'alice').execute();
    assert.equal((await fetch(`${server.baseUrl}${second.path}`)).status, 404);
    dataOf(await m('groups.addMember', { groupId: group.id, userId: 'alice' }, 'moderator'));
  });

  test('staff who are not members cannot subscribe; unknown or malformed secrets are 404s, never 500s', async () => {
    assert.equal((await m('groups.subscribeCalendar', { groupId: group.id, timeZone: 'UTC', language: 'en' }, 'admin')).status, 403);
    for (const path of ['/calendar/feeds/abc.ics', `/calendar/feeds/${'A'.repeat(43)}.ics`, '/calendar/feeds/%E0%A4%A.ics', `/calendar/feeds/${'x'.repeat(5000)}`]) {
      const res = await fetch(`${server.baseUrl}${path}`);
      assert.ok(res.status === 404 || res.status === 400, `${path.slice(0, 40)} → ${res.status}`);
    }
  });
});
