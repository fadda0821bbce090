import { provide } from '@lit/context';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { careContext, type CareConfig, type ThemeMode } from './context.js';
import { loadLanguage } from './i18n.js';

/**
 * Shares the server endpoint, the signed-in person's token, locale, theme and region with every
 * care widget inside it.
 *
 * @summary Configuration for the care widgets it contains.
 * @tag care-provider
 * @slot - The widgets, anywhere in the provider's subtree.
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
  /** BCP 47 locale, e.g. `en-US`, `es`. Defaults to the page's `lang`. */
  @property() locale = '';
  /** `auto` (default) follows the operating system; `light` or `dark` force one. */
  @property() theme: ThemeMode = 'auto';
  /** ISO 3166 region for crisis lines, e.g. `US`, `ES`. Defaults from the locale. */
  @property() region = '';

  @provide({ context: careContext })
  @state()
  protected config?: CareConfig;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const locale = this.locale || document.documentElement.lang || navigator.language || 'en';
    if (changed.has('locale')) void loadLanguage(locale);
    this.config = {
      endpoint: this.endpoint || new URL(import.meta.url).origin,
      token: this.token || null,
      locale,
      theme: this.theme,
      region: this.region || null,
    };
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}
