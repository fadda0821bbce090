import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { failureOf, isAbort, type Failure } from '../core/failure.js';

export interface SectionLoaderOptions {
  /**
   * What a load depends on, e.g. the element's `token`, `endpoint` and provider settings: when any
   * of them is not the same (===) as at the host's previous update, the section loads again.
   */
  args: () => readonly unknown[];
  /** Whether there is anything to load with (a token); when not, a load asks nothing and leaves an earlier request running. */
  ready: () => boolean;
  /** Reads the section and shows it. The signal aborts when a newer load starts or the host leaves the page. */
  load: (signal: AbortSignal) => Promise<void>;
  /** The load failed for a reason other than being aborted. */
  failed: (failure: Failure) => void;
}

/**
 * Loads one section of `<care-admin>`: again whenever what it depends on changes, cancelling the
 * earlier request when a newer one starts and when the element leaves the page. An aborted request
 * is not a failure; any other failure goes to `failed`.
 */
export class SectionLoader implements ReactiveController {
  private controller: AbortController | null = null;
  private previous: readonly unknown[] = [];

  constructor(
    host: ReactiveControllerHost,
    private readonly options: SectionLoaderOptions,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const args = this.options.args();
    const changed = args.some((value, i) => value !== this.previous[i]);
    this.previous = args;
    if (changed) void this.load();
  }

  hostDisconnected(): void {
    this.controller?.abort();
  }

  /** Loads now, cancelling a load that is still under way. */
  async load(): Promise<void> {
    if (!this.options.ready()) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      await this.options.load(controller.signal);
    } catch (error) {
      if (isAbort(error)) return;
      this.options.failed(failureOf(error));
    }
  }
}
