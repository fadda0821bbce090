import type { TokenExpiredReason } from './api-client.js';
import type { FailureKind } from './failure.js';

/** `care-error`: something failed that the person (or the host page) may need to act on. */
export interface CareErrorDetail {
  /** A failure kind, or `origin-not-allowed` (check-in: the server refuses this site) or `video-unavailable` (support room). */
  kind: FailureKind | 'origin-not-allowed' | 'video-unavailable';
  message: string;
  /** Why, when the kind alone does not say (queued reason, video load failure). */
  reason?: string;
}

/** `care-token-expired`: a call was refused and no fresh token could be had. */
export interface CareTokenExpiredDetail {
  reason: TokenExpiredReason;
}

/** `care-token-refreshed` (from `<care-provider>`): seconds the fresh token is valid for, or null. */
export interface CareTokenRefreshedDetail {
  expiresIn: number | null;
}

/** `care-open-client` (roster, alerts): a person's record is about to open. Cancelable. */
export interface CareOpenClientDetail {
  clientId: string;
}

/** `care-strings-refused` (from `<care-provider>`): keys of `strings` that were not applied. */
export interface CareStringsRefusedDetail {
  keys: string[];
}

declare global {
  interface GlobalEventHandlersEventMap {
    'care-error': CustomEvent<CareErrorDetail>;
    'care-strings-refused': CustomEvent<CareStringsRefusedDetail>;
    'care-token-expired': CustomEvent<CareTokenExpiredDetail>;
    'care-token-refreshed': CustomEvent<CareTokenRefreshedDetail>;
    'care-open-client': CustomEvent<CareOpenClientDetail>;
  }
}

/** Names of the events the care widgets fire. */
export type CareEventName = Extract<keyof GlobalEventHandlersEventMap, `care-${string}`>;

/** The `detail` a care event carries. */
export type CareEventDetail<K extends CareEventName> = GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never;

/** A bubbling, composed, cancelable care event with a checked detail. */
export const careEvent = <K extends CareEventName>(name: K, detail: CareEventDetail<K>, cancelable = true): CustomEvent<CareEventDetail<K>> =>
  new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable });
