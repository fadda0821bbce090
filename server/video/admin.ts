import type { SetVideoConfigInput, VideoConfigList, VideoConfigView, VideoProvider } from '../contract/groups.js';
import type { Db } from '../db/index.js';
import { toJson } from '../db/json.js';
import { checkScope, ClinicAdminError, recordChange, type AdminActor } from '../domain/clinic-settings.js';
import { JAAS_DOMAIN, PUBLIC_DEMO_DOMAIN, videoRows, viewOf, type VideoRow } from './providers.js';
import { publicKeyFingerprint, rsaPrivateKey } from './tokens.js';

/**
 * Video settings as admins change them: `groups.setVideoConfig` / `groups.videoConfig` /
 * `groups.clearVideoConfig` (tRPC, the admin's own clinic) and `care group video set|show|clear`.
 * Every value is checked first (a refusal names the field; nothing is changed), every change is one
 * transaction with an `admin_changes` row (`group.video.set` / `group.video.clear`) whose before and
 * after never hold a secret, only `hasSecret` and `secret: "set" | "kept"`.
 */

/** Where public-demo may be the clinic's provider: a server in demo mode (tRPC), or the demo clinic (CLI). */
export interface VideoPolicy {
  demo: boolean;
}

/** The keys each provider takes besides `groupId`, `provider` and `dialIn`. */
const KEYS: Record<VideoProvider, readonly (keyof SetVideoConfigInput)[]> = {
  'self-hosted': ['domain', 'appId', 'appSecret', 'tenant', 'transcription'],
  jaas: ['domain', 'appId', 'keyId', 'privateKey', 'transcription', 'recording', 'livestreaming', 'outboundCall'],
  'public-demo': ['domain', 'publicOptIn'],
  none: [],
};
const COMMON: readonly string[] = ['groupId', 'provider', 'dialIn'];

const invalid = (field: string, message: string) => new ClinicAdminError(`${field} ${message}`, field);

async function checkClinicAndGroup(db: Db, clinicId: string, groupId: string | undefined): Promise<void> {
  const clinic = await db.selectFrom('clinics').select('id').where('id', '=', clinicId).executeTakeFirst();
  if (!clinic) throw new ClinicAdminError(`No clinic ${clinicId}`, 'clinic', 'not_found');
  if (groupId === undefined) return;
  const group = await db.selectFrom('groups').select('id').where('clinic_id', '=', clinicId).where('id', '=', groupId).executeTakeFirst();
  if (!group) throw new ClinicAdminError(`groupId: no group ${groupId} in this clinic`, 'groupId', 'not_found');
}

async function rowAt(db: Db, clinicId: string, groupId: string | undefined): Promise<VideoRow | null> {
  return (await db.selectFrom('video_configs').selectAll().where('clinic_id', '=', clinicId).where('group_id', '=', groupId ?? '').executeTakeFirst()) ?? null;
}

const view = (row: VideoRow, policy: VideoPolicy): VideoConfigView => viewOf(row, policy.demo, row.provider === 'jaas' ? publicKeyFingerprint(row.private_key) : null);

/** The audit form of a row: the view, without the time it was written. */
const audited = (row: VideoRow | null, policy: VideoPolicy) => {
  if (!row) return null;
  const { updatedAt: _at, usable: _usable, ...rest } = view(row, policy);
  return rest;
};

/** The clinic's default and every group override (never a secret). */
export async function showVideo(db: Db, actor: AdminActor, clinicId: string, policy: VideoPolicy): Promise<VideoConfigList> {
  checkScope(actor, clinicId);
  await checkClinicAndGroup(db, clinicId, undefined);
  const { clinic, groups } = await videoRows(db, clinicId);
  return { clinic: clinic ? view(clinic, policy) : null, groups: [...groups.values()].map((row) => view(row, policy)), demo: policy.demo };
}

/** A `video_configs` row of `provider` at one scope (`groupId` '' is the clinic's default) with nothing else set, written now. */
export function emptyVideoRow(clinicId: string, groupId: string, provider: VideoProvider): VideoRow {
  return {
    clinic_id: clinicId,
    group_id: groupId,
    provider,
    domain: null,
    app_id: null,
    key_id: null,
    app_secret: null,
    private_key: null,
    tenant: null,
    transcription: 0,
    recording: 0,
    livestreaming: 0,
    outbound_call: 0,
    public_opt_in: 0,
    dial_in: null,
    updated_at: new Date().toISOString(),
  };
}

/** Checks `input` into the row it would store; `current` is the row stored at that scope (its secret may be kept). */
function checkInput(clinicId: string, input: SetVideoConfigInput, current: VideoRow | null, policy: VideoPolicy): VideoRow {
  const legacyPublic = input.provider === undefined && input.domain?.toLowerCase() === PUBLIC_DEMO_DOMAIN;
  if (input.provider === undefined && input.domain === undefined) throw invalid('provider', 'is required: self-hosted, jaas, public-demo or none');
  const provider: VideoProvider = input.provider ?? (legacyPublic ? 'public-demo' : 'self-hosted');
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || COMMON.includes(key) || KEYS[provider].includes(key as keyof SetVideoConfigInput)) continue;
    // The earlier shape named meet.jit.si with nothing else; anything more is not a public room.
    throw invalid(key, `is not a setting of the ${provider} provider`);
  }
  const groupId = input.groupId ?? '';
  const row: VideoRow = {
    ...emptyVideoRow(clinicId, groupId, provider),
    dial_in: input.dialIn ? toJson({ number: input.dialIn.number, ...(input.dialIn.pin ? { pin: input.dialIn.pin } : {}) }) : null,
  };
  const bit = (value: boolean | undefined, fallback: boolean) => ((value ?? fallback) ? 1 : 0);
  switch (provider) {
    case 'self-hosted': {
      const domain = input.domain?.toLowerCase();
      if (!domain) throw invalid('domain', 'is required for a self-hosted Jitsi (e.g. meet.example.org)');
      if (domain === PUBLIC_DEMO_DOMAIN) throw invalid('domain', 'meet.jit.si is the public test service: use the public-demo provider');
      if (input.appSecret !== undefined && input.appId === undefined) throw invalid('appId', 'is required with appSecret');
      let secret = input.appSecret ?? null;
      if (input.appId !== undefined && secret === null) {
        // The same app id again keeps the stored secret (an admin form never shows it).
        if (current?.provider === 'self-hosted' && current.app_id === input.appId && current.app_secret) secret = current.app_secret;
        else throw invalid('appSecret', 'is required with appId (the HS256 secret of the Jitsi token auth, at least 16 characters)');
      }
      return { ...row, domain, app_id: input.appId ?? null, app_secret: secret, tenant: input.tenant ?? null, transcription: bit(input.transcription, false) };
    }
    case 'jaas': {
      if (input.appId === undefined) throw invalid('appId', 'is required for JaaS (vpaas-magic-cookie-…)');
      if (input.keyId === undefined) throw invalid('keyId', 'is required for JaaS (the id of the API key uploaded to the JaaS console)');
      let privateKey: string | null = null;
      if (input.privateKey !== undefined) {
        const pem = input.privateKey.trim();
        // Never echo the value: the message names the field and what it must be.
        if (!rsaPrivateKey(pem)) throw invalid('privateKey', 'must be an RSA private key of at least 2048 bits in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)');
        privateKey = `${pem}\n`;
      } else if (current?.provider === 'jaas' && current.app_id === input.appId && current.key_id === input.keyId && current.private_key) {
        privateKey = current.private_key;
      } else {
        throw invalid('privateKey', 'is required for JaaS (the RS256 private key whose public key was uploaded to the JaaS console)');
      }
      return {
        ...row,
        domain: input.domain?.toLowerCase() ?? JAAS_DOMAIN,
        app_id: input.appId,
        key_id: input.keyId,
        private_key: privateKey,
        transcription: bit(input.transcription, true),
        recording: bit(input.recording, false),
        livestreaming: bit(input.livestreaming, false),
        outbound_call: bit(input.outboundCall, false),
      };
    }
    case 'public-demo': {
      if (input.domain !== undefined && input.domain.toLowerCase() !== PUBLIC_DEMO_DOMAIN) throw invalid('domain', 'of public-demo is always meet.jit.si');
      if (groupId === '') {
        if (!policy.demo) {
          throw invalid('provider', 'public-demo (meet.jit.si) is for demo mode only: embedded rooms there end after 5 minutes. For one group, give groupId with publicOptIn: true');
        }
        return { ...row, domain: PUBLIC_DEMO_DOMAIN, public_opt_in: bit(input.publicOptIn, false) };
      }
      if (input.publicOptIn !== true && !policy.demo) {
        throw invalid('publicOptIn', 'must be true to put this group on the public test service (members are told it is a public test room)');
      }
      return { ...row, domain: PUBLIC_DEMO_DOMAIN, public_opt_in: bit(input.publicOptIn, false) };
    }
    case 'none':
      return row;
  }
}

/**
 * Replaces the configuration of one scope (the clinic's default, or `input.groupId`'s override).
 * Omitting the app secret or private key keeps the stored one when the provider, app id (and key id) stay.
 */
export async function setVideo(db: Db, actor: AdminActor, clinicId: string, input: SetVideoConfigInput, policy: VideoPolicy): Promise<VideoConfigView> {
  checkScope(actor, clinicId);
  await checkClinicAndGroup(db, clinicId, input.groupId);
  return db.transaction().execute(async (trx) => {
    const current = await rowAt(trx, clinicId, input.groupId);
    const next = checkInput(clinicId, input, current, policy);
    const { clinic_id: _c, group_id: _g, ...values } = next;
    await trx
      .insertInto('video_configs')
      .values(next)
      .onConflict((oc) => oc.columns(['clinic_id', 'group_id']).doUpdateSet(values))
      .execute();
    const secret = next.app_secret || next.private_key ? (input.appSecret !== undefined || input.privateKey !== undefined ? 'set' : 'kept') : null;
    await recordChange(trx, actor, clinicId, 'group.video.set', audited(current, policy), { ...audited(next, policy), secret });
    return view(next, policy);
  });
}

/** Removes one scope's configuration: a group goes back to the clinic's provider; the clinic to none. */
export async function clearVideo(db: Db, actor: AdminActor, clinicId: string, groupId: string | undefined, policy: VideoPolicy): Promise<{ groupId: string | null; removed: VideoConfigView | null }> {
  checkScope(actor, clinicId);
  await checkClinicAndGroup(db, clinicId, groupId);
  return db.transaction().execute(async (trx) => {
    const current = await rowAt(trx, clinicId, groupId);
    if (!current) return { groupId: groupId ?? null, removed: null };
    await trx.deleteFrom('video_configs').where('clinic_id', '=', clinicId).where('group_id', '=', groupId ?? '').execute();
    await recordChange(trx, actor, clinicId, 'group.video.clear', audited(current, policy), null);
    return { groupId: groupId ?? null, removed: view(current, policy) };
  });
}
