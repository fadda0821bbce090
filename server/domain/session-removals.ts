import { TRPCError } from '@trpc/server';
import { REMOVED_FROM_SESSION_MESSAGE, type SessionTime } from '../contract/index.js';
import type { Db } from '../db/index.js';

/** For `groups.join`: refuses a person a moderator removed from the open session (FORBIDDEN). */
export async function refuseIfRemoved(db: Db, clinicId: string, groupId: string, userId: string, session: SessionTime): Promise<void> {
  const removal = await db
    .selectFrom('group_session_removals')
    .select('id')
    .where('clinic_id', '=', clinicId)
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('session_start', '=', session.start)
    .where('session_end', '>', new Date().toISOString())
    .executeTakeFirst();
  if (removal) throw new TRPCError({ code: 'FORBIDDEN', message: REMOVED_FROM_SESSION_MESSAGE });
}
