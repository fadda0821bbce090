import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/index.js';

/** Retry timing (server/config.ts: CARE_WEBHOOK_RETRY_MS, CARE_WEBHOOK_TIMEOUT_MS). */
export interface WebhookOptions {
  /** Milliseconds between attempts after the first; one more attempt than entries. */
  retryDelaysMs: number[];
  /** Longest one attempt may take. */
  timeoutMs: number;
}

/**
 * `X-Care-Signature: v1=<hex>` where hex is HMAC-SHA256 with the clinic's webhook secret over
 * `<X-Care-Timestamp>.<raw body>`. Receivers recompute it over the bytes they received and reject
 * old timestamps (replays).
 */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export interface WebhookPost {
  url: string;
  secret: string;
  /** `X-Care-Event`: `crisis.alert`, or `crisis.test` for an admin's test alert. */
  event: string;
  deliveryId: string;
  attempt: number;
  /** The JSON body exactly as sent (the signature covers these bytes). */
  body: string;
  timeoutMs: number;
  /** Read up to this many characters of the receiver's body (0: discard it, as real deliveries do). */
  readBodyChars?: number;
}

export interface WebhookAnswer {
  statusCode: number | null;
  /** The thrown error's name (`TimeoutError`, `TypeError`…) when the receiver did not answer. */
  error: string | null;
  /** The underlying network code (`ECONNREFUSED`, `ENOTFOUND`…), else the cause's message, when there is one. */
  errorCode: string | null;
  bodyExcerpt: string | null;
}

/**
 * One signed POST to a clinic's webhook: the headers and signature every receiver checks, no
 * redirects followed, a time limit. Real deliveries (with retries) and admin test alerts both send
 * through here, so a test shows what a real alert would get.
 */
export async function postWebhook(post: WebhookPost): Promise<WebhookAnswer> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(post.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'care-widgets-webhook/1',
        'x-care-event': post.event,
        'x-care-delivery': post.deliveryId,
        'x-care-attempt': String(post.attempt),
        'x-care-timestamp': timestamp,
        'x-care-signature': signWebhook(post.secret, timestamp, post.body),
      },
      body: post.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(post.timeoutMs),
    });
    let bodyExcerpt: string | null = null;
    if (post.readBodyChars && res.body) {
      bodyExcerpt = await readStart(res.body, post.readBodyChars);
    } else {
      await res.body?.cancel();
    }
    return { statusCode: res.status, error: null, errorCode: null, bodyExcerpt };
  } catch (e) {
    const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message.slice(0, 100) : null;
    return { statusCode: null, error: e instanceof Error ? e.name : 'Error', errorCode: detail, bodyExcerpt: null };
  }
}

/** The first `chars` characters of a body (stops reading there; a receiver may answer with a lot). */
async function readStart(body: ReadableStream<Uint8Array>, chars: number): Promise<string | null> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < chars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut short: keep what arrived.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  text = text.trim();
  return text ? text.slice(0, chars) : null;
}

/** What paged: a crisis press (crisis_requests) or a "may be in danger" flag (danger_flags). */
export type WebhookSource = 'crisis_request' | 'danger_flag';

/** The table whose row carries a delivery's outcome (`webhook_status`). */
const STATUS_TABLE = { crisis_request: 'crisis_requests', danger_flag: 'danger_flags' } as const satisfies Record<WebhookSource, string>;

export interface WebhookTarget {
  kind: WebhookSource;
  clinicId: string;
  alertId: string;
  url: string;
  secret: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Crisis notifications to the clinics' on-call systems, for one database. `stop()` (server closing)
 * ends the retries; what was not delivered stays `pending` for the next start.
 */
export class WebhookDeliveries {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  /** `options` is read at each delivery (tests may shorten the timing of a running server). */
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    readonly options: WebhookOptions,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  /** Deliveries still retrying in this process (tests and shutdown may wait for them). */
  settled(): Promise<unknown> {
    return Promise.allSettled([...this.pending]);
  }

  /**
   * Posts one notification, retrying with backoff until the receiver answers 2xx or the attempts run
   * out. Every attempt is recorded in webhook_deliveries; the result lands in crisis_requests. Runs in
   * the background: the person pressing the button never waits for the clinic's systems.
   */
  deliverInBackground(target: WebhookTarget, payload: Record<string, unknown>): void {
    // Start after the caller's response is on its way: the first attempt must not share its tick.
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliver(target, payload)).catch((error: unknown) => {
      this.log.error({ alertId: target.alertId, err: error }, 'crisis webhook delivery stopped');
    });
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  private async deliver(target: WebhookTarget, payload: Record<string, unknown>): Promise<void> {
    const { db, log } = this;
    const { retryDelaysMs, timeoutMs } = this.options;
    const deliveryId = randomUUID();
    const body = JSON.stringify({ ...payload, deliveryId });
    const attempts = retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.stopped) return;
      const started = performance.now();
      const { statusCode, error } = await postWebhook({ url: target.url, secret: target.secret, event: 'crisis.alert', deliveryId, attempt, body, timeoutMs });
      const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
      if (this.stopped) return;
      await db
        .insertInto('webhook_deliveries')
        .values({
          id: randomUUID(),
          clinic_id: target.clinicId,
          alert_id: target.alertId,
          delivery_id: deliveryId,
          attempt,
          status_code: statusCode,
          ok: ok ? 1 : 0,
          error: ok ? null : (error ?? `HTTP ${statusCode}`),
          duration_ms: Math.round(performance.now() - started),
          attempted_at: new Date().toISOString(),
        })
        .execute();
      if (ok) {
        await setStatus(db, target, 'delivered');
        return;
      }
      // The URL may carry a token of the clinic's pager: log the alert and outcome, never the URL or secret.
      log.warn({ alertId: target.alertId, attempt, statusCode, error }, 'crisis webhook attempt failed');
      const delay = retryDelaysMs[attempt - 1];
      if (delay === undefined) break;
      await sleep(delay);
    }
    if (this.stopped) return;
    await setStatus(db, target, 'failed');
    log.error({ alertId: target.alertId, attempts }, 'crisis webhook not delivered; the alert is still in the clinic inbox');
  }
}

async function setStatus(db: Db, target: WebhookTarget, status: 'delivered' | 'failed'): Promise<void> {
  await db
    .updateTable(STATUS_TABLE[target.kind])
    .set({ webhook_status: status })
    .where('clinic_id', '=', target.clinicId)
    .where('alert_id', '=', target.alertId)
    // Crisis presses that joined the open alert stay `collapsed`: only the press that paged has a delivery.
    .where('webhook_status', '=', 'pending')
    .execute();
}

/**
 * At start-up, picks up crisis notifications (crisis presses and "may be in danger" flags) a
 * previous process left undelivered (it stopped or crashed mid-retry). Only those older than a
 * whole retry schedule are taken, so a notification another live server is still retrying is not
 * sent twice; receivers dedupe on alertId regardless.
 */
export async function resumePendingDeliveries(db: Db, log: Logger, webhooks: WebhookDeliveries): Promise<number> {
  const { retryDelaysMs, timeoutMs } = webhooks.options;
  const windowMs = retryDelaysMs.reduce((a, b) => a + b, 0) + (retryDelaysMs.length + 1) * timeoutMs;
  const before = new Date(Date.now() - windowMs).toISOString();
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('crisis_requests')
        .select([sql.lit<WebhookSource>('crisis_request').as('kind'), 'clinic_id', 'client_id', 'alert_id', 'created_at', 'requested_at'])
        .where('webhook_status', '=', 'pending')
        .where('created_at', '<', before)
        .unionAll(
          eb
            .selectFrom('danger_flags')
            .select([sql.lit<WebhookSource>('danger_flag').as('kind'), 'clinic_id', 'flagged_id as client_id', 'alert_id', 'created_at', sql<string | null>`null`.as('requested_at')])
            .where('webhook_status', '=', 'pending')
            .where('created_at', '<', before),
        )
        .as('pending'),
    )
    .innerJoin('clinics', 'clinics.id', 'pending.clinic_id')
    .select(['pending.kind', 'pending.clinic_id', 'pending.client_id', 'pending.alert_id', 'pending.created_at', 'pending.requested_at', 'clinics.crisis_webhook_url', 'clinics.crisis_webhook_secret'])
    .execute();
  for (const row of rows) {
    if (!row.crisis_webhook_url || !row.crisis_webhook_secret) continue;
    webhooks.deliverInBackground(
      { kind: row.kind, clinicId: row.clinic_id, alertId: row.alert_id, url: row.crisis_webhook_url, secret: row.crisis_webhook_secret },
      {
        type: 'crisis.alert',
        ...(row.kind === 'danger_flag' ? { source: 'danger_flag' } : {}),
        alertId: row.alert_id,
        clinicId: row.clinic_id,
        clientId: row.client_id,
        level: 'urgent',
        createdAt: row.created_at,
        requestedAt: row.requested_at,
        resumed: true,
      },
    );
  }
  if (rows.length > 0) {
    log.info({ count: rows.length, dangerFlags: rows.filter((row) => row.kind === 'danger_flag').length }, 'resumed undelivered crisis notifications');
  }
  return rows.length;
}
