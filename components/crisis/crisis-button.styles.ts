import { css } from 'lit';

export const crisisButtonStyles = css`
  :host {
    display: inline-block;
    position: relative;
  }
  :host([variant='floating']) {
    position: fixed;
    inset-block-end: max(var(--care-crisis-offset, 1rem), env(safe-area-inset-bottom, 0px));
    inset-inline-end: max(var(--care-crisis-offset, 1rem), env(safe-area-inset-right, 0px));
    /* Above portal chrome and other widgets; the open dialog itself is in the top layer. */
    z-index: var(--care-crisis-z-index, 2147483000);
  }
  /* On a phone a floating button would sit on the page's own buttons and fields: it docks into the flow instead. */
  @media (max-width: 40rem) {
    :host([variant='floating']) {
      position: relative;
      inset: auto;
      display: block;
      margin-block: 1rem;
    }
  }
  .shortcut-hint {
    display: none;
    position: absolute;
    inset-block-end: calc(100% + 0.5rem);
    inset-inline-end: 0;
    padding: 0.25rem 0.5rem;
    white-space: nowrap;
    font-size: 0.875rem;
    border: 1px solid var(--_border);
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.25);
    pointer-events: none;
  }
  .trigger:hover + .shortcut-hint,
  .trigger:focus-visible + .shortcut-hint {
    display: block;
  }
  .trigger {
    --_crisis: var(--care-crisis-color, var(--_danger));
    --_on-crisis: var(--care-crisis-on-color, #ffffff);
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    min-block-size: 3.5rem;
    min-inline-size: 3.5rem;
    padding-inline: 1.25rem;
    font-size: 1.125rem;
    font-weight: 700;
    background: var(--_crisis);
    color: var(--_on-crisis);
    border: 3px solid var(--_crisis);
    border-radius: 999px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.35);
  }
  .trigger.dark {
    --_on-crisis: var(--care-crisis-on-color, #1b0a08);
  }
  @media (prefers-color-scheme: dark) {
    .trigger.auto {
      --_on-crisis: var(--care-crisis-on-color, #1b0a08);
    }
  }
  .trigger:focus-visible {
    outline: 3px solid var(--_text);
    outline-offset: 3px;
  }
  .icon {
    font-size: 1.25rem;
  }
  dialog {
    padding: 0;
    border: 0;
    background: transparent;
    max-inline-size: min(36rem, calc(100vw - 1rem));
    max-block-size: calc(100dvh - 1rem);
    inline-size: 100%;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.6);
  }
  .panel {
    padding: var(--_space);
    border: 2px solid var(--_danger);
    display: grid;
    gap: 0.75rem;
  }
  h2 {
    font-size: 1.4rem;
    margin: 0;
  }
  h3 {
    font-size: 1.05rem;
    margin-block: 0 0.5rem;
  }
  p {
    margin: 0;
  }
  section {
    display: grid;
    gap: 0.25rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.9rem;
  }
  a.action {
    display: flex;
    align-items: center;
    min-block-size: 3rem;
    padding-inline: 1rem;
    border: 2px solid var(--_primary);
    border-radius: var(--_radius);
    font-weight: 600;
    text-decoration: none;
    background: var(--_surface-raised);
  }
  a.action.call {
    font-size: 1.15rem;
  }
  a.action.emergency {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  a.action.small {
    display: inline-flex;
    min-block-size: 2.75rem;
    min-inline-size: 2.75rem;
    justify-content: center;
  }
  .contacts li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .contact-name {
    font-weight: 600;
  }
  .contact-actions {
    display: flex;
    gap: 0.5rem;
  }
  button.alert {
    min-block-size: 3rem;
    font-weight: 700;
  }
  /* "Told" and "waiting to send" are states to read, not faded-out controls. */
  button.alert:disabled {
    opacity: 1;
    background: var(--_surface-raised);
    color: var(--_text);
    border-color: var(--_border);
    cursor: default;
  }
  .next {
    padding: 0.75rem;
    border-radius: var(--_radius);
    border-inline-start: 4px solid var(--_primary);
    background: var(--_surface-raised);
  }
  .next.warning {
    background: var(--_warning-surface);
    border-inline-start-color: var(--_danger);
  }
  .footer {
    display: flex;
    justify-content: flex-end;
  }
  @media (forced-colors: active) {
    .trigger {
      background: ButtonFace;
      color: ButtonText;
      border: 3px solid ButtonText;
      forced-color-adjust: none;
    }
    a.action {
      border: 2px solid LinkText;
    }
  }
`;
