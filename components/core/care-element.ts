import { consume } from '@lit/context';
import type { TFunction } from 'i18next';
import { LitElement, type ReactiveControllerHost } from 'lit';
import { property, state } from 'lit/decorators.js';
import { careClient, TokenRefresher, type CareClient, type TokenProvider } from './api-client.js';
import { careContext, type CareConfig, type ThemeMode } from './context.js';
import { careEvent, type CareEventDetail, type CareEventName } from './events.js';
import { languageReady, LocaleController } from './i18n.js';
import { prepareFormatters } from './intl.js';

/** Endpoint of the server that served the widget modules: the right default when a portal loads /widgets/ from us. */
const moduleOrigin = (): string => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
};

/** Resolves in a later task: `scheduler.yield()` where the browser has it (input still runs first), else a message. */
const nextTask = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
};

/** A widget's translations, live region and `care-*` events, for a controller that words and reports for it. */
export interface CareControllerApi {
  /** The widget's translate function, in its current language. */
  readonly t: TFunction;
  /** Says a message in the widget's polite live region. */
  announce(message: string): void;
  /** Fires a `care-*` event from the widget; false when a listener called preventDefault(). */
  emit<K extends CareEventName>(name: K, detail: CareEventDetail<K>): boolean;
}

/** A CareElement as a controller sees it: a Lit controller host with its render root and `controllerApi`. */
export interface CareControllerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly controllerApi: CareControllerApi;
}

/** The first render of the widget before, or nothing: one widget's first render per task. */
let firstRenders: Promise<void> = Promise.resolve();

/**
 * Base of every care widget: reads shared settings from an enclosing <care-provider>, lets the
 * element's own attributes override them (so a widget also works alone), localises, and emits
 * `care-*` events.
 *
 * @event {CustomEvent<CareTokenExpiredDetail>} care-token-expired - Only for a widget outside a `<care-provider>` (or with its own `token`): a call was refused because the token expired and no fresh token could be had. `detail: { reason }`. Inside a provider, the provider fires it.
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
  /** `auto` follows the operating system; `light`, `dark` or `high-contrast` force one. */
  @property() theme?: ThemeMode;
  /** ISO 3166 region for crisis lines, e.g. `US`. Defaults from the locale. */
  @property() region?: string;
  /**
   * Host callback resolving a fresh JWT (`() => Promise<string>`) for a widget used without a
   * provider, or with its own `token`. Inside a `<care-provider>`, set the provider's instead.
   */
  @property({ attribute: false }) tokenProvider?: TokenProvider;

  protected readonly localize = new LocaleController(this, () => this.config.locale);
  private client?: { endpoint: string; client: CareClient };
  private readonly refresher = new TokenRefresher(
    () => this.tokenProvider,
    (token) => {
      this.token = token;
    },
    (_token, reason) => {
      this.emit('care-token-expired', { reason });
    },
  );

  /**
   * Widgets defined in the same module run would otherwise all render for the first time in one
   * task (four on a client portal: 0.6–1 s of main thread under Lighthouse's 4× CPU slowdown,
   * during which a tap waits). Each widget's first render gets a task of its own, in the order
   * they were connected, so the browser can paint and take input between them. Later updates are
   * batched as Lit does; `updateComplete` still resolves after the first render. The first render
   * also waits for the locale's strings (at most FIRST_RENDER_LANGUAGE_WAIT_MS), so a widget in
   * another language does not paint English first. The widget's locale's Intl formatters are then
   * prepared in tasks of their own (`prepareFormatters`).
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (this.hasUpdated) return super.scheduleUpdate();
    const turn = firstRenders.then(nextTask);
    firstRenders = turn;
    return turn.then(async () => {
      await languageReady(this.config.locale);
      const rendered = super.scheduleUpdate();
      prepareFormatters(this.config.locale);
      return rendered;
    });
  }

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
      this.client = {
        endpoint,
        client: careClient(endpoint, {
          current: () => this.config.token,
          refresh: () => this.refreshToken(),
          expired: (token) => this.tokenExpired(token),
        }),
      };
    }
    return this.client.client;
  }

  /** The widget's own tokenProvider when it has one or its own token; otherwise the provider's. */
  private refreshToken(): Promise<string | null> {
    if (this.tokenProvider || this.token !== undefined) return this.refresher.refresh();
    return this.provided?.refreshToken?.() ?? Promise.resolve(null);
  }

  private tokenExpired(token: string | null): void {
    const shared = this.token === undefined && !this.tokenProvider ? this.provided?.tokenExpired : undefined;
    if (shared) shared(token);
    else this.refresher.expired(token);
  }

  /** Classes for the element's `base` part: theme and nothing else. */
  protected get themeClass(): string {
    return `base ${this.config.theme}`;
  }

  /** Text of the element's polite live region (role=status); set it through announce(). */
  @state() protected announcement = '';

  /** Says a result in the live region. Clearing first makes a repeated message be read again. */
  protected announce(message: string): void {
    this.announcement = '';
    requestAnimationFrame(() => {
      this.announcement = message;
    });
  }

  /**
   * Fires a bubbling, composed, cancelable `care-*` event; returns false when a listener called
   * preventDefault(). Names and details are checked against GlobalEventHandlersEventMap, where
   * every widget declares its events (see components/core/events.ts).
   */
  protected emit<K extends CareEventName>(name: K, detail: CareEventDetail<K>): boolean {
    return this.dispatchEvent(careEvent(name, detail));
  }

  /**
   * `t`, `announce` and `emit` for a controller the widget hands itself to (as a CareControllerHost);
   * they stay protected for subclasses. Read it when used: `t` follows the widget's language.
   * @internal
   */
  get controllerApi(): CareControllerApi {
    return {
      t: this.t,
      announce: (message) => this.announce(message),
      emit: (name, detail) => this.emit(name, detail),
    };
  }
}
