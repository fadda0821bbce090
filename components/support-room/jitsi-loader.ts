/**
 * Loads Jitsi's IFrame API (`external_api.js`) from a group's video domain, only when someone joins:
 * `https://<domain>/external_api.js` for a self-hosted Jitsi (and the public test service), and for
 * 8x8 JaaS the per-app script 8x8 documents, `https://8x8.vc/<app id>/external_api.js`.
 * One load per script URL per page: later joins reuse it. A load that fails or takes longer than the
 * timeout rejects with a JitsiLoadError and is forgotten, so the next attempt tries again.
 */

/** The parts of the IFrame API the support room uses. */
export interface JitsiMeetApi {
  addListener(event: string, listener: (payload: unknown) => void): unknown;
  removeListener?(event: string, listener: (payload: unknown) => void): unknown;
  executeCommand(command: string, ...args: unknown[]): void;
  dispose(): void;
}

export interface JitsiMeetOptions {
  roomName: string;
  jwt?: string;
  parentNode: HTMLElement;
  width?: string | number;
  height?: string | number;
  lang?: string;
  userInfo?: { displayName: string; email?: string };
  configOverwrite?: Record<string, unknown>;
  interfaceConfigOverwrite?: Record<string, unknown>;
}

export type JitsiMeetConstructor = new (domain: string, options: JitsiMeetOptions) => JitsiMeetApi;

export type JitsiLoadFailure = 'timeout' | 'failed' | 'missing-api' | 'bad-domain';

export class JitsiLoadError extends Error {
  constructor(
    readonly kind: JitsiLoadFailure,
    readonly src: string,
  ) {
    super(`Could not load the video service from ${src} (${kind})`);
    this.name = 'JitsiLoadError';
  }
}

const cache = new Map<string, Promise<JitsiMeetConstructor>>();
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
const HOST = /^[a-z0-9.-]+(:\d{2,5})?$|^\[::1\](:\d{2,5})?$/i;
/** A JaaS app id (`vpaas-magic-cookie-<hex>`): one path segment. */
const APP_ID = /^[a-z0-9_-]{1,100}$/i;

/**
 * The script URL for a domain (and, for JaaS, the app id: `https://8x8.vc/<app id>/external_api.js`).
 * Plain http is honoured only for loopback hosts (local tests and development); every real video
 * domain is loaded over https.
 */
export function jitsiScriptUrl(domain: string, scheme: 'https' | 'http' = 'https', appId?: string): string {
  if (!HOST.test(domain)) throw new JitsiLoadError('bad-domain', domain);
  if (appId !== undefined && !APP_ID.test(appId)) throw new JitsiLoadError('bad-domain', `${domain}/${appId}`);
  const useHttp = scheme === 'http' && LOOPBACK.test(domain);
  return `${useHttp ? 'http' : 'https'}://${domain}/${appId ? `${appId}/` : ''}external_api.js`;
}

export function loadJitsiApi(
  domain: string,
  { scheme = 'https', timeoutMs = 15_000, appId }: { scheme?: 'https' | 'http'; timeoutMs?: number; appId?: string | undefined } = {},
): Promise<JitsiMeetConstructor> {
  let src: string;
  try {
    src = jitsiScriptUrl(domain, scheme, appId);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const cached = cache.get(src);
  if (cached) return cached;
  const loading = new Promise<JitsiMeetConstructor>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    const finish = (error: JitsiLoadError | null) => {
      clearTimeout(timer);
      script.onload = script.onerror = null;
      if (error) {
        script.remove();
        reject(error);
        return;
      }
      const api = (window as unknown as { JitsiMeetExternalAPI?: unknown }).JitsiMeetExternalAPI;
      if (typeof api === 'function') resolve(api as JitsiMeetConstructor);
      else reject(new JitsiLoadError('missing-api', src));
    };
    const timer = setTimeout(() => finish(new JitsiLoadError('timeout', src)), timeoutMs);
    script.onload = () => finish(null);
    script.onerror = () => finish(new JitsiLoadError('failed', src));
    document.head.append(script);
  });
  cache.set(src, loading);
  loading.catch(() => {
    if (cache.get(src) === loading) cache.delete(src);
  });
  return loading;
}

/**
 * Supplies the IFrame API for a domain (for JaaS: a domain and app id) without loading a script: for
 * portals that bundle their own copy, and for stories. Later joins to that domain use it.
 */
export function registerJitsiApi(domain: string, api: JitsiMeetConstructor, scheme: 'https' | 'http' = 'https', appId?: string): void {
  cache.set(jitsiScriptUrl(domain, scheme, appId), Promise.resolve(api));
}

/**
 * The JaaS app id of a room ticket: JaaS room names are `<app id>/<room>` (8x8's IFrame API
 * integration guide), and its script is per app. Undefined for every other provider.
 */
export function jaasAppId(joined: { provider: string; roomName: string }): string | undefined {
  if (joined.provider !== 'jaas') return undefined;
  const slash = joined.roomName.indexOf('/');
  return slash > 0 ? joined.roomName.slice(0, slash) : undefined;
}
