import { createHash, randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import ical, { ICalCalendarMethod, ICalEventRepeatingFreq, ICalWeekday } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { ROOM_OPENS_EARLY_MINUTES, type GroupSession, type Weekday } from '../contract/groups.js';
import type { GroupCalendarFeed, GroupCalendarFile, GroupCalendarInput } from '../contract/group-calendar.js';
import { wallClock } from '../contract/time-zone.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/index.js';
import { groupFromRow, type GroupRecord } from '../db/rows.js';
import { serverTranslator } from '../locale-text.js';
import type { Services } from '../services.js';
import { sessionsFrom } from './group-schedule.js';
import { accessTo } from './groups.js';

const BY_DAY: Record<Weekday, ICalWeekday> = {
  sun: ICalWeekday.SU,
  mon: ICalWeekday.MO,
  tue: ICalWeekday.TU,
  wed: ICalWeekday.WE,
  thu: ICalWeekday.TH,
  fri: ICalWeekday.FR,
  sat: ICalWeekday.SA,
};

/** Where feeds are served (server/calendar-routes.ts); the secret is 32 random bytes, base64url. */
export const FEED_PATH_PREFIX = '/calendar/feeds/';
const FEED_SECRET = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** The page's origin and path: a portal address may carry a patient id in its query or fragment. */
export function joinPageOf(url: string | undefined | null): string | null {
  if (!url) return null;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** A wall-clock time in `timeZone` as the Date whose UTC fields spell it (how ical-generator takes a zoned time). */
function zonedWallTime(instant: number, timeZone: string): Date {
  const w = wallClock(instant, timeZone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
}

interface CalendarWords {
  language: string;
  /** The person's time zone. */
  timeZone: string;
  joinUrl: string | null;
}

/**
 * The group's weekly sessions as iCalendar (RFC 5545): one recurring event per session of the week,
 * written in the group's own time zone with its VTIMEZONE (so a daylight-saving change moves the event
 * the way the group's clock moves), each with a stable UID so a subscribed calendar updates in place.
 * The words are in the person's language, with the next session's time in their own time zone.
 * Nothing about any person is in it.
 */
export function groupCalendar(group: GroupRecord, words: CalendarWords, now = Date.now()): string {
  const t = serverTranslator('groupCalendar', words.language);
  const calendar = ical({
    name: group.name,
    prodId: { company: 'care-widgets', product: 'support-groups', language: words.language.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: vtimezone },
  });
  const since = Date.parse(group.created_at);
  const whenFormat = new Intl.DateTimeFormat(words.language, {
    timeZone: words.timeZone,
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  for (const session of group.schedule) {
    const first = firstOccurrence(session, group.time_zone, since);
    const next = sessionsFrom([session], group.time_zone, now, 8)[0];
    const lines = [
      t('ics.what', { group: group.name }),
      t('ics.opensEarly', { minutes: ROOM_OPENS_EARLY_MINUTES }),
      next ? t('ics.yourTime', { time: whenFormat.format(Date.parse(next.start)), zone: words.timeZone }) : null,
      words.joinUrl ? t('ics.join', { url: words.joinUrl }) : null,
      group.dialIn ? t('ics.dialIn', { number: group.dialIn.number, pin: group.dialIn.pin ?? '—' }) : null,
    ].filter((line): line is string => line !== null);
    calendar.createEvent({
      id: `${group.id}-${session.day}-${session.start.replace(':', '')}@care-widgets`,
      start: zonedWallTime(first, group.time_zone),
      end: zonedWallTime(first + session.minutes * 60_000, group.time_zone),
      timezone: group.time_zone,
      repeating: { freq: ICalEventRepeatingFreq.WEEKLY, byDay: [BY_DAY[session.day]] },
      summary: group.name,
      description: lines.join('\n'),
      url: words.joinUrl,
    });
  }
  return calendar.toString();
}

/** The zone's VTIMEZONE from the tz database copy in timezones-ical-library (none for a zone it lacks: the TZID still names it). */
function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone)[0];
  if (typeof block !== 'string' || !block.startsWith('BEGIN:VTIMEZONE')) return null;
  // The library files a link under its target (UTC as Etc/UTC): the TZID must be the name events use.
  return block.replace(/^TZID:.*$/m, `TZID:${zone}`);
}

/** The session's first start on or after the group was created (a stable DTSTART for the series). */
function firstOccurrence(session: GroupSession, timeZone: string, since: number): number {
  const first = sessionsFrom([session], timeZone, since, 8).find((s) => Date.parse(s.start) >= since) ?? sessionsFrom([session], timeZone, since, 8)[0]!;
  return Date.parse(first.start);
}

const fileName = (group: GroupRecord): string => `${group.name.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'group'}.ics`;

async function groupFor(services: Pick<Services, 'db' | 'users'>, principal: Principal, groupId: string): Promise<GroupRecord> {
  return (await accessTo(services, principal, groupId)).group;
}

/** The group's calendar for someone who can see the group (a member, or staff of its clinic). */
export async function groupCalendarFile(services: Pick<Services, 'db' | 'users'>, principal: Principal, input: GroupCalendarInput): Promise<GroupCalendarFile> {
  const group = await groupFor(services, principal, input.groupId);
  return {
    filename: fileName(group),
    ics: groupCalendar(group, { language: input.language, timeZone: input.timeZone, joinUrl: joinPageOf(input.joinUrl) }),
  };
}

/**
 * A subscription URL for the caller's calendar app: a new secret each time (only its hash is
 * kept), replacing the caller's earlier one for this group. Members and moderators only.
 */
export async function createCalendarFeed(services: Pick<Services, 'db' | 'users'>, principal: Principal, input: GroupCalendarInput): Promise<GroupCalendarFeed> {
  const access = await accessTo(services, principal, input.groupId);
  if (!access.member) throw new TRPCError({ code: 'FORBIDDEN', message: 'Only members of this group can subscribe to its calendar' });
  const secret = randomBytes(32).toString('base64url');
  const replaced = await services.db.transaction().execute(async (trx) => {
    const earlier = await trx
      .deleteFrom('group_calendar_feeds')
      .where('clinic_id', '=', principal.clinicId)
      .where('group_id', '=', input.groupId)
      .where('person_id', '=', principal.userId)
      .executeTakeFirst();
    await trx
      .insertInto('group_calendar_feeds')
      .values({
        token_hash: hashOf(secret),
        clinic_id: principal.clinicId,
        group_id: input.groupId,
        person_id: principal.userId,
        language: input.language,
        time_zone: input.timeZone,
        join_url: joinPageOf(input.joinUrl),
        created_at: new Date().toISOString(),
      })
      .execute();
    return Number(earlier.numDeletedRows) > 0;
  });
  return { path: `${FEED_PATH_PREFIX}${secret}.ics`, replacedEarlier: replaced };
}

/** The feed behind a subscription secret, or null when the secret is unknown or the person has left the group. */
export async function feedCalendar(db: Db, secret: string): Promise<string | null> {
  if (!FEED_SECRET.test(secret)) return null;
  const feed = await db.selectFrom('group_calendar_feeds').selectAll().where('token_hash', '=', hashOf(secret)).executeTakeFirst();
  if (!feed) return null;
  const row = await db
    .selectFrom('groups')
    .innerJoin('group_members', (join) =>
      join.onRef('group_members.clinic_id', '=', 'groups.clinic_id').onRef('group_members.group_id', '=', 'groups.id').on('group_members.user_id', '=', feed.person_id),
    )
    .selectAll('groups')
    .where('groups.clinic_id', '=', feed.clinic_id)
    .where('groups.id', '=', feed.group_id)
    .executeTakeFirst();
  if (!row) return null;
  return groupCalendar(groupFromRow(row), { language: feed.language, timeZone: feed.time_zone, joinUrl: feed.join_url });
}
