import { css } from 'lit';

export const clientRecordStyles = css`
  :host {
    min-inline-size: 0;
    container-type: inline-size;
  }
  .base {
    display: grid;
    gap: 1rem;
    min-inline-size: 0;
    overflow-wrap: anywhere;
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 3px solid var(--_primary);
    outline-offset: 2px;
  }
  .items {
    list-style: none;
    padding: 0;
    margin: 0 0 0.5rem;
    display: grid;
    gap: 0.5rem;
  }
  .items > li {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.5rem 0.75rem;
  }
  .items > li.urgent,
  .items > li.alert.open {
    border-inline-start: 4px solid var(--_danger);
  }
  .items p {
    margin-block: 0.25rem;
  }
  h4,
  h5 {
    margin-block: 0 0.25rem;
    font-size: 1rem;
  }
  h5 {
    font-size: 0.95rem;
  }
  .note-text {
    white-space: pre-wrap;
  }
  /* A write-back the EHR refused is the clinic's to fix: marked, and not by colour alone (the words say it). */
  .write-back.refused {
    font-weight: 600;
    border-inline-start: 3px solid var(--_danger);
    padding-inline-start: 0.5rem;
  }
  details summary {
    cursor: pointer;
    min-block-size: 1.5rem;
  }
  .answers {
    display: grid;
    gap: 0.25rem;
    margin: 0.25rem 0 0;
  }
  .answer {
    display: grid;
    grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
    gap: 0.5rem;
  }
  .answer dd {
    margin: 0;
    font-weight: 600;
  }
  /* An answer only an earlier version of the form asked: marked by its words and a border, not by colour alone. */
  .earlier-form-answer {
    margin: 0.125rem 0 0;
    padding: 0.125rem 0.5rem;
    border-inline-start: 3px solid var(--_border);
    background: var(--_warning-surface, transparent);
    font-weight: 400;
    font-size: 0.875em;
  }
  @container (max-width: 480px) {
    .answer {
      grid-template-columns: minmax(0, 1fr);
      gap: 0;
    }
  }
  @media (forced-colors: active) {
    .items > li.urgent,
    .items > li.alert.open,
    .write-back.refused,
    .earlier-form-answer {
      border-inline-start-color: CanvasText;
    }
  }
`;
