import { css } from 'lit';

export const checkInStyles = css`
  .base {
    max-inline-size: var(--care-check-in-max-width, 40rem);
  }
  h3 {
    font-size: 1.1rem;
    margin-block: 0 0.5rem;
  }
  .intro,
  .hint,
  .count,
  .scale-ends,
  .draft {
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .hint,
  .error {
    margin-block: 0 0.5rem;
  }
  form {
    display: grid;
    gap: calc(var(--_space) * 1.25);
  }
  /* The questions of a form shown in English inside another language: only their lang and dir differ. */
  .questions {
    display: contents;
  }
  .field {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  .group {
    display: grid;
    gap: var(--_space);
    margin: 0;
    min-inline-size: 0;
    padding: var(--_space);
    padding-inline-start: calc(var(--_space) * 1.25);
    border: 0;
    border-inline-start: 3px solid var(--_border);
  }
  .group .field > label {
    font-weight: 400;
  }
  legend,
  .field > label {
    font-weight: 600;
    padding: 0;
    margin-block-end: 0.5rem;
    display: block;
  }
  .optional {
    font-weight: 400;
    color: var(--_muted);
  }
  .options {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .choice .options,
  .multi .options,
  .worded .options {
    flex-direction: column;
  }
  .option {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-block-size: 2.75rem;
    cursor: pointer;
  }
  .option input {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    margin: 0;
    accent-color: var(--_primary);
    flex: none;
  }
  .numeric .option {
    position: relative;
    justify-content: center;
    min-inline-size: 2.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }
  .numeric .option input {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    opacity: 0;
    cursor: pointer;
  }
  .numeric .option:has(input:checked) {
    background: var(--_primary);
    color: var(--_on-primary);
    border-color: var(--_primary);
    font-weight: 700;
  }
  .numeric .option:has(input:focus-visible) {
    outline: var(--_focus-ring);
    outline-offset: var(--_focus-offset);
  }
  .scale-ends {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    margin-block: -0.75rem 0;
  }
  .number-row {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  input[type='number'] {
    inline-size: 6rem;
  }
  textarea {
    inline-size: 100%;
    box-sizing: border-box;
    resize: vertical;
  }
  .error {
    color: var(--_danger);
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 1rem;
  }
  .notice {
    padding: 0.75rem var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    border-inline-start: 4px solid var(--_primary);
  }
  .notice.warning {
    background: var(--_warning-surface);
  }
  .crisis {
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_danger-surface);
    border: 2px solid var(--_danger);
    margin-block-start: var(--_space);
  }
  .crisis-lines {
    display: grid;
    gap: 0.5rem;
    padding: 0;
    list-style: none;
    font-size: 1.1rem;
    font-weight: 600;
  }
  .crisis-lines a {
    display: inline-flex;
    align-items: center;
    min-block-size: 2.75rem;
  }
  .result:focus {
    outline: none;
  }
  @media (forced-colors: active) {
    .numeric .option:has(input:checked) {
      background: Highlight;
      color: HighlightText;
      forced-color-adjust: none;
    }
    .crisis,
    .notice {
      border: 2px solid CanvasText;
    }
  }
`;
