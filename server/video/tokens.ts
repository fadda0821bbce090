import { createHash, createHmac, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ResolvedVideo, VideoRow } from './providers.js';

/**
 * Room tokens, one minter per provider. Both carry only a pseudonymous user id and the name the
 * person chose to be seen by; their lifetime is the session window.
 *
 * self-hosted (prosody mod_auth_token, HS256 with the app secret):
 *   header { alg: 'HS256', typ: 'JWT' }
 *   { aud: 'jitsi', iss: <app id>, sub: <tenant or domain>, room: <slug>, iat, nbf, exp,
 *     context: { user: { id, name, moderator: 'true'|'false' },
 *                features: { transcription, recording: 'false', livestreaming: 'false' } } }
 * jaas (8x8's documented claims, RS256 with the clinic's private key):
 *   header { alg: 'RS256', kid: '<app id>/<key id>', typ: 'JWT' }
 *   { aud: 'jitsi', iss: 'chat', sub: <app id>, room: <slug>, nbf, exp,
 *     context: { user: { id, name, moderator: 'true'|'false' },
 *                features: { livestreaming, recording, transcription, 'outbound-call', 'sip-outbound-call' } } }
 *   (avatar and email are left out: JaaS would show them to the group.)
 */

export interface RoomUser {
  /** Pseudonymous: see {@link pseudonym}. */
  id: string;
  /** The alias or label the person is seen by. */
  name: string;
  moderator: boolean;
}

export interface RoomTicket {
  domain: string;
  /** What the IFrame API is given: `<tenant or app id>/<slug>`, or the slug. */
  roomName: string;
  jwt: string | null;
}

const flag = (on: boolean | number): 'true' | 'false' => (on === true || on === 1 ? 'true' : 'false');

/** A stable id for the video service that does not reveal who the person is. */
export function pseudonym(key: string, clinicId: string, groupId: string, userId: string): string {
  return createHmac('sha256', key).update(`${clinicId}\u0000${groupId}\u0000${userId}`).digest('base64url').slice(0, 22);
}

/** The key the pseudonym is made with: the provider's secret (a stable per-clinic value otherwise). */
export function pseudonymKey(row: VideoRow | null, clinicId: string): string {
  return row?.app_secret ?? row?.private_key ?? `care-video-pseudonym\u0000${clinicId}`;
}

/** The private key of a PEM, or null when it is not an RSA private key of at least 2048 bits. */
export function rsaPrivateKey(pem: string): KeyObject | null {
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') return null;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits >= 2048 ? key : null;
  } catch {
    return null;
  }
}

/** SHA-256 of the public half (SPKI DER), base64url: what admins compare with the key uploaded to JaaS. */
export function publicKeyFingerprint(pem: string | null): string | null {
  const key = pem ? rsaPrivateKey(pem) : null;
  if (!key) return null;
  return createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('base64url');
}

/**
 * The room ticket for `user` in the group room `slug`, valid from `nbf` to `exp` (seconds since the
 * epoch). `video` must be a provider with a room (not 'none').
 */
export async function mintRoomTicket(
  video: Exclude<ResolvedVideo, { provider: 'none' }>,
  slug: string,
  user: RoomUser,
  window: { iat: number; nbf: number; exp: number },
): Promise<RoomTicket> {
  const row = video.row;
  const contextUser = { id: user.id, name: user.name, moderator: flag(user.moderator) };
  switch (video.provider) {
    case 'jaas': {
      const key = row.private_key ? rsaPrivateKey(row.private_key) : null;
      if (!key || !row.app_id || !row.key_id) throw new Error('The JaaS configuration has no usable private key');
      const jwt = await new SignJWT({
        room: slug,
        context: {
          user: contextUser,
          features: {
            livestreaming: flag(row.livestreaming),
            recording: flag(row.recording),
            transcription: flag(row.transcription),
            'outbound-call': flag(row.outbound_call),
            'sip-outbound-call': flag(row.outbound_call),
          },
        },
      })
        .setProtectedHeader({ alg: 'RS256', kid: `${row.app_id}/${row.key_id}`, typ: 'JWT' })
        .setAudience('jitsi')
        .setIssuer('chat')
        .setSubject(row.app_id)
        .setNotBefore(window.nbf)
        .setExpirationTime(window.exp)
        .sign(key);
      return { domain: video.domain, roomName: `${row.app_id}/${slug}`, jwt };
    }
    case 'self-hosted': {
      const roomName = row.tenant ? `${row.tenant}/${slug}` : slug;
      if (!row.app_id || !row.app_secret) return { domain: video.domain, roomName, jwt: null };
      const jwt = await new SignJWT({
        room: slug,
        context: {
          user: contextUser,
          features: { transcription: flag(row.transcription), recording: 'false', livestreaming: 'false' },
        },
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setAudience('jitsi')
        .setIssuer(row.app_id)
        .setSubject(row.tenant ?? video.domain)
        .setIssuedAt(window.iat)
        .setNotBefore(window.nbf)
        .setExpirationTime(window.exp)
        .sign(new TextEncoder().encode(row.app_secret));
      return { domain: video.domain, roomName, jwt };
    }
    case 'public-demo':
      return { domain: video.domain, roomName: slug, jwt: null };
  }
}
