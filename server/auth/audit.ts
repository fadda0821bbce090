import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.js';
import type { Principal } from './principal.js';

/** Records that staff read a client's data. One row per client whose data was returned. */
export async function auditRead(db: Db, actor: Principal, action: string, clientIds: Iterable<string>): Promise<void> {
  const at = new Date().toISOString();
  const rows = [...new Set(clientIds)]
    .filter((id) => id !== actor.userId)
    .map((subject) => ({
      id: randomUUID(),
      clinic_id: actor.clinicId,
      actor_id: actor.userId,
      actor_role: actor.role,
      action,
      subject_id: subject,
      at,
    }));
  if (rows.length > 0) await db.insertInto('audit_log').values(rows).execute();
}
