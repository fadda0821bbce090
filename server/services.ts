import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { isPostgres, openDatabase, type Db } from './db/index.js';
import { GroupCommit } from './db/group-commit.js';
import { RecentMoods, RiskRulesCache } from './domain/check-ins.js';
import { KnownUsers } from './domain/users.js';
import { WebhookDeliveries } from './domain/webhook.js';
import { openLiveBus, type LiveBus } from './live/index.js';

/**
 * What the server holds for its lifetime, built once by `createApp` and handed to the routers
 * through the tRPC context and to domain functions as arguments (nothing is looked up by database).
 */
export interface Services {
  db: Db;
  log: Logger;
  config: Config;
  /** Change notifications for live updates; closing it ends open subscription streams. */
  bus: LiveBus;
  /** Group commit of check-in writes (one transaction, one fsync for the writes that arrive together). */
  commits: GroupCommit;
  /** The clinics' risk rules, re-read every few seconds. */
  riskRules: RiskRulesCache;
  /** Recent daily moods for risk scoring (on PostgreSQL, read for many check-ins in one statement). */
  recentMoods: RecentMoods;
  /** People whose users row this process has already committed. */
  users: KnownUsers;
  /** Crisis webhook deliveries, retried in the background. */
  webhooks: WebhookDeliveries;
  /** On PostgreSQL, a small pool for the request counts all server processes share (rate-limits.ts); null on SQLite. */
  rateLimitStore: pg.Pool | null;
}

/** Opens the database and builds the services around it (no migrations, no listeners on the network). */
export function openServices(config: Config, log: Logger): Services {
  const db = openDatabase(config.databaseUrl, (error) => log.warn({ err: error }, 'database connection lost while idle; the next query reconnects'));
  return {
    db,
    log,
    config,
    bus: openLiveBus(config.databaseUrl, db, log),
    commits: new GroupCommit(db, undefined, (error, size) => log.warn({ err: error, size }, 'group commit batch rolled back; retrying its writes one by one')),
    riskRules: new RiskRulesCache(db),
    recentMoods: new RecentMoods(db),
    users: new KnownUsers(),
    webhooks: new WebhookDeliveries(db, log, config.webhooks),
    rateLimitStore: isPostgres(db) ? rateLimitPool(config.databaseUrl, log) : null,
  };
}

/**
 * A small pool of its own, so request counting never waits behind the app's queries. Its commits do
 * not wait for the WAL flush (synchronous_commit off, these connections only): a count is two
 * commits per request on a few hot rows, and a crash of the database may forget at most the last
 * fraction of a second of counts, which a rate limit can afford (the counting ran 5.7× faster on
 * the 2-core VM; check-ins keep their own pool and full durability).
 */
function rateLimitPool(databaseUrl: string, log: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, options: '-c synchronous_commit=off' });
  // A connection that drops while idle must not bring the process down; the next count reconnects.
  pool.on('error', (error) => log.warn({ err: error }, 'rate-limit store connection lost'));
  return pool;
}

/** Stops background deliveries, ends live streams and closes the database. */
export async function closeServices(services: Services): Promise<void> {
  services.webhooks.stop();
  await services.bus.close();
  await services.rateLimitStore?.end();
  await services.db.destroy();
}
