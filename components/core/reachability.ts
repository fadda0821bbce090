/**
 * Why a call failed with a network error: the browser cannot see the network (`offline`), or the
 * server answers but the browser refused its reply because this page's origin is not in the
 * server's CARE_ALLOWED_ORIGINS (`origin-not-allowed`). Both look the same to fetch (a TypeError);
 * a `no-cors` request, whose reply the page may not read, still succeeds when the server is up.
 */
export type NetworkProblem = 'offline' | 'origin-not-allowed';

const reported = new Set<string>();

export async function diagnoseNetworkFailure(endpoint: string): Promise<NetworkProblem> {
  if (!navigator.onLine) return 'offline';
  try {
    await fetch(`${endpoint.replace(/\/$/, '')}/healthz`, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
  } catch {
    return 'offline';
  }
  reportOriginNotAllowed(endpoint);
  return 'origin-not-allowed';
}

/** Tells the portal's developer what to change, once per server for the page's lifetime. */
function reportOriginNotAllowed(endpoint: string): void {
  if (reported.has(endpoint)) return;
  reported.add(endpoint);
  console.error(
    `care widgets: ${endpoint} is reachable but does not allow requests from ${location.origin}. ` +
      `Add ${location.origin} to CARE_ALLOWED_ORIGINS (or the clinic's allowed origins) on the care server.`,
  );
}
