import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../server/routers/index.js';

export type CareClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface FieldError {
  path: string;
  message: string;
}

/** How a failed call should be handled by a widget. */
export type FailureKind = 'offline' | 'signed-out' | 'invalid' | 'forbidden' | 'not-found' | 'rate-limited' | 'server';

export interface Failure {
  kind: FailureKind;
  message: string;
  fieldErrors: FieldError[];
}

/** The token is read at request time, so a refreshed token needs no new client. */
export function careClient(endpoint: string, getToken: () => string | null): CareClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${endpoint.replace(/\/$/, '')}/trpc`,
        headers: () => {
          const token = getToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}

export function classifyFailure(error: unknown): Failure {
  if (error instanceof TRPCClientError) {
    const data = error.data as { httpStatus?: number; fieldErrors?: FieldError[] | null } | undefined;
    const status = data?.httpStatus;
    const fieldErrors = data?.fieldErrors ?? [];
    if (status === undefined) return { kind: 'offline', message: error.message, fieldErrors: [] };
    if (status === 401) return { kind: 'signed-out', message: error.message, fieldErrors };
    if (status === 403) return { kind: 'forbidden', message: error.message, fieldErrors };
    if (status === 404) return { kind: 'not-found', message: error.message, fieldErrors };
    if (status === 429) return { kind: 'rate-limited', message: error.message, fieldErrors };
    if (status >= 400 && status < 500) return { kind: 'invalid', message: error.message, fieldErrors };
    return { kind: 'server', message: error.message, fieldErrors };
  }
  return { kind: 'offline', message: String(error), fieldErrors: [] };
}

/** Failures worth retrying later without asking the person to change anything. */
export const isTransient = (f: Failure) => f.kind === 'offline' || f.kind === 'server' || f.kind === 'rate-limited';
