import assert from 'node:assert/strict';

/** A reader of tRPC's Server-Sent Events over plain fetch, as a browser EventSource would open them. */

interface SseMessage {
  event: string;
  data: unknown;
}

export interface Stream {
  /** The next data event matching `match` (earlier non-matching ones are skipped), or an error after `ms`. */
  next<T>(match?: (data: T) => boolean, ms?: number): Promise<T>;
  /** Resolves with the first `serialized-error` event's error shape. */
  error(ms?: number): Promise<{ message: string; data: { code: string; httpStatus: number } }>;
  /** Every data event seen so far. */
  seen: unknown[];
  /** Settles when the server ends the response (or the test closes it). */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens `GET /trpc/<path>` as an event stream. The token goes in the Authorization header, or in
 * connectionParams (as a browser EventSource would send it) when `via` is 'connectionParams'.
 */
export async function openStream(baseUrl: string, path: string, input: unknown, token: string | undefined, via: 'header' | 'connectionParams' = 'header'): Promise<Stream> {
  const params = new URLSearchParams();
  if (input !== undefined) params.set('input', JSON.stringify(input));
  if (token && via === 'connectionParams') params.set('connectionParams', JSON.stringify({ token }));
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/trpc/${path}?${params}`, {
    headers: { accept: 'text/event-stream', ...(token && via === 'header' ? { authorization: `Bearer ${token}` } : {}) },
    signal: abort.signal,
  });
  assert.equal(res.status, 200, `${path} opens an event stream`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  const seen: unknown[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          let parsed: unknown = data;
          try {
            parsed = data ? JSON.parse(data) : '';
          } catch {
            // keep the raw text
          }
          messages.push({ event, data: parsed });
          if (event === 'message') seen.push(parsed);
          for (const w of waiters) w();
        }
      }
    } catch {
      // closed by the test
    }
    for (const w of waiters) w();
  })();

  async function take<T>(pick: (m: SseMessage) => T | undefined, what: string, ms: number): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (let i = 0; i < messages.length; i++) {
        const found = pick(messages[i]!);
        messages.splice(i--, 1);
        if (found !== undefined) return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} on ${path} within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  return {
    seen,
    ended,
    next: <T>(match: (data: T) => boolean = () => true, ms = 5000) =>
      take<T>((m) => (m.event === 'message' && match(m.data as T) ? (m.data as T) : undefined), 'matching event', ms),
    error: (ms = 5000) =>
      take((m) => (m.event === 'serialized-error' ? (m.data as Awaited<ReturnType<Stream['error']>>) : undefined), 'serialized-error', ms),
    close: () => abort.abort(),
  };
}

