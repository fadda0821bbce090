/**
 * A stand-in care server for stories: answers tRPC calls to MOCK_ENDPOINT from canned handlers, so
 * every widget state can be shown without a real server. It speaks the real wire format (batched,
 * no transformer), so the widgets run their real code paths.
 */
export const MOCK_ENDPOINT = 'https://care.example.test';

/** What a handler may answer: data, a tRPC error, 'offline' (network failure) or 'pending' (never answers). */
export type MockAnswer =
  | { data: unknown }
  | { error: { httpStatus: number; code: string; message: string; fieldErrors?: { path: string; message: string }[] } }
  | 'offline'
  | 'pending';

export type MockHandlers = Record<string, (input: unknown) => MockAnswer | Promise<MockAnswer>>;

/** A token the widgets can read an identity from; the mock never checks signatures. */
export function mockToken(sub = 'story-client', role = 'client'): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256' })}.${encode({ sub, clinic: 'demo-clinic', role, exp: 4_102_444_800 })}.mock`;
}

let handlers: MockHandlers = {};
let installed = false;

export function mockCareServer(next: MockHandlers): void {
  handlers = next;
  if (installed) return;
  installed = true;
  const realFetch = window.fetch.bind(window);
  window.fetch = async (resource: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(resource instanceof Request ? resource.url : String(resource));
    if (url.origin !== MOCK_ENDPOINT) return realFetch(resource, init);
    // GET /healthz answers only when a story says the server is up (a `healthz` handler); otherwise the network is down.
    if (url.pathname === '/healthz') {
      if (!handlers.healthz || (await handlers.healthz(undefined)) === 'offline') throw new TypeError('Failed to fetch');
      return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
    }
    const paths = url.pathname.replace(/^\/trpc\//, '').split(',');
    const batched = url.searchParams.get('batch') === '1';
    const rawInputs: Record<string, unknown> =
      init?.method === 'POST'
        ? (JSON.parse(typeof init.body === 'string' ? init.body : '{}') as Record<string, unknown>)
        : (JSON.parse(url.searchParams.get('input') ?? '{}') as Record<string, unknown>);
    const answers = await Promise.all(
      paths.map(async (path, i) => {
        const handler = handlers[path];
        const input = batched ? rawInputs[String(i)] : rawInputs;
        if (!handler) return { error: { httpStatus: 404, code: 'NOT_FOUND', message: `No mock for ${path}` } };
        return handler(input);
      }),
    );
    if (answers.includes('offline')) throw new TypeError('Failed to fetch');
    if (answers.includes('pending')) return new Promise<Response>(() => {});
    const body = answers.map((answer) =>
      typeof answer === 'object' && 'data' in answer
        ? { result: { data: answer.data } }
        : {
            error: {
              message: (answer as Extract<MockAnswer, { error: unknown }>).error.message,
              code: -32600,
              data: { ...(answer as Extract<MockAnswer, { error: unknown }>).error, fieldErrors: (answer as Extract<MockAnswer, { error: unknown }>).error.fieldErrors ?? null },
            },
          },
    );
    const status = body.every((b) => 'result' in b) ? 200 : body.length === 1 ? (answers[0] as Extract<MockAnswer, { error: unknown }>).error.httpStatus : 207;
    return new Response(JSON.stringify(batched ? body : body[0]), { status, headers: { 'content-type': 'application/json' } });
  };
}
