/**
 * SMART write-back (issue 17), loaded by the launch page (index.ts) after a patient launch when the
 * clinic writes check-ins back to this EHR. After the care server accepts a check-in (the outbox's
 * `sent` event: at once, or when a check-in saved offline goes out later) the page
 *
 * 1. saves a write-back job on the device (IndexedDB, like the check-in outbox): a reload, a closed tab
 *    or a lost connection does not lose it; the next launch from the same EHR sends what is left;
 * 2. asks our server for the check-in's QuestionnaireResponse (`smartWriteBack.prepare`: our FHIR
 *    mapping, `subject` = the EHR's Patient; 412 when the clinic turned write-back off: nothing is sent);
 * 3. creates it at the EHR with the launch's access token, as a conditional create
 *    (`If-None-Exist: identifier=<system>|<clientRequestId>`), so a retry after a lost answer finds the
 *    first one instead of creating a second;
 * 4. reports the EHR's answer to our server (`smartWriteBack.report`): written, or refused (a 4xx from
 *    the EHR, or a 401 with an access token that cannot be renewed), which clinicians see on the check-in.
 *
 * No answer (offline, the EHR down, 408/429/5xx) keeps the job and retries with back-off and when the
 * browser comes back online, until the EHR answers. The access token stays in the browser.
 */
import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';
import { outboxEvents, type OutboxEventDetail } from '../core/outbox.js';
import { identityOf } from '../core/token.js';

interface Report {
  outcome: 'written' | 'refused';
  httpStatus?: number;
  reason?: 'refused' | 'token';
  detail?: string;
  resource?: string;
}

interface Prepared {
  url: string;
  ifNoneExist: string;
  resource: { resourceType: 'QuestionnaireResponse' };
}

/** One check-in to write back, saved on the device until our server has recorded the EHR's answer. */
export interface WriteBackJob {
  /** `<iss>|<checkInId>`. */
  id: string;
  checkInId: string;
  endpoint: string;
  clinic: string;
  sub: string;
  iss: string;
  queuedAt: number;
  attempts: number;
  prepared?: Prepared;
  /** The EHR's answer, kept until our server has it. */
  report?: Report;
}

/** What the page says: sending, all written, waiting for a connection, refused (the clinic has been told), or nothing (idle). */
export type WriteBackState = 'sending' | 'written' | 'waiting' | 'refused' | 'idle';

export interface WriteBackOptions {
  /** Our server (the care provider's endpoint). */
  endpoint: string;
  /** The EHR's FHIR base URL (the launch's `iss`). */
  iss: string;
  /** The person's current care token. */
  careToken(): string | null;
  /** A fresh care token after a 401, or null. */
  renewCareToken(): Promise<string | null>;
  /** The launch's access token at the EHR. */
  accessToken(): string | undefined;
  /** Renews the access token (the EHR's refresh token); false when it cannot. */
  renewAccessToken(): Promise<boolean>;
  onState(state: WriteBackState): void;
}

let store: UseStore | undefined;
const jobs = () => (store ??= createStore('care-widgets-smart-write-back', 'jobs'));

const RETRY_MS = [2_000, 5_000, 10_000, 30_000];
const WAIT = Symbol('wait');
const DROP = Symbol('drop');

const transient = (status: number) => status === 408 || status === 429 || status >= 500;

async function detailOf(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.json()) as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
    const issue = body.issue?.[0];
    return (issue?.diagnostics ?? issue?.details?.text)?.slice(0, 300);
  } catch {
    return undefined;
  }
}

export class WriteBackQueue {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private readonly onSent = (event: Event) => {
    const { item, result } = (event as CustomEvent<OutboxEventDetail>).detail;
    const id = (result as { id?: unknown } | undefined)?.id;
    if (item.procedure !== 'checkIn.submit' || typeof id !== 'string') return;
    const who = identityOf(this.options.careToken());
    if (!who || item.endpoint !== this.options.endpoint || item.clinic !== who.clinic || item.sub !== who.sub) return;
    void this.enqueue(id);
  };
  private readonly onOnline = () => {
    this.failures = 0;
    this.run();
  };

  constructor(private readonly options: WriteBackOptions) {}

  /** Listens for accepted check-ins and sends what earlier launches left on the device. */
  start(): void {
    outboxEvents.addEventListener('sent', this.onSent);
    window.addEventListener('online', this.onOnline);
    this.run();
  }

  stop(): void {
    outboxEvents.removeEventListener('sent', this.onSent);
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.timer);
  }

  /** Saves a write-back of this check-in on the device (once), then sends. */
  async enqueue(checkInId: string): Promise<void> {
    const who = identityOf(this.options.careToken());
    if (!who) return;
    const id = `${this.options.iss}|${checkInId}`;
    if (!(await get<WriteBackJob>(id, jobs()))) {
      await set(id, { id, checkInId, endpoint: this.options.endpoint, clinic: who.clinic, sub: who.sub, iss: this.options.iss, queuedAt: Date.now(), attempts: 0 } satisfies WriteBackJob, jobs());
    }
    this.run();
  }

  /** Sends every job of this person and EHR, one at a time, in order; a second call while running runs again after. */
  run(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch(() => this.retryLater())
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.run();
        }
      });
  }

  /** Resolves once nothing is running (tests, and the page before it closes). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private mine(job: WriteBackJob): boolean {
    const who = identityOf(this.options.careToken());
    return !!who && job.endpoint === this.options.endpoint && job.iss === this.options.iss && job.clinic === who.clinic && job.sub === who.sub;
  }

  private async drain(): Promise<void> {
    const waiting = (await values<WriteBackJob>(jobs())).filter((j) => this.mine(j)).sort((a, b) => a.queuedAt - b.queuedAt);
    if (waiting.length === 0) return;
    this.options.onState('sending');
    const outcomes = new Set<Report['outcome'] | typeof DROP>();
    for (const job of waiting) {
      const outcome = await this.deliver(job);
      if (outcome === WAIT) return this.retryLater();
      outcomes.add(outcome);
    }
    this.failures = 0;
    this.options.onState(outcomes.has('refused') ? 'refused' : outcomes.has('written') ? 'written' : 'idle');
  }

  private retryLater(): void {
    this.options.onState('waiting');
    const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
    this.failures += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delay);
  }

  /** One job to its end (written or refused, and recorded by our server), or WAIT when something did not answer. */
  private async deliver(job: WriteBackJob): Promise<typeof WAIT | Report['outcome'] | typeof DROP> {
    await set(job.id, { ...job, attempts: job.attempts + 1 }, jobs());
    job.attempts += 1;
    if (!job.prepared) {
      const answer = await this.call('smartWriteBack.prepare', { iss: job.iss, checkInId: job.checkInId });
      if (answer === WAIT) return WAIT;
      if (answer === DROP) {
        // Write-back is off for this EHR, or the check-in is not this person's: nothing to send, ever.
        await del(job.id, jobs());
        return DROP;
      }
      job.prepared = answer as Prepared;
      await set(job.id, job, jobs());
    }
    if (!job.report) {
      const report = await this.create(job.prepared);
      if (report === WAIT) return WAIT;
      job.report = report;
      await set(job.id, job, jobs());
    }
    const recorded = await this.call('smartWriteBack.report', { iss: job.iss, checkInId: job.checkInId, ...job.report });
    if (recorded === WAIT) return WAIT;
    await del(job.id, jobs());
    return job.report.outcome;
  }

  /** The conditional create at the EHR. */
  private async create(prepared: Prepared, renewed = false): Promise<Report | typeof WAIT> {
    const token = this.options.accessToken();
    if (!token) return { outcome: 'refused', reason: 'token', detail: 'The launch has no access token for the EHR' };
    let res: Response;
    try {
      res = await fetch(prepared.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/fhir+json',
          'content-type': 'application/fhir+json',
          'if-none-exist': prepared.ifNoneExist,
        },
        body: JSON.stringify(prepared.resource),
      });
    } catch {
      return WAIT;
    }
    if (res.status === 200 || res.status === 201) {
      const body = (await res.json().catch(() => null)) as { id?: unknown } | null;
      const id = typeof body?.id === 'string' ? body.id : /\/QuestionnaireResponse\/([A-Za-z0-9.-]{1,64})/.exec(res.headers.get('location') ?? '')?.[1];
      return { outcome: 'written', httpStatus: res.status, ...(id && /^[A-Za-z0-9.-]{1,64}$/.test(id) ? { resource: `QuestionnaireResponse/${id}` } : {}) };
    }
    if (transient(res.status)) return WAIT;
    if (res.status === 401) {
      if (!renewed && (await this.options.renewAccessToken().catch(() => false))) return this.create(prepared, true);
      return { outcome: 'refused', reason: 'token', httpStatus: 401, detail: (await detailOf(res)) ?? 'The EHR refused the access token and it could not be renewed' };
    }
    if (res.status >= 400 && res.status < 500) {
      const detail = await detailOf(res);
      return { outcome: 'refused', reason: 'refused', httpStatus: res.status, ...(detail ? { detail } : {}) };
    }
    // A 1xx/3xx is no answer to a create: try again later.
    return WAIT;
  }

  /** A tRPC mutation on our server with the care token: its data, DROP for a final refusal, WAIT for no answer. */
  private async call(path: string, input: unknown, renewed = false): Promise<unknown> {
    const token = this.options.careToken();
    if (!token) return WAIT;
    let res: Response;
    try {
      res = await fetch(`${this.options.endpoint}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
    } catch {
      return WAIT;
    }
    if (res.ok) return ((await res.json()) as { result?: { data?: unknown } }).result?.data ?? null;
    if (res.status === 401) {
      if (!renewed && (await this.options.renewCareToken().catch(() => null))) return this.call(path, input, true);
      return WAIT;
    }
    if (transient(res.status)) return WAIT;
    return DROP;
  }
}
