/**
 * The part of oidc-provider 8 (no bundled types, no @types package installed) the SMART test EHR
 * uses: server/smart/sample-ehr.ts (the demo and the tests).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextWithOIDC {
    status: number;
    body: unknown;
    oidc?: {
      route: string;
      params?: Record<string, unknown>;
      entities: { AuthorizationCode?: { accountId: string }; RefreshToken?: { accountId: string } };
    };
  }
  export interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }
  export interface Configuration {
    clients?: Record<string, unknown>[];
    jwks?: { keys: Record<string, unknown>[] };
    cookies?: { keys: string[] };
    scopes?: string[];
    claims?: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    clientBasedCORS?: () => boolean;
    pkce?: { required?: () => boolean; methods?: string[] };
    ttl?: Record<string, number>;
    features?: Record<string, { enabled: boolean }>;
    interactions?: { url(ctx: KoaContextWithOIDC, interaction: { uid: string }): string };
    extraParams?: Record<string, (ctx: KoaContextWithOIDC, value: string | undefined) => void>;
    /** Whether the token endpoint's answer to an authorization code (or a rotated refresh token) carries a refresh token. */
    issueRefreshToken?(ctx: KoaContextWithOIDC, client: { grantTypeAllowed(type: string): boolean }, code: { scopes: Set<string> }): Promise<boolean>;
    findAccount?(ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined>;
  }
  export interface InteractionDetails {
    uid: string;
    params: Record<string, unknown>;
    prompt: { name: string; details: Record<string, unknown> };
    session?: { accountId: string };
    grantId?: string;
  }
  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }
  export const errors: { InvalidRequest: new (description: string) => Error };
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    Grant: typeof Grant & { find(id: string): Promise<Grant | undefined> };
    RefreshToken: { find(token: string): Promise<{ accountId: string; grantId: string; scope?: string; destroy(): Promise<void> } | undefined> };
    AccessToken: { find(token: string): Promise<{ accountId: string; scope?: string; destroy(): Promise<void> } | undefined> };
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  }
}
