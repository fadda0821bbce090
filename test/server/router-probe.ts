import { sql } from 'kysely';
import { appRouter } from '../../server/routers/index.js';
import type { Db } from '../../server/db/index.js';

/** One procedure of the app router, as the tests see it. */
export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** Roles allowed by the procedure's metadata; undefined = public. */
  roles: readonly string[] | undefined;
  /** Top-level input keys, read from the zod schema, when the input is an object. */
  inputKeys: string[];
}

interface ZodLike {
  _zod?: { def?: { type?: string; shape?: Record<string, unknown>; innerType?: ZodLike; in?: ZodLike } };
}

function objectKeys(schema: ZodLike | undefined): string[] {
  let current = schema;
  for (let i = 0; i < 5 && current?._zod?.def; i++) {
    const def = current._zod.def;
    if (def.shape) return Object.keys(def.shape);
    current = def.innerType ?? def.in;
  }
  return [];
}

export function procedures(): ProcedureInfo[] {
  const record = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcedureInfo['type']; meta?: { roles?: string[] }; inputs: ZodLike[] } }> } })._def
    .procedures;
  return Object.entries(record).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    roles: procedure._def.meta?.roles,
    inputKeys: procedure._def.inputs.flatMap(objectKeys),
  }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every generated id in every `id`-like column of a clinic's rows: the markers a leak would carry. */
export async function clinicIds(db: Db, clinicId: string, onlyClient?: string): Promise<Set<string>> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_'));
  const ids = new Set<string>();
  for (const table of tables) {
    const name = table.name;
    const columns = table.columns.map((c) => c.name);
    if (!columns.includes('clinic_id')) continue;
    if (onlyClient && (!columns.includes('client_id') || /group|post|message|member|report|feedback/.test(name))) continue;
    const idColumns = columns.filter((c) => c === 'id' || (c.endsWith('_id') && c !== 'clinic_id' && c !== 'client_request_id'));
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)} where clinic_id = ${clinicId}`.execute(db)).rows;
    for (const row of rows) {
      if (onlyClient && row.client_id !== onlyClient) continue;
      for (const column of idColumns) {
        const value = row[column];
        // Only generated ids mark a record; names like a module's 'cravings' are shared vocabulary.
        if (typeof value === 'string' && UUID.test(value)) ids.add(value);
      }
    }
  }
  return ids;
}
