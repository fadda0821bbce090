import { css } from 'lit';

export const safetyPlanStyles = css`
  .base {
    max-inline-size: var(--care-safety-plan-max-width, 46rem);
  }
  h3 {
    font-size: 1.05rem;
    margin-block: 0 0.5rem;
  }
  .intro,
  .hint,
  .meta {
    color: var(--_muted);
    font-size: 0.95rem;
  }
  .steps {
    display: grid;
    gap: 0.75rem;
    padding-inline-start: 1.5rem;
    margin-block: 0.75rem;
  }
  .step {
    padding: 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }
  .step ul {
    margin-block: 0 0.5rem;
    padding-inline-start: 1.25rem;
    display: grid;
    gap: 0.375rem;
  }
  .step li {
    overflow-wrap: anywhere;
  }
  .phone-links {
    display: inline-flex;
    gap: 0.75rem;
    margin-inline-start: 0.5rem;
  }
  .phone-links a {
    display: inline-flex;
    align-items: center;
    min-block-size: 2.75rem;
    min-inline-size: 2.75rem;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  legend {
    padding: 0;
    font-weight: 700;
    font-size: 1.05rem;
  }
  .edit-item {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.5rem;
    padding-block: 0.25rem;
  }
  .step ul:has(.edit-item) {
    padding-inline-start: 0;
  }
  .field {
    display: grid;
    gap: 0.125rem;
    flex: 1 1 14rem;
  }
  .field.phone {
    flex: 0 1 11rem;
  }
  label {
    font-size: 0.9rem;
    font-weight: 600;
  }
  input {
    padding-block: 0;
  }
  input[aria-invalid='true'] {
    border: 2px solid var(--_danger);
  }
  .error {
    color: var(--_danger);
    margin: 0;
    font-size: 0.9rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 0.75rem;
  }
  .notice {
    padding: 0.75rem;
    border-radius: var(--_radius);
    border-inline-start: 4px solid var(--_primary);
    background: var(--_surface-raised);
    margin-block: 0.75rem;
  }
  .notice.warning {
    background: var(--_warning-surface);
    border-inline-start-color: var(--_danger);
  }
  .notice p {
    margin-block: 0 0.5rem;
  }
  details summary {
    cursor: pointer;
    min-block-size: 2.75rem;
    display: flex;
    align-items: center;
    color: var(--_primary);
    font-weight: 600;
  }
  .empty {
    padding-block: 0.5rem;
  }
  @media (forced-colors: active) {
    .step,
    .notice,
    input {
      border: 1px solid CanvasText;
    }
  }
  @media print {
    .base {
      border: 0;
      padding: 0;
      max-inline-size: none;
      color: #000;
      background: #fff;
    }
    .no-print,
    .actions,
    .intro,
    button,
    [role='status'],
    .notice.warning {
      display: none !important;
    }
    .step {
      background: none;
      border: 1px solid #000;
      break-inside: avoid;
    }
    a {
      color: #000;
      text-decoration: none;
    }
    details > *:not(summary) {
      display: block;
    }
  }
`;
