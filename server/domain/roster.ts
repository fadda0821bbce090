import { TRPCError } from '@trpc/server';
import { sql, type Expression, type SqlBool } from 'kysely';
import { ROSTER_MAX_OFFSET, type RosterEntry, type RosterListInput, type RosterPage, type RosterSort } from '../contract/clinician.js';
import type { Db } from '../db/index.js';
import { refreshClinic } from './roster-stats.js';
import { gad7Severity, phq9Severity } from './scoring.js';

const badCursor = () =>
  new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: cursor: not a cursor this server issued (pages end at ${ROSTER_MAX_OFFSET})` });

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,6}$/.test(cursor)) throw badCursor();
  const offset = Number(cursor);
  if (offset > ROSTER_MAX_OFFSET) throw badCursor();
  return offset;
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%" and nothing else. */
const likePattern = (search: string) => `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function baseQuery(db: Db, clinicId: string, input: NonNullable<RosterListInput>) {
  const openAlerts = db
    .selectFrom('alerts')
    .select(['client_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('clinic_id', '=', clinicId)
    .where('acknowledged_at', 'is', null)
    .groupBy('client_id')
    .as('oa');
  let query = db
    .selectFrom('users as u')
    .leftJoin('roster_stats as s', (join) => join.onRef('s.clinic_id', '=', 'u.clinic_id').onRef('s.client_id', '=', 'u.id'))
    .leftJoin(openAlerts, 'oa.client_id', 'u.id')
    .where('u.clinic_id', '=', clinicId)
    .where('u.role', '=', 'client');
  const search = input.search?.trim();
  if (search) {
    const pattern = likePattern(search);
    query = query.where(
      sql<SqlBool>`(lower(coalesce(u.display_name, '')) like ${pattern} escape '\\' or lower(u.id) like ${pattern} escape '\\')`,
    );
  }
  if (input.hasOpenAlerts === true) query = query.where('oa.n', 'is not', null);
  if (input.hasOpenAlerts === false) query = query.where('oa.n', 'is', null);
  if (input.engagementBelow !== undefined) {
    query = query.where(sql<SqlBool>`coalesce(s.engagement_14d, 0) < ${input.engagementBelow}`);
  }
  return query;
}

/** Sort keys by whitelisted name; a client who never checked in sorts as the lowest value. */
const SORT_KEYS: Record<RosterSort, Expression<unknown>> = {
  name: sql`lower(coalesce(u.display_name, u.id))`,
  lastCheckIn: sql`s.last_check_in_at`,
  streak: sql`coalesce(s.current_streak, 0)`,
  phq9: sql`s.phq9_total`,
  gad7: sql`s.gad7_total`,
  openAlerts: sql`coalesce(oa.n, 0)`,
  engagement: sql`coalesce(s.engagement_14d, 0)`,
};
const NULLABLE = new Set<RosterSort>(['lastCheckIn', 'phq9', 'gad7']);

const score = (total: number | null, at: string | null, instrument: 'phq9' | 'gad7') =>
  total === null || at === null
    ? null
    : {
        total,
        max: instrument === 'phq9' ? 27 : 21,
        severity: instrument === 'phq9' ? phq9Severity(total) : gad7Severity(total),
        at,
      };

/** The clinic's clients with their engagement, one page at a time. */
export async function listRoster(db: Db, clinicId: string, input: NonNullable<RosterListInput>): Promise<RosterPage> {
  const offset = offsetOf(input.cursor);
  const limit = input.limit ?? 25;
  const sort = input.sort ?? 'name';
  const direction = input.direction ?? (sort === 'name' ? 'asc' : 'desc');
  const calendar = await refreshClinic(db, clinicId);

  let query = baseQuery(db, clinicId, input).select([
    'u.id',
    'u.display_name',
    's.last_check_in_at',
    's.current_streak',
    's.engagement_14d',
    's.phq9_total',
    's.phq9_at',
    's.gad7_total',
    's.gad7_at',
    'oa.n as open_alerts',
  ]);
  const key = SORT_KEYS[sort];
  if (NULLABLE.has(sort)) query = query.orderBy(sql`case when ${key} is null then 0 else 1 end`, direction);
  query = query.orderBy(key, direction);
  if (sort !== 'name') query = query.orderBy(SORT_KEYS.name, 'asc');
  const [rows, count] = await Promise.all([
    query.orderBy('u.id', 'asc').limit(limit + 1).offset(offset).execute(),
    baseQuery(db, clinicId, input)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const items: RosterEntry[] = rows.slice(0, limit).map((r) => ({
    clientId: r.id,
    name: r.display_name,
    lastCheckInAt: r.last_check_in_at ?? null,
    streak: Number(r.current_streak ?? 0),
    phq9: score(r.phq9_total === null ? null : Number(r.phq9_total), r.phq9_at ?? null, 'phq9'),
    gad7: score(r.gad7_total === null ? null : Number(r.gad7_total), r.gad7_at ?? null, 'gad7'),
    openAlerts: Number(r.open_alerts ?? 0),
    engagement: Number(r.engagement_14d ?? 0),
  }));
  const nextOffset = offset + limit;
  return {
    items,
    total: Number(count.n),
    offset,
    nextCursor: rows.length > limit && nextOffset <= ROSTER_MAX_OFFSET ? String(nextOffset) : null,
    timeZone: calendar.timeZone,
    asOfDay: calendar.today,
  };
}
