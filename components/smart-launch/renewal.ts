/**
 * Renewal of a launch's care token through the EHR (issue 17), for both launch flows: the patient's
 * (index.ts, POST /smart/exchange) and the clinician's (clinician-view.ts, POST /smart/clinician/exchange).
 *
 * When the EHR granted a refresh token (the app asked `online_access`), the `<care-provider>`'s
 * `tokenProvider` makes a refresh_token grant at the EHR (fhirclient's `refresh()`) and hands the new
 * id_token to the flow's exchange, which answers a new care token. Without a refresh token there is no
 * `tokenProvider`; when the EHR refuses the refresh, or the exchange refuses the new id_token, the
 * provider gets no token and fires `care-token-expired`: the page then asks the person to relaunch.
 */

/** The part of fhirclient's Client renewal needs. */
export interface RenewableClient {
  state: { serverUrl: string; tokenResponse?: { id_token?: string; refresh_token?: string } };
  refresh(): Promise<unknown>;
}

/** A flow's exchange of an EHR id_token for a care token: the token, or undefined when refused. */
export type ExchangeIdToken = (idToken: string, nonce: string | undefined) => Promise<string | undefined>;

/** The `nonce` claim of an id_token (not verified here: the server verifies it), or undefined. */
function nonceOf(idToken: string): string | undefined {
  try {
    const payload = idToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { nonce?: unknown };
    return typeof claims.nonce === 'string' ? claims.nonce : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The provider's `tokenProvider` for a launch whose EHR granted a refresh token; undefined when it
 * granted none (the person relaunches). `nonce`: the one the launch's authorization request carried.
 */
export function renewalThroughEhr(client: RenewableClient, exchange: ExchangeIdToken, nonce: string | undefined): (() => Promise<string>) | undefined {
  if (!client.state.tokenResponse?.refresh_token) return undefined;
  return async () => {
    const before = client.state.tokenResponse?.id_token;
    await client.refresh();
    const idToken = client.state.tokenResponse?.id_token;
    // A new id_token or nothing: the old one again would only give the same care token back.
    if (!idToken || idToken === before) throw new Error('relaunch');
    // The refreshed id_token keeps the launch's nonce when the EHR repeats it (OpenID Connect Core 12.2).
    const token = await exchange(idToken, nonceOf(idToken) === undefined ? undefined : nonce);
    if (!token) throw new Error('relaunch');
    return token;
  };
}
