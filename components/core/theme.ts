import { css, unsafeCSS } from 'lit';

const dark = `
  --_surface: var(--care-color-surface-dark, #15191e);
  --_surface-raised: var(--care-color-surface-raised-dark, #1f252c);
  --_text: var(--care-color-text-dark, #eef1f4);
  --_muted: var(--care-color-text-muted-dark, #b7c0ca);
  --_border: var(--care-color-border-dark, #8a96a3);
  --_primary: var(--care-color-primary-dark, #8ab4f8);
  --_on-primary: var(--care-color-on-primary-dark, #0b1a33);
  --_danger: var(--care-color-danger-dark, #ffb4ab);
  --_success: var(--care-color-success-dark, #8fd6a5);
  --_warning-surface: var(--care-color-warning-surface-dark, #3a2c05);
  --_danger-surface: var(--care-color-danger-surface-dark, #3d1410);
  color-scheme: dark;
`;

/**
 * `theme="high-contrast"`: black on white, strong borders, a thick focus ring, no tinted surfaces.
 * It deliberately ignores a clinic's brand colours (only --care-font-family, --care-font-size,
 * --care-space and the focus ring offset still apply): it exists for people who need the contrast.
 */
const highContrast = `
  --_surface: #ffffff;
  --_surface-raised: #ffffff;
  --_text: #000000;
  --_muted: #1f1f1f;
  --_border: #000000;
  --_primary: #0a3a8c;
  --_on-primary: #ffffff;
  --_danger: #8f0000;
  --_success: #0b4a1f;
  --_warning-surface: #ffffff;
  --_danger-surface: #ffffff;
  --_focus-ring: 4px solid #000000;
  --_radius: var(--care-radius, 0.25rem);
  color-scheme: light;
`;

/**
 * Design tokens every widget uses. Clinics set the public `--care-*` properties anywhere above a
 * widget; the private `--_*` names resolve them with accessible defaults.
 */
export const tokens = css`
  :host {
    display: block;
    font-family: var(--care-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--care-font-size, 1rem);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    --_surface: var(--care-color-surface, #ffffff);
    --_surface-raised: var(--care-color-surface-raised, #f4f6f8);
    --_text: var(--care-color-text, #1b1f24);
    --_muted: var(--care-color-text-muted, #4a5563);
    --_border: var(--care-color-border, #6b7685);
    --_primary: var(--care-color-primary, #1f5fbf);
    --_on-primary: var(--care-color-on-primary, #ffffff);
    --_danger: var(--care-color-danger, #b42318);
    --_success: var(--care-color-success, #1d6b3a);
    --_warning-surface: var(--care-color-warning-surface, #fff4d6);
    --_danger-surface: var(--care-color-danger-surface, #fdecea);
    --_radius: var(--care-radius, 0.5rem);
    --_space: var(--care-space, 1rem);
    --_focus-ring: var(--care-focus-ring, 3px solid var(--_primary));
    --_focus-offset: var(--care-focus-ring-offset, 2px);
    color-scheme: light;
    color: var(--_text);
    background: var(--_surface);
    border-radius: var(--_radius);
  }
  .base.dark {
    ${unsafeCSS(dark)}
  }
  .base.high-contrast {
    ${unsafeCSS(highContrast)}
  }
  .base.high-contrast button,
  .base.high-contrast input,
  .base.high-contrast select,
  .base.high-contrast textarea {
    border-width: 2px;
    border-color: currentColor;
  }
  .base.high-contrast a {
    text-decoration-thickness: 2px;
  }
  @media (prefers-color-scheme: dark) {
    .base.auto {
      ${unsafeCSS(dark)}
    }
  }
  :focus-visible {
    outline: var(--_focus-ring);
    outline-offset: var(--_focus-offset);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  table.visually-hidden {
    /* A table grows to fit its cells whatever its width; fixed, it can never widen the page at 320 px (still clipped, still read). */
    position: fixed !important;
    white-space: normal;
  }
  input:not([type='radio'], [type='checkbox'], [type='range'], [type='color']),
  textarea,
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.5rem;
    min-block-size: 2.75rem;
    box-sizing: border-box;
    max-inline-size: 100%;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  button {
    font: inherit;
    min-block-size: 2.75rem;
    min-inline-size: 2.75rem;
    padding-block: 0.5rem;
    padding-inline: 1rem;
    border-radius: var(--_radius);
    border: 2px solid var(--_primary);
    background: var(--_surface);
    color: var(--_primary);
    cursor: pointer;
  }
  button.primary {
    background: var(--_primary);
    color: var(--_on-primary);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  a {
    color: var(--_primary);
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }
  @media (forced-colors: active) {
    .base {
      --_primary: LinkText;
      --_border: CanvasText;
      --_danger: CanvasText;
      --_success: CanvasText;
      border: 1px solid CanvasText;
    }
    button {
      border: 2px solid ButtonText;
      forced-color-adjust: auto;
    }
    :focus-visible {
      outline: 3px solid Highlight;
    }
  }
`;

/**
 * The outer box (`part="base"`) and main heading every widget shares. A widget's own styles come
 * after it and set only what differs: its max width, grid, heading margins.
 */
export const widgetBox = css`
  .base {
    padding: var(--_space);
    border: 1px solid var(--_border);
  }
  h2 {
    font-size: var(--care-heading-size, 1.35rem);
    margin-block: 0 0.25rem;
  }
`;
