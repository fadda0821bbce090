import type { AnyTRPCRouter, inferRouterContext, TRPCError } from '@trpc/server';
import { createURL, incomingMessageToRequest, internal_exceptionHandler } from '@trpc/server/adapters/node-http';
import { resolveResponse, type TRPCRequestInfo } from '@trpc/server/http';
import type { Request, RequestHandler, Response } from 'express';

/**
 * tRPC's express adapter (createExpressMiddleware) with the same protocol handling (tRPC's own
 * `resolveResponse`: batching, content types, errors, subscriptions over SSE) and two costs of its
 * Node ↔ Fetch bridge taken out, which profiling `checkIn.submit` under load showed as about a
 * fifth of a call's CPU time:
 *
 * - Requests: a call whose body is already a string (bufferKnownLengthBodies in app.ts) or that has
 *   none (GET) reaches `resolveResponse` as a small object with what it reads of a Fetch `Request`
 *   (url, method, headers, signal, text()) instead of a full undici `Request`, whose constructor
 *   re-validates the headers and follows the abort signal with listeners of its own. The signal is
 *   the one tRPC's adapter makes: it aborts when the client goes away before the answer ends. Any
 *   other request (a streamed body, form data, octet input) gets tRPC's own `incomingMessageToRequest`.
 * - Answers: the body is read with a reader and written to the socket chunk by chunk (flushed, with
 *   backpressure, stopped when the client leaves) instead of through a WritableStream `pipeTo`. An
 *   answer that is not a stream (not SSE, not JSON Lines) is written in one piece with its
 *   Content-Length, so the compression middleware can leave answers below its threshold alone.
 *
 * It leans on what `resolveResponse` reads of a request and on the adapter's exception handler, which
 * are tRPC internals: @trpc/server is pinned to one version in package.json for that reason, and
 * test/server/errors, robustness and live cover the paths (batching, errors, SSE) on each upgrade.
 */
export interface TrpcHttpOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  maxBodySize: number;
  maxBatchSize: number;
  createContext(opts: { req: Request; res: Response; info: TRPCRequestInfo }): Promise<inferRouterContext<TRouter>>;
  onError?(opts: { error: TRPCError; path: string | undefined; req: Request }): void;
}

/** What `resolveResponse` reads of a Fetch `Request` for a JSON call or a GET. */
interface LeanRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  text(): Promise<string>;
}

function headersOf(req: Request): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.startsWith(':') || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else headers.append(key, value);
  }
  return headers;
}

const isJson = (contentType: string | undefined) => contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';

/** As tRPC's adapter does it: the signal aborts when the client leaves (the socket closes before the answer has ended). */
function abortOnLeave(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  const onAbort = () => {
    res.off('close', onClose);
    req.off('aborted', onAbort);
    controller.abort();
  };
  const onClose = () => {
    if (res.writableEnded) {
      req.off('aborted', onAbort);
      return;
    }
    onAbort();
  };
  res.once('close', onClose);
  req.once('aborted', onAbort);
  return controller.signal;
}

function fetchRequestOf(req: Request, res: Response, maxBodySize: number): globalThis.Request {
  const body: unknown = req.body;
  const lean = req.method === 'GET' || req.method === 'HEAD' || (req.method === 'POST' && typeof body === 'string' && isJson(req.headers['content-type']));
  if (!lean) return incomingMessageToRequest(req, res, { maxBodySize });
  const text = typeof body === 'string' ? body : '';
  const request: LeanRequest = {
    url: createURL(req).href,
    method: req.method,
    headers: headersOf(req),
    signal: abortOnLeave(req, res),
    text: () => Promise.resolve(text),
  };
  // resolveResponse reads only the members above for a JSON call or a GET (its other content types get a real Request).
  return request as unknown as globalThis.Request;
}

/** Writes one chunk, waiting for the socket to drain when it asks to. */
async function writeChunk(res: Response, chunk: Uint8Array): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      res.off('error', onError);
      res.off('drain', onDrain);
      res.off('close', onDrain);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    res.once('error', onError);
    res.once('drain', onDrain);
    res.once('close', onDrain);
  });
}

async function writeAnswer(request: globalThis.Request, response: globalThis.Response, res: Response, streamed: boolean): Promise<void> {
  if (res.statusCode === 200) res.statusCode = response.status;
  for (const [key, value] of response.headers) {
    if (key.toLowerCase() !== 'set-cookie') res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  try {
    if (!response.body) return;
    const reader = response.body.getReader();
    if (!streamed) {
      // A JSON answer, whole: one write with its length.
      const chunks: Uint8Array[] = [];
      let length = 0;
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        chunks.push(read.value);
        length += read.value.byteLength;
      }
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
      if (!res.headersSent) res.setHeader('Content-Length', length);
      res.end(body);
      return;
    }
    // SSE or JSON Lines: each chunk as it comes, flushed through the compression middleware (which leaves event streams alone).
    const flush = (res as Response & { flush?: () => void }).flush;
    const stop = () => void reader.cancel().catch(() => undefined);
    request.signal.addEventListener('abort', stop, { once: true });
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        await writeChunk(res, read.value);
        flush?.call(res);
        if (request.signal.aborted) break;
      }
    } finally {
      request.signal.removeEventListener('abort', stop);
    }
  } catch (error) {
    // The client left mid-answer: nothing more to write.
    if (request.signal.aborted) return;
    if (!res.headersSent) res.statusCode = 500;
    throw error;
  } finally {
    if (!res.writableEnded) res.end();
  }
}

/** Mount on `/trpc`, as createExpressMiddleware would be. */
export function trpcHttp<TRouter extends AnyTRPCRouter>(opts: TrpcHttpOptions<TRouter>): RequestHandler {
  const { router, maxBodySize, maxBatchSize, createContext, onError } = opts;
  return (req, res) => {
    const path = req.path.slice(req.path.lastIndexOf('/') + 1);
    const handleError = internal_exceptionHandler({ req, res, path, router, onError } as unknown as Parameters<typeof internal_exceptionHandler>[0]);
    void (async () => {
      const request = fetchRequestOf(req, res, maxBodySize);
      const response = await resolveResponse({
        router,
        req: request,
        path,
        maxBatchSize,
        error: null,
        createContext: ({ info }) => createContext({ req, res, info }),
        onError: (o) => onError?.({ error: o.error, path: o.path, req }),
      });
      // tRPC's own rule (getAcceptHeader) for a JSON Lines answer; SSE says so in its content type.
      const accept = request.headers.get('trpc-accept') ?? (request.headers.get('accept')?.split(',').some((t) => t.trim() === 'application/jsonl') ? 'application/jsonl' : null);
      const streamed = accept === 'application/jsonl' || (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
      await writeAnswer(request, response, res, streamed);
    })().catch(handleError);
  };
}
