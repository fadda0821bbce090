import { provide } from '@lit/context';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { secondsLeft } from './token.js';
import { TokenRefresher, type TokenExpiredReason, type TokenProvider } from './api-client.js';
import { careContext, type CareConfig, type ThemeMode } from './context.js';
import { careEvent } from './events.js';
import { careClient } from './api-client.js';
import { clinicLocale, loadLanguage, setStringOverrides, type ClinicLanguages, type StringOverrides } from './i18n.js';
import { identityOf } from './token.js';

/**
 * Shares the server endpoint, the signed-in person's token, locale, theme and region with every
 * care widget inside it, and keeps the token fresh through the host's `tokenProvider`.
 *
 * @summary Configuration for the care widgets it contains.
 * @tag care-provider
 * @slot - The widgets, anywhere in the provider's subtree.
 *
 * @event {CustomEvent<CareTokenRefreshedDetail>} care-token-refreshed - `tokenProvider` gave a fresh token, now used by every widget inside. `detail: { expiresIn }` (seconds, or null).
 * @event {CustomEvent<CareStringsRefusedDetail>} care-strings-refused - Some keys of `strings` were not applied: instrument wording (PHQ-9, GAD-7, BAM items and answer labels), keys without a namespace, or texts that are not strings. `detail: { keys }`.
 * @event {CustomEvent<CareTokenExpiredDetail>} care-token-expired - A call was refused because the token expired (or is invalid) and no fresh token could be had; the widgets show "please sign in again". `detail: { reason: 'no-token-provider' | 'refresh-failed' }`. Fired once per token.
 */
export class CareProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** Base URL of the care server, e.g. `https://care.example.org`. */
  @property() endpoint = '';
  /** JWT minted by the clinic portal's backend for the signed-in person. */
  @property() token = '';
  /**
   * BCP 47 locale, e.g. `en-US`, `es`. Defaults to the page's `lang`, then the browser's language.
   * Only a language the token's clinic offers is used (`clinic.settings`); another gives the clinic's
   * default language, else English.
   */
  @property() locale = '';
  /** `auto` (default) follows the operating system; `light`, `dark` or `high-contrast` force one. */
  @property() theme: ThemeMode = 'auto';
  /** ISO 3166 region for crisis lines, e.g. `US`, `ES`. Defaults from the locale. */
  @property() region = '';
  /**
   * Host callback that resolves a fresh JWT from the portal's backend (`() => Promise<string>`).
   * Called when the token expires within 60 s or a call is refused with 401; the refused call is
   * retried once with the fresh token. Without it, an expired token shows "please sign in again".
   */
  @property({ attribute: false }) tokenProvider?: TokenProvider;
  /**
   * A clinic's own wording for any UI string, per language, without forking:
   * `{ "en": { "checkIn.submit": "Send to my nurse" }, "es": { … } }` (keys as in
   * `locales/<language>/<namespace>.json`, namespace first). As an attribute, the same as JSON.
   * Keys left out keep the shipped text; a language without the key falls back to English.
   * Instrument wording (PHQ-9, GAD-7, BAM items and answer labels) cannot be changed: such keys
   * are refused (`care-strings-refused`, and a console warning naming them).
   */
  @property({ type: Object }) strings?: StringOverrides;

  @provide({ context: careContext })
  @state()
  protected config?: CareConfig;

  private readonly refresher = new TokenRefresher(
    () => this.tokenProvider,
    (token) => {
      this.token = token;
      const left = secondsLeft(token);
      this.dispatchEvent(careEvent('care-token-refreshed', { expiresIn: left === null ? null : Math.round(left) }, false));
    },
    (_token, reason: TokenExpiredReason) => {
      this.dispatchEvent(careEvent('care-token-expired', { reason }, false));
    },
  );

  /** The languages the token's clinic offers (`clinic.settings`); null until known. */
  @state() private clinicLanguages: ClinicLanguages | null = null;
  /** `endpoint` + clinic the languages were read for. */
  private languagesOf = '';

  /** Reads which languages the token's clinic offers, once per endpoint and clinic. */
  private readClinicLanguages(endpoint: string, token: string | null): void {
    const clinic = identityOf(token)?.clinic;
    const key = clinic ? `${endpoint}\n${clinic}` : '';
    if (!clinic || key === this.languagesOf) return;
    this.languagesOf = key;
    careClient(endpoint, () => this.token || null)
      .clinic.settings.query()
      .then((settings) => {
        if (this.languagesOf === key) this.clinicLanguages = { languages: settings.languages, defaultLocale: settings.defaultLocale };
      })
      .catch(() => {
        // Unknown: offer the locale asked for (the widgets report their own errors).
        if (this.languagesOf === key) this.languagesOf = '';
      });
  }

  /** Asks `tokenProvider` for a fresh token now (widgets call it for you); resolves null when there is none. */
  refreshToken(): Promise<string | null> {
    return this.refresher.refresh();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const endpoint = this.endpoint || new URL(import.meta.url).origin;
    this.readClinicLanguages(endpoint, this.token || null);
    // Only a language the clinic offers: another falls back to the clinic's default, else English.
    const locale = clinicLocale(this.locale || document.documentElement.lang || navigator.language || 'en', this.clinicLanguages);
    if (changed.has('locale') || changed.has('clinicLanguages' as keyof CareProvider)) {
      loadLanguage(locale).catch(() => {
        // Not loaded (offline, a server error): the widgets show English, and i18n.ts retries the files itself.
      });
    }
    if (changed.has('strings')) {
      const refused = setStringOverrides(this.strings);
      if (refused.length > 0) {
        console.warn(`[care-widgets] <care-provider> strings: not applied (instrument wording or not a UI key): ${refused.join(', ')}`);
        this.dispatchEvent(careEvent('care-strings-refused', { keys: refused }, false));
      }
    }
    this.config = {
      endpoint,
      token: this.token || null,
      locale,
      theme: this.theme,
      region: this.region || null,
      ...(this.tokenProvider ? { refreshToken: () => this.refresher.refresh() } : {}),
      tokenExpired: (token) => this.refresher.expired(token),
    };
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}
