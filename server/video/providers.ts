import type { Selectable } from 'kysely';
import type { VideoConfigView, VideoMode, VideoProvider } from '../contract/groups.js';
import type { Db } from '../db/index.js';
import { fromJsonOrNull } from '../db/json.js';
import type { VideoConfigsTable } from '../db/schema.js';

/**
 * Video providers, explicitly (issue 19). A clinic has one provider (its `video_configs` row with
 * `group_id` = '') and a group may override it (its own row). Which one a group uses, and whether
 * it may be used at all, is decided here and nowhere else:
 * - `self-hosted`: the clinic's own Jitsi (token auth with an HS256 app secret, or no tokens);
 * - `jaas`: 8x8 Jitsi as a Service (RS256 tokens signed with the clinic's private key);
 * - `public-demo`: meet.jit.si, only in demo mode, or for a group whose own row opted in
 *   (`public_opt_in`): members are told it is a public test room;
 * - `none`: no video room (the board and the dial-in, if any).
 * Without any row a group has no video room.
 */

export type VideoRow = Selectable<VideoConfigsTable>;

export const PUBLIC_DEMO_DOMAIN = 'meet.jit.si';
export const JAAS_DOMAIN = '8x8.vc';

/** Why a group has no video room. */
export type NoVideoReason = 'not-configured' | 'public-not-allowed' | 'group-none';

/** The provider a group uses, resolved. Secrets stay in `row`, which never leaves the server. */
export type ResolvedVideo =
  | {
      provider: Exclude<VideoProvider, 'none'>;
      domain: string;
      mode: Exclude<VideoMode, 'none'>;
      captions: boolean;
      publicTestRoom: boolean;
      dialIn: { number: string; pin: string | null } | null;
      row: VideoRow;
    }
  | { provider: 'none'; domain: null; mode: 'none'; captions: false; publicTestRoom: false; dialIn: { number: string; pin: string | null } | null; reason: NoVideoReason; row: VideoRow | null };

const dialInOf = (row: VideoRow | null): { number: string; pin: string | null } | null => {
  const value = row ? fromJsonOrNull(row.dial_in) : null;
  return value ? { number: value.number, pin: value.pin ?? null } : null;
};

/** How a row runs: room tokens, an open room on the clinic's own domain, the public service, or none. */
export function modeOf(row: Pick<VideoRow, 'provider' | 'app_id' | 'app_secret' | 'private_key'>): VideoMode {
  switch (row.provider) {
    case 'jaas':
      return 'token';
    case 'self-hosted':
      return row.app_id && row.app_secret ? 'token' : 'open';
    case 'public-demo':
      return 'public';
    default:
      return 'none';
  }
}

/** Captions are offered only where the provider can transcribe: JaaS with its feature on, or a self-hosted deployment that declares it. */
export function captionsOf(row: Pick<VideoRow, 'provider' | 'transcription'>): boolean {
  return (row.provider === 'jaas' || row.provider === 'self-hosted') && row.transcription === 1;
}

/** A public-demo row may be used in demo mode, or as a group's own row that opted in. */
export function usable(row: Pick<VideoRow, 'provider' | 'group_id' | 'public_opt_in'>, demo: boolean): boolean {
  if (row.provider !== 'public-demo') return true;
  return demo || (row.group_id !== '' && row.public_opt_in === 1);
}

/** The provider `groupRow` (the group's override) or else `clinicRow` gives a group. */
export function resolveVideo(clinicRow: VideoRow | null, groupRow: VideoRow | null, demo: boolean): ResolvedVideo {
  const row = groupRow ?? clinicRow;
  const none = (reason: NoVideoReason): ResolvedVideo => ({
    provider: 'none',
    domain: null,
    mode: 'none',
    captions: false,
    publicTestRoom: false,
    dialIn: dialInOf(row),
    reason,
    row,
  });
  if (!row) return none('not-configured');
  if (row.provider === 'none') return none('group-none');
  if (!usable(row, demo)) return none('public-not-allowed');
  const domain = row.provider === 'public-demo' ? PUBLIC_DEMO_DOMAIN : (row.domain ?? (row.provider === 'jaas' ? JAAS_DOMAIN : ''));
  return {
    provider: row.provider,
    domain,
    mode: modeOf(row) as Exclude<VideoMode, 'none'>,
    captions: captionsOf(row),
    publicTestRoom: row.provider === 'public-demo',
    dialIn: dialInOf(row),
    row,
  };
}

/** The clinic's row and the overrides of the given groups (all groups when `groupIds` is omitted). */
export async function videoRows(db: Db, clinicId: string, groupIds?: string[]): Promise<{ clinic: VideoRow | null; groups: Map<string, VideoRow> }> {
  let q = db.selectFrom('video_configs').selectAll().where('clinic_id', '=', clinicId);
  if (groupIds) q = q.where('group_id', 'in', ['', ...groupIds]);
  const rows = await q.orderBy('group_id').execute();
  const groups = new Map<string, VideoRow>();
  let clinic: VideoRow | null = null;
  for (const row of rows) {
    if (row.group_id === '') clinic = row;
    else groups.set(row.group_id, row);
  }
  return { clinic, groups };
}

/** The provider each of the groups uses. */
export async function resolveForGroups(db: Db, clinicId: string, groupIds: string[], demo: boolean): Promise<Map<string, ResolvedVideo>> {
  const { clinic, groups } = await videoRows(db, clinicId, groupIds);
  return new Map(groupIds.map((id) => [id, resolveVideo(clinic, groups.get(id) ?? null, demo)]));
}

/** A row as admins see it: whether a secret is stored, never the secret. */
export function viewOf(row: VideoRow, demo: boolean, publicKeyFingerprint: string | null): VideoConfigView {
  return {
    groupId: row.group_id === '' ? null : row.group_id,
    provider: row.provider,
    domain: row.provider === 'public-demo' ? PUBLIC_DEMO_DOMAIN : row.provider === 'none' ? null : row.domain,
    appId: row.app_id,
    keyId: row.key_id,
    tenant: row.tenant,
    hasSecret: Boolean(row.app_secret || row.private_key),
    publicKeyFingerprint,
    transcription: row.transcription === 1,
    recording: row.recording === 1,
    livestreaming: row.livestreaming === 1,
    outboundCall: row.outbound_call === 1,
    publicOptIn: row.public_opt_in === 1,
    dialIn: dialInOf(row),
    mode: modeOf(row),
    usable: usable(row, demo),
    updatedAt: row.updated_at,
  };
}
