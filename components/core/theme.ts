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
