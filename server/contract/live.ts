import * as z from 'zod/mini';

/**
 * Live updates (tRPC subscriptions over Server-Sent Events). Events carry ids and a kind only, never
 * names or free text: a widget that receives one refetches through the ordinary, authorised query.
 *
 * Every stream starts with `ready` once the server listens for changes (refetch now: anything
 * before it may have been missed) and sends `resync` when changes may have been lost (the server's
 * listener reconnected, or the client fell behind): refetch again.
 */

/** `alerts.onChange` takes no input (nothing, or `{}`): the clinic comes from the token. */
export const alertsOnChangeInput = z.optional(z.strictObject({}));

/**
 * `alerts.onChange` (clinician, admin): an alert of the caller's clinic was created, updated (the
 * person pressed for help again while their crisis alert was open) or acknowledged.
 */
export interface AlertChange {
  kind: 'ready' | 'resync' | 'created' | 'updated' | 'acknowledged';
  alertId: string | null;
}

/** `groups.onPost` (members and moderators of the group): a post was created or hidden. */
export interface PostChange {
  kind: 'ready' | 'resync' | 'posted' | 'hidden';
  postId: string | null;
}

export const ALERT_CHANGE_KINDS = ['created', 'updated', 'acknowledged'] as const;
export const POST_CHANGE_KINDS = ['posted', 'hidden'] as const;
