import type { ReactiveControllerHost } from 'lit';
import { importAgain } from './import-again.js';

/**
 * Code a widget fetches when it first needs it (a lazy chunk), and what it makes of it:
 * `importModule` is one `() => import('./part.js')` and nothing more (a retry imports the URL alone);
 * `make`, when given, builds the value from the module (the part's controllers, say); without it
 * the value is the module.
 *
 * - One fetch for every use: the promise is kept and shared.
 * - A failed fetch is forgotten, so the next use fetches again instead of keeping the failure for
 *   the life of the page. Chromium answers a second `import()` of a URL whose fetch failed with the
 *   same failure, without a request, so the next use imports through importAgain (import-again.ts),
 *   which requests the failed URL anew (a failed dependency of the chunk stays failed: see there).
 *   `make` runs on the module each time it arrives.
 * - When the code arrives, `host` (the element) is asked to render again, and `value` has it.
 */
export class LazyModule<M, T = M> {
  private loading: Promise<T> | null = null;
  private loaded: T | undefined;
  /** The last fetch's failure (undefined before one failed): the next fetch imports around it. */
  private failure: unknown;
  private readonly make: (module: M) => T;

  constructor(importModule: () => Promise<M>, host?: ReactiveControllerHost);
  constructor(importModule: () => Promise<M>, host: ReactiveControllerHost | undefined, make: (module: M) => T);
  constructor(
    private readonly importModule: () => Promise<M>,
    private readonly host?: ReactiveControllerHost,
    make?: (module: M) => T,
  ) {
    this.make = make ?? ((module) => module as unknown as T);
  }

  /** The code, once it arrived (undefined before). */
  get value(): T | undefined {
    return this.loaded;
  }

  /** The code, fetched on the first call (and again after a failed fetch). */
  get(): Promise<T> {
    this.loading ??= this.fetch().then(
      (value) => {
        this.loaded = value;
        this.host?.requestUpdate();
        return value;
      },
      (error: unknown) => {
        this.loading = null;
        this.failure = error;
        throw error;
      },
    );
    return this.loading;
  }

  private async fetch(): Promise<T> {
    const module = await (this.failure === undefined ? this.importModule() : importAgain(this.failure, this.importModule));
    return this.make(module);
  }

  /** Starts fetching ahead of need; a failure is left for the next use to retry. */
  prefetch(): void {
    this.get().catch(() => undefined);
  }
}
