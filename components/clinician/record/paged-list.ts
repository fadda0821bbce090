import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { failureOf, type Failure } from '../../core/failure.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One list read page by page from the server: first page on `reload()`, the next on `more()`. */
export class PagedList<T> implements ReactiveController {
  items: T[] = [];
  status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  failure: Failure | null = null;
  nextCursor: string | null = null;
  private ticket = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // A reply that arrives after the element left the page is dropped.
    this.ticket++;
  }

  /** Starts over from the first page. */
  reload(): Promise<void> {
    this.items = [];
    this.nextCursor = null;
    return this.load(undefined);
  }

  more(): Promise<void> {
    return this.nextCursor ? this.load(this.nextCursor) : Promise.resolve();
  }

  private async load(cursor: string | undefined): Promise<void> {
    const ticket = ++this.ticket;
    this.status = 'loading';
    this.host.requestUpdate();
    try {
      const page = await this.fetchPage(cursor);
      if (ticket !== this.ticket) return;
      this.items = cursor === undefined ? page.items : [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
      this.failure = null;
      this.status = 'ready';
    } catch (error) {
      if (ticket !== this.ticket) return;
      this.failure = failureOf(error);
      this.status = 'error';
    }
    this.host.requestUpdate();
  }
}
