import * as z from 'zod/mini';

export const listSessionsInput = z.optional(
  z.strictObject({
    /** Staff name the client; a client may leave it out or name themselves. */
    clientId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    limit: z.optional(z.int().check(z.gte(1), z.lte(100))),
    cursor: z.optional(z.string().check(z.maxLength(50))),
  }),
);
export type ListSessionsInput = z.infer<typeof listSessionsInput>;

/** One support-group or telehealth session a person attended. */
export interface AttendedSession {
  id: string;
  kind: 'group' | 'telehealth';
  /** The support group, for group sessions whose group this clinic still has. */
  groupId: string | null;
  groupName: string | null;
  joinedAt: string;
  leftAt: string | null;
  /** Whole minutes between joining and leaving; null while the person has not left (or the leave was not recorded). */
  minutes: number | null;
}

export interface AttendedSessionPage {
  items: AttendedSession[];
  nextCursor: string | null;
}
