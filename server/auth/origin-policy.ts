import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../db/index.js';

/** How long the clinics' origin lists are used before they are read again (as the verifier's keys). */
export const ORIGIN_CACHE_MS = 30_000;

/**
 * Which web origins may call the server from a browser: those in CARE_ALLOWED_ORIGINS (the
 * server-wide default; `*` allows any) and each clinic's own (`care clinic origins add`). A
 * preflight carries no token, so CORS allows an origin any clinic lists; every call with a token
 * then needs an origin its own clinic lists (allowsFor). The lists are read at most every 30 s
 * (one query for every clinic), so the checks cost a map look-up per request.
 */
export class OriginPolicy {
  private readonly serverWide: ReadonlySet<string>;
  readonly anyOrigin: boolean;
  private clinicsOf = new Map<string, ReadonlySet<string>>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    serverWide: readonly string[],
    private readonly log?: Logger,
  ) {
    this.anyOrigin = serverWide.includes('*');
    this.serverWide = new Set(serverWide.map((o) => o.replace(/\/+$/, '')));
  }

  /** Allowed for every clinic: CARE_ALLOWED_ORIGINS. */
  allowedServerWide(origin: string): boolean {
    return this.anyOrigin || this.serverWide.has(origin);
  }

  /** CORS (preflights included): allowed server-wide, or listed by at least one clinic. */
  async allowsAny(origin: string): Promise<boolean> {
    if (this.allowedServerWide(origin)) return true;
    return (await this.lists()).has(origin);
  }

  /** A call with a token of `clinicId`: allowed server-wide, or listed by that clinic. */
  async allowsFor(origin: string, clinicId: string): Promise<boolean> {
    if (this.allowedServerWide(origin)) return true;
    return (await this.lists()).get(origin)?.has(clinicId) ?? false;
  }

  private async lists(): Promise<Map<string, ReadonlySet<string>>> {
    if (Date.now() - this.loadedAt < ORIGIN_CACHE_MS) return this.clinicsOf;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    await this.loading;
    return this.clinicsOf;
  }

  private async load(): Promise<void> {
    try {
      const rows = await this.db.selectFrom('clinic_origins').select(['origin', 'clinic_id']).execute();
      const next = new Map<string, Set<string>>();
      for (const { origin, clinic_id } of rows) {
        let clinics = next.get(origin);
        if (!clinics) next.set(origin, (clinics = new Set()));
        clinics.add(clinic_id);
      }
      this.clinicsOf = next;
      this.loadedAt = Date.now();
    } catch (error) {
      // Keep the lists last read (none before the first read) and try again on the next request.
      this.log?.warn({ err: error }, 'clinic origins could not be read');
    }
  }
}

/** The request's `Origin` when it is another site's: absent, or the server's own origin, is same-origin. */
export function crossOriginOf(req: Request): string | null {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === '') return null;
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  return origin === own ? null : origin;
}

/** The refusal's words: they name the origin (cut short), never the clinic's list. */
export const foreignOriginMessage = (origin: string): string =>
  `Origin ${origin.slice(0, 200)} is not allowed for this clinic (its admin adds it with: care clinic origins add)`;
