/** Options of {@link FetchEventSource}: headers are read again for every (re)connection. */
export interface FetchEventSourceInit {
  headers?: () => Record<string, string>;
  withCredentials?: boolean;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

function messageEvent(type: string, data: string, lastEventId: string, origin: string): Event {
  if (typeof MessageEvent === 'function') return new MessageEvent(type, { data, lastEventId, origin });
  return Object.assign(new Event(type), { data, lastEventId, origin });
}

/**
 * An EventSource over `fetch`, for tRPC's httpSubscriptionLink: unlike the browser's EventSource
 * it can send `Authorization`, so the token never travels in a URL (where proxies would log it).
 * It follows the EventSource model: reconnects after a dropped stream (`retry:` and
 * `Last-Event-ID` honoured) and fails for good on a non-200 answer or a non-SSE body.
 */
export class FetchEventSource extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSED = CLOSED;

  readyState: number = CONNECTING;
  readonly url: string;
  readonly withCredentials: boolean;
  private readonly abort = new AbortController();
  private readonly headers: () => Record<string, string>;
  private lastEventId = '';
  private retryMs = 3000;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string | URL, init: FetchEventSourceInit = {}) {
    super();
    this.url = String(url);
    this.withCredentials = init.withCredentials ?? false;
    this.headers = init.headers ?? (() => ({}));
    void this.connect();
  }

  close(): void {
    this.readyState = CLOSED;
    clearTimeout(this.timer);
    this.abort.abort();
  }

  private async connect(): Promise<void> {
    if (this.readyState === CLOSED) return;
    let response: Response;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...this.headers() };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      response = await fetch(this.url, {
        headers,
        cache: 'no-store',
        credentials: this.withCredentials ? 'include' : 'same-origin',
        signal: this.abort.signal,
      });
    } catch {
      this.reconnect();
      return;
    }
    if (this.readyState === CLOSED) return;
    if (response.status !== 200 || !response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      void response.body?.cancel().catch(() => undefined);
      this.readyState = CLOSED;
      this.dispatchEvent(new Event('error'));
      return;
    }
    this.readyState = OPEN;
    this.dispatchEvent(new Event('open'));
    try {
      await this.read(response.body);
    } catch {
      // dropped connection or close(): handled below
    }
    this.reconnect();
  }

  private reconnect(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CONNECTING;
    this.dispatchEvent(new Event('error'));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
  }

  /** The event-stream format: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation */
  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const origin = new URL(this.url, typeof location === 'undefined' ? undefined : location.href).origin;
    let buffer = '';
    let type = '';
    let data = '';
    let sawData = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done || this.readyState === CLOSED) return;
      buffer += decoder.decode(value, { stream: true });
      // A trailing \r may be the first half of \r\n: keep it until the next chunk says.
      const hold = buffer.endsWith('\r') ? '\r' : '';
      const lines = (hold ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? '') + hold;
      for (const line of lines) {
        if (line === '') {
          if (sawData && this.readyState !== CLOSED) {
            this.dispatchEvent(messageEvent(type || 'message', data.endsWith('\n') ? data.slice(0, -1) : data, this.lastEventId, origin));
          }
          type = '';
          data = '';
          sawData = false;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let fieldValue = colon === -1 ? '' : line.slice(colon + 1);
        if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
        if (field === 'data') {
          data += `${fieldValue}\n`;
          sawData = true;
        } else if (field === 'event') type = fieldValue;
        else if (field === 'id' && !fieldValue.includes('\0')) this.lastEventId = fieldValue;
        else if (field === 'retry' && /^\d+$/.test(fieldValue)) this.retryMs = Number(fieldValue);
      }
    }
  }
}
