import { TRPCError } from '@trpc/server';

/** Opaque keyset cursor: the sort key and id of the last row of the previous page. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // fall through to the field error
  }
  throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input: cursor: not a cursor this server issued' });
}
