import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { failureOf, type Failure } from '../../core/failure.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One list read page by page from the server: first page on `reload()`, the next on `more()`.
 * Loads with @lit/task: a newer load (or leaving the page) cancels the older request.
 */
export class PagedList<T> implements ReactiveController {
  items: T[] = [];
  nextCursor: string | null = null;
  private interrupted = false;
  private readonly task: Task<readonly [string | undefined], { cursor: string | undefined; page: Page<T> }>;

  constructor(
    host: ReactiveControllerHost,
    fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  ) {
    host.addController(this);
    this.task = new Task(host, {
      autoRun: false,
      args: () => [undefined] as const,
      task: async ([cursor], { signal }) => ({ cursor, page: await fetchPage(cursor, signal) }),
      onComplete: ({ cursor, page }) => {
        this.items = cursor === undefined ? page.items : [...this.items, ...page.items];
        this.nextCursor = page.nextCursor;
      },
    });
  }

  get status(): 'idle' | 'loading' | 'ready' | 'error' {
    switch (this.task.status) {
      case TaskStatus.PENDING:
        return 'loading';
      case TaskStatus.COMPLETE:
        return 'ready';
      case TaskStatus.ERROR:
        return 'error';
      default:
        return 'idle';
    }
  }

  get failure(): Failure | null {
    return this.task.status === TaskStatus.ERROR ? failureOf(this.task.error) : null;
  }

  hostConnected(): void {
    // Put back on the page while a load was cancelled: load again rather than show the cancellation.
    if (this.interrupted) {
      this.interrupted = false;
      void this.reload();
    }
  }

  hostDisconnected(): void {
    // The element left the page: its pending request is cancelled.
    if (this.task.status !== TaskStatus.PENDING) return;
    this.interrupted = true;
    this.task.abort();
  }

  /** Starts over from the first page. */
  reload(): Promise<void> {
    this.items = [];
    this.nextCursor = null;
    return this.task.run([undefined]);
  }

  more(): Promise<void> {
    return this.nextCursor ? this.task.run([this.nextCursor]) : Promise.resolve();
  }
}
