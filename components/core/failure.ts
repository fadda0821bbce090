import { TRPCClientError } from '@trpc/client';
import type { TFunction } from 'i18next';
import { html, nothing, type TemplateResult } from 'lit';

/** One field the server refused, with its message. */
export interface FieldError {
  path: string;
  message: string;
}

/** How a failed call should be handled by a widget. */
export type FailureKind = 'offline' | 'signed-out' | 'invalid' | 'forbidden' | 'not-found' | 'rate-limited' | 'server';

/** A failed call, classified for the person: what kind of trouble, the server's message, refused fields. */
export interface Failure {
  kind: FailureKind;
  message: string;
  fieldErrors: FieldError[];
}

/** What went wrong with a call, in terms a widget acts on. Anything that is not a tRPC answer counts as offline. */
export function failureOf(error: unknown): Failure {
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

/** A failure the widget made up itself (no token, no client chosen). */
export const localFailure = (kind: FailureKind, message: string): Failure => ({ kind, message, fieldErrors: [] });

/** A Failure thrown as is (by a task that gave up before calling the server). */
export const isFailure = (error: unknown): error is Failure =>
  typeof error === 'object' && error !== null && 'kind' in error && 'fieldErrors' in error && !(error instanceof Error);

/** The tRPC error code of a refused call (`CONFLICT`, `FORBIDDEN`, `PRECONDITION_FAILED`…), if it was one. */
export const codeOf = (error: unknown): string | undefined =>
  error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;

/** The server refused because someone else changed the thing first (HTTP 409). */
export const isConflict = (error: unknown): boolean => codeOf(error) === 'CONFLICT';

/** Failures worth retrying later without asking the person to change anything. */
export const isTransient = (f: Failure): boolean => f.kind === 'offline' || f.kind === 'server' || f.kind === 'rate-limited';

/** The call was cancelled (a newer one replaced it, or the element went away): nothing to show. */
export const isAbort = (error: unknown): boolean =>
  (error instanceof DOMException && error.name === 'AbortError') ||
  (error instanceof Error && (error.name === 'AbortError' || (error.cause instanceof Error && error.cause.name === 'AbortError')));

/**
 * Translation keys for each kind of failure a widget words its own way; `default` covers the rest.
 * `signed-out` falls back to the shared `common.signedOut`.
 */
export type FailureMessages = Partial<Record<FailureKind, string>> & { default: string };

/** The usual messages of a widget that failed to load: `<ns>.forbidden`, `<ns>.offline`, `<ns>.loadFailed`. */
export const loadFailureMessages = (namespace: string): FailureMessages => ({
  forbidden: `${namespace}.forbidden`,
  offline: `${namespace}.offline`,
  default: `${namespace}.loadFailed`,
});

/** The sentence that tells a person what went wrong. */
export function failureText(failure: Failure, t: TFunction, messages: FailureMessages): string {
  const key = messages[failure.kind] ?? (failure.kind === 'signed-out' ? 'common.signedOut' : messages.default);
  return t(key);
}

export interface RenderFailureOptions {
  t: TFunction;
  /** Keys of the messages (see failureText), or the sentence itself. */
  messages: FailureMessages | string;
  /** Offers "Try again" when given and the failure is not one of `noRetryFor`. */
  retry?: () => void;
  /** Kinds a retry cannot fix; default: signed out and forbidden. */
  noRetryFor?: readonly FailureKind[];
  /** Retry button styled as the main action. */
  primary?: boolean;
}

/** "This went wrong, [Try again]": the failure notice every widget shows (part `notice`, retry button part `button`). */
export function renderFailure(failure: Failure, options: RenderFailureOptions): TemplateResult {
  const { t, messages, retry, noRetryFor = ['forbidden', 'signed-out'], primary = false } = options;
  const text = typeof messages === 'string' ? messages : failureText(failure, t, messages);
  const canRetry = retry && !noRetryFor.includes(failure.kind);
  return html`<div class="notice warning" part="notice">
    <p>${text}</p>
    ${canRetry ? html`<button part="button" type="button" class=${primary ? 'primary' : nothing} @click=${retry}>${t('common.retry')}</button>` : nothing}
  </div>`;
}
