import type { ReactiveControllerHost } from 'lit';

/**
 * Code a widget fetches when it first needs it (a lazy chunk), and what it makes of it: `load` is
 * typically `() => import('./part.js')`, or an import followed by building the part's controllers.
 *
 * - One fetch for every use: the promise is kept and shared.
 * - A failed load is forgotten, so the next use calls `load` again instead of keeping the failure
 *   for the life of the page. Chromium answers a second `import()` of a URL whose fetch failed with
 *   the same failure, without a request, so there a chunk whose fetch failed stays failed until
 *   the page reloads (language files get around that: import-again.ts).
 * - When the code arrives, `host` (the element) is asked to render again, and `value` has it.
 */
export class LazyModule<T> {
  private loading: Promise<T> | null = null;
  private loaded: T | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly host?: ReactiveControllerHost,
  ) {}

  /** The code, once it arrived (undefined before). */
  get value(): T | undefined {
    return this.loaded;
  }

  /** The code, fetched on the first call (and again after a failed fetch). */
  get(): Promise<T> {
    this.loading ??= this.load().then(
      (value) => {
        this.loaded = value;
        this.host?.requestUpdate();
        return value;
      },
      (error: unknown) => {
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  /** Starts fetching ahead of need; a failure is left for the next use to retry. */
  prefetch(): void {
    this.get().catch(() => undefined);
  }
}
