import { defineElement } from './define.js';
import { CareProvider } from './provider.js';

export { CareProvider };
export { CareElement } from './care-element.js';
export { careContext, type CareConfig, type ThemeMode } from './context.js';
export { loadLanguage, SUPPORTED_LANGUAGES } from './i18n.js';
defineElement('care-provider', CareProvider);

declare global {
  interface HTMLElementTagNameMap {
    'care-provider': CareProvider;
  }
}
