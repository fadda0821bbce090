import * as z from 'zod/mini';
import { LANGUAGES } from './languages.js';
import { timeZoneSchema } from './progress.js';

/** A group's sessions as an iCalendar file or a member's subscription feed (shared by server and <care-support-room>). */

const joinUrl = z.string().check(
  z.maxLength(2000),
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'Must be the http(s) address of the page the member joins from'),
);

export const groupCalendarInput = z.strictObject({
  groupId: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The person's own time zone: the event text gives the next session's time in it. */
  timeZone: timeZoneSchema,
  language: z.enum(LANGUAGES),
  /** The portal page with the support room; only its origin and path are kept. */
  joinUrl: z.optional(joinUrl),
});
export type GroupCalendarInput = z.infer<typeof groupCalendarInput>;

export interface GroupCalendarFile {
  filename: string;
  /** text/calendar (RFC 5545). */
  ics: string;
}

export interface GroupCalendarFeed {
  /** Path of the feed on this server (`/calendar/feeds/<secret>.ics`); the widget puts its endpoint in front. */
  path: string;
  /** A feed made before for this group stopped working. */
  replacedEarlier: boolean;
}
