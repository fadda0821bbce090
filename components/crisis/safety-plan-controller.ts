import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { contactsOf, type SafetyPlanSections, type SafetyPlanVersion, type SafetyPlanView } from '../../server/contract/safety-plan.js';
import type { CareClient } from '../core/api-client.js';
import { failureOf, isConflict, isFailure, localFailure, type Failure } from '../core/failure.js';
import { personKey, planKey, readCache, updateCachedContacts, writeCache } from './crisis-cache.js';

/** What the controller needs from `<care-safety-plan>`. */
export interface SafetyPlanSource {
  api(): CareClient;
  endpoint(): string;
  token(): string | null;
  /** Whose plan: the client's own id, or the one a clinician opened; null when none is chosen. */
  subject(): string | null;
  /** Signed in as clinician or admin: reads with `clientId`, saves suggestions. */
  isStaff(): boolean;
  /** The plan could not be loaded (after the device copy, if any, was shown). */
  loadFailed(failure: Failure): void;
}

/** How a save ended. */
export type SaveOutcome = { status: 'saved'; saved: SafetyPlanVersion } | { status: 'conflict'; latest: SafetyPlanView | null } | { status: 'failed'; failure: Failure };

/**
 * Loading, device cache, saving and version conflicts of a safety plan: the plan's data, apart from
 * how `<care-safety-plan>` shows and edits it. The last copy is kept on the device and shown at once
 * (and while offline); a newer load cancels an older request.
 */
export class SafetyPlanController implements ReactiveController {
  /** The plan on screen: from the server, or the device's copy. */
  view: SafetyPlanView | null = null;
  /** When the view came from the device: when it was saved there. */
  fromCacheAt: number | null = null;
  /** Why the last load failed; null after a good one. */
  failure: Failure | null = null;

  private readonly loader: Task<readonly [string | null, string], SafetyPlanView>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: SafetyPlanSource,
  ) {
    host.addController(this);
    this.loader = new Task(host, {
      // A refreshed token for the same person does not load again.
      args: () => [this.cacheKey, source.endpoint()] as const,
      task: async ([key, endpoint], { signal }) => {
        if (!personKey(endpoint, source.token())) throw localFailure('signed-out', 'no token');
        if (!key) throw localFailure('invalid', 'no client');
        if (!this.view) {
          const cached = await readCache<SafetyPlanView>(key);
          signal.throwIfAborted();
          if (cached && !this.view) {
            this.view = cached.value;
            this.fromCacheAt = cached.savedAt;
            host.requestUpdate();
          }
        }
        const view = await this.fetch(signal);
        void writeCache(key, view);
        return view;
      },
      onComplete: (view) => {
        this.view = view;
        this.fromCacheAt = null;
        this.failure = null;
      },
      onError: (error) => {
        const failure = isFailure(error) ? error : failureOf(error);
        this.failure = failure;
        if (!isLocal(failure)) source.loadFailed(failure);
      },
    });
  }

  hostConnected(): void {}

  /** Still waiting for the first answer (no plan to show, no failure to report). */
  get loading(): boolean {
    return !this.view && !this.failure && (this.loader.status === TaskStatus.INITIAL || this.loader.status === TaskStatus.PENDING);
  }

  /** Nothing to show: the plan could not be loaded and the device has no copy. */
  get unavailable(): boolean {
    return !this.view && this.failure !== null;
  }

  private get cacheKey(): string | null {
    const person = personKey(this.source.endpoint(), this.source.token());
    const subject = this.source.subject();
    return person && subject ? planKey(person, subject) : null;
  }

  private fetch(signal?: AbortSignal): Promise<SafetyPlanView> {
    const input = this.source.isStaff() ? { clientId: this.source.subject()! } : undefined;
    return this.source.api().safetyPlan.get.query(input, signal ? { signal } : undefined);
  }

  /** Loads the plan again from the server (the device copy shows meanwhile). */
  reload(): Promise<void> {
    return this.loader.run();
  }

  /** Saves a new version on top of `baseVersion`; a stale base comes back as a conflict with the newer plan. */
  async save(sections: SafetyPlanSections, baseVersion: number | null): Promise<SaveOutcome> {
    try {
      const saved = await this.source.api().safetyPlan.save.mutate({
        ...(this.source.isStaff() ? { clientId: this.source.subject()! } : {}),
        baseVersion,
        sections,
      });
      this.saved(saved);
      return { status: 'saved', saved };
    } catch (error) {
      if (isConflict(error)) return { status: 'conflict', latest: await this.fetch().catch(() => this.view) };
      return { status: 'failed', failure: failureOf(error) };
    }
  }

  /** Shows a version read elsewhere (after a conflict) and keeps it on the device. */
  show(view: SafetyPlanView, keep = false): void {
    this.view = view;
    const key = this.cacheKey;
    if (keep && key) void writeCache(key, view);
    this.host.requestUpdate();
  }

  private saved(saved: SafetyPlanVersion): void {
    const previous = this.view;
    const view: SafetyPlanView = {
      clientId: saved.clientId,
      latestVersion: saved.version,
      plan: saved.kind === 'plan' ? saved : (previous?.plan ?? null),
      suggestion: saved.kind === 'suggestion' ? saved : null,
      versions: [{ version: saved.version, kind: saved.kind, authorRole: saved.authorRole, createdAt: saved.createdAt }, ...(previous?.versions ?? [])],
    };
    this.view = view;
    this.fromCacheAt = null;
    const key = this.cacheKey;
    if (key) void writeCache(key, view);
    const person = personKey(this.source.endpoint(), this.source.token());
    if (person && saved.kind === 'plan') void updateCachedContacts(person, contactsOf(saved.sections));
    this.host.requestUpdate();
  }
}

/** Failures found before any call (no token, no client chosen): shown, not reported. */
const isLocal = (failure: Failure): boolean => failure.message === 'no token' || failure.message === 'no client';
