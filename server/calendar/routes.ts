import { Router, type Request, type Response } from 'express';
import { feedCalendar } from '../domain/group-calendar.js';
import type { Services } from '../services.js';

/** A request path as the request log writes it: a calendar feed's secret is a key, so it is cut out. */
export const withoutFeedSecret = (path: string): string => path.replace(/^\/calendar\/feeds\/[^/]+/, '/calendar/feeds/(secret)');

/**
 * Group calendar subscriptions, mounted at /calendar: `GET /calendar/feeds/<secret>.ics` answers a
 * member's feed (text/calendar) for as long as they belong to the group; an unknown secret, or one
 * whose member left, is a 404. A calendar app polls this without a token, so the secret in the path
 * is the only key: the request log writes the path without it (withoutFeedSecret) and only its hash is stored.
 */
export function calendarRoutes({ services }: { services: Pick<Services, 'db' | 'log'> }): Router {
  const router = Router();
  router.get('/feeds/:file', (req: Request, res: Response) => {
    const file = String(req.params.file ?? '');
    const secret = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : file;
    feedCalendar(services.db, secret).then(
      (ics) => {
        if (ics === null) {
          res.status(404).type('text/plain').send('No such calendar: the link was replaced, or its member left the group.');
          return;
        }
        res.set('Cache-Control', 'private, max-age=300');
        // Whoever holds the link may read the feed, from a web calendar's page too: it is the only key.
        res.set('Access-Control-Allow-Origin', '*');
        res.type('text/calendar; charset=utf-8').send(ics);
      },
      (error: unknown) => {
        services.log.warn({ err: error }, 'group calendar feed failed');
        res.status(503).type('text/plain').send('The calendar is not available right now; your calendar app will try again.');
      },
    );
  });
  return router;
}
