import { css } from 'lit';
import { staffStyles } from '../core/staff.styles.js';

/** Shared by <care-alerts>, <care-roster> and <care-outcomes> (after the shared staff styles). */
export const clinicianStyles = [
  staffStyles,
  css`
  h2 {
    margin-block: 0 0.5rem;
  }
  h3 {
    font-size: 1.05rem;
    margin-block: 0 0.25rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem 1rem;
  }
  .notice p {
    margin-block: 0 0.5rem;
  }
  .skeleton {
    display: grid;
    gap: 0.5rem;
  }
  .skeleton span {
    display: block;
    block-size: 1.25rem;
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    animation: pulse 1.5s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.5;
    }
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  label {
    font-weight: 600;
  }
  textarea {
    inline-size: 100%;
    resize: vertical;
  }
  input[type='checkbox'] {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    accent-color: var(--_primary);
    margin: 0;
  }
  .badge {
    display: inline-block;
    padding-inline: 0.5rem;
    border-radius: 999px;
    font-size: 0.85rem;
    font-weight: 700;
    border: 1px solid currentColor;
  }
  .badge.urgent {
    color: var(--_danger);
    background: var(--_danger-surface);
  }
  .badge.elevated {
    background: var(--_warning-surface);
  }
  @media (forced-colors: active) {
    .notice,
    .badge {
      border: 2px solid CanvasText;
    }
    .skeleton span {
      background: GrayText;
    }
  }
`,
];
