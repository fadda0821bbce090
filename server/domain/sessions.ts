import { TRPCError } from '@trpc/server';
import type { AttendedSession, AttendedSessionPage } from '../contract/index.js';
import type { Db } from '../db/index.js';

/** Sessions one client attended, newest first. The cursor is an offset: a person attends a few sessions a week at most. */
export async function listSessions(
  db: Db,
  clinicId: string,
  clientId: string,
  paging: { limit?: number | undefined; cursor?: string | undefined },
): Promise<AttendedSessionPage> {
  const limit = paging.limit ?? 20;
  const offset = paging.cursor === undefined ? 0 : Number(paging.cursor);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: cursor: not a cursor this server issued' });
  }
  const rows = await db
    .selectFrom('sessions_attended as s')
    .leftJoin('groups as g', (join) =>
      join.onRef('g.clinic_id', '=', 's.clinic_id').onRef('g.id', '=', 's.source_id').on('s.kind', '=', 'group'),
    )
    .select(['s.id', 's.kind', 's.joined_at', 's.left_at', 'g.id as group_id', 'g.name as group_name'])
    .where('s.clinic_id', '=', clinicId)
    .where('s.client_id', '=', clientId)
    .orderBy('s.joined_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  const items = rows.slice(0, limit).map(
    (r): AttendedSession => ({
      id: r.id,
      kind: r.kind,
      groupId: r.group_id ?? null,
      groupName: r.group_name ?? null,
      joinedAt: r.joined_at,
      leftAt: r.left_at,
      minutes: r.left_at ? Math.max(0, Math.round((Date.parse(r.left_at) - Date.parse(r.joined_at)) / 60_000)) : null,
    }),
  );
  return { items, nextCursor: rows.length > limit ? String(offset + limit) : null };
}
