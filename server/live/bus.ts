import { createHash } from 'node:crypto';

/**
 * What travels between server processes: ids and kinds only. Values are restricted to id-like
 * characters (no spaces), so a name or a note cannot be published by mistake.
 */
export type LivePayload = Readonly<Record<string, string>>;
export type LiveListener = (payload: LivePayload) => void;

/** Payload every listener of a channel receives when changes may have been missed (listener reconnected). */
export const RESYNC: LivePayload = Object.freeze({ kind: 'resync' });

/**
 * Change notifications between the server processes that share one database. Publishing never
 * throws and never waits for delivery (a lost event costs a refetch on the next poll, nothing more).
 */
export interface LiveBus {
  publish(channel: string, payload: LivePayload): void;
  /** Resolves once the bus listens on `channel` (events published after that are delivered); returns the unsubscribe function. */
  subscribe(channel: string, listener: LiveListener): Promise<() => void>;
  /** Aborted when the bus closes: open streams end so the HTTP server can stop. */
  readonly closed: AbortSignal;
  /** Idempotent. */
  close(): Promise<void>;
}

const CHANNEL = /^care_[a-z]+_[0-9a-f]{32}$/;
const VALUE = /^[\w.:@-]{1,128}$/;
const MAX_KEYS = 4;

function digest(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** One channel per clinic; the clinic id is hashed so channel names (visible to database admins) say nothing. */
export const alertsChannel = (clinicId: string): string => `care_alerts_${digest(['alerts', clinicId])}`;
/** One channel per group of a clinic. */
export const postsChannel = (clinicId: string, groupId: string): string => `care_posts_${digest(['posts', clinicId, groupId])}`;

export function isChannel(channel: string): boolean {
  return CHANNEL.test(channel);
}

/** True for payloads a bus may carry: at most four id-like string values. */
export function isLivePayload(value: unknown): value is LivePayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.length <= MAX_KEYS && entries.every(([k, v]) => /^[a-zA-Z]{1,20}$/.test(k) && typeof v === 'string' && VALUE.test(v));
}

/** Parses a payload received from another process; anything unexpected is dropped (null). */
export function parsePayload(text: string | undefined): LivePayload | null {
  if (!text || text.length > 1000) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isLivePayload(value) ? value : null;
  } catch {
    return null;
  }
}

/** Tells the clinic's staff that an alert changed. Call after the commit. */
export function publishAlertChange(bus: LiveBus, clinicId: string, alertId: string, kind: 'created' | 'updated' | 'acknowledged'): void {
  bus.publish(alertsChannel(clinicId), { kind, id: alertId });
}

/** Tells a group's members that its board changed. Call after the commit. */
export function publishPostChange(bus: LiveBus, clinicId: string, groupId: string, postId: string, kind: 'posted' | 'hidden'): void {
  bus.publish(postsChannel(clinicId, groupId), { kind, id: postId });
}
