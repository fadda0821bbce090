import { consume } from '@lit/context';
import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { careClient, type CareClient } from './api-client.js';
import { careContext, type CareConfig, type ThemeMode } from './context.js';
import { LocaleController } from './i18n.js';

/** Endpoint of the server that served the widget modules: the right default when a portal loads /widgets/ from us. */
const moduleOrigin = (): string => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
};

/**
 * Base of every care widget: reads shared settings from an enclosing <care-provider>, lets the
 * element's own attributes override them (so a widget also works alone), localises, and emits
 * `care-*` events.
 */
export class CareElement extends LitElement {
  @consume({ context: careContext, subscribe: true })
  @state()
  protected provided?: CareConfig;

  /** Base URL of the care server. Defaults to the provider's, then to the origin that served the widgets. */
  @property() endpoint?: string;
  /** JWT minted by the clinic's portal. Defaults to the provider's. */
  @property() token?: string;
  /** BCP 47 locale, e.g. `es-MX`. Defaults to the provider's, then the page's `lang`. */
  @property() locale?: string;
  /** `auto` follows the operating system; `light` or `dark` force one. */
  @property() theme?: ThemeMode;
  /** ISO 3166 region for crisis lines, e.g. `US`. Defaults from the locale. */
  @property() region?: string;

  protected readonly localize = new LocaleController(this, () => this.config.locale);
  private client?: { endpoint: string; client: CareClient };

  protected get config(): CareConfig {
    const p = this.provided;
    return {
      endpoint: this.endpoint ?? p?.endpoint ?? moduleOrigin(),
      token: this.token ?? p?.token ?? null,
      locale: this.locale ?? p?.locale ?? (document.documentElement.lang || navigator.language || 'en'),
      theme: this.theme ?? p?.theme ?? 'auto',
      region: this.region ?? p?.region ?? null,
    };
  }

  protected get t() {
    return this.localize.t;
  }

  protected get api(): CareClient {
    const { endpoint } = this.config;
    if (this.client?.endpoint !== endpoint) {
      this.client = { endpoint, client: careClient(endpoint, () => this.config.token) };
    }
    return this.client.client;
  }

  /** Classes for the element's `base` part: theme and nothing else. */
  protected get themeClass(): string {
    return `base ${this.config.theme}`;
  }

  protected emit<T>(name: `care-${string}`, detail: T): boolean {
    return this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true, cancelable: true }));
  }
}
