import { css } from 'lit';
import { staffStyles } from '../core/staff.styles.js';

/** <care-admin>: sections of forms, field errors next to their field, count tables (after the shared staff styles). */
export const adminStyles = [
  staffStyles,
  css`
  h2 {
    margin-block: 0 0.5rem;
  }
  h3 {
    font-size: 1.1rem;
    margin-block: 0 0.5rem;
  }
  section.part {
    border-block-start: 1px solid var(--_border);
    padding-block: var(--_space);
  }
  form {
    display: grid;
    gap: 0.75rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
    max-inline-size: 32rem;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.5rem var(--_space);
    margin: 0;
    min-inline-size: 0;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
  }
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    min-block-size: 2.75rem;
  }
  .error {
    color: var(--_danger);
    font-weight: 600;
    margin: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  ul.origins {
    list-style: none;
    padding: 0;
    margin: 0 0 0.75rem;
    display: grid;
    gap: 0.25rem;
  }
  ul.origins li {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    overflow-wrap: anywhere;
  }
  .table-wrap {
    overflow-x: auto;
    max-inline-size: 100%;
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-block: 0.25rem;
  }
  th,
  td {
    text-align: start;
    padding: 0.375rem 0.5rem;
    border-block-end: 1px solid var(--_border);
    vertical-align: top;
  }
  td.number {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  pre {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font-size: 0.85rem;
    max-inline-size: 20rem;
  }
  textarea.json {
    font-family: ui-monospace, monospace;
  }
  .skeleton {
    display: grid;
    gap: 0.5rem;
  }
  .skeleton span {
    display: block;
    block-size: 1rem;
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }
  @media (forced-colors: active) {
    .error {
      color: CanvasText;
      text-decoration: underline;
    }
    section.part,
    th,
    td,
    fieldset {
      border-color: CanvasText;
    }
  }
`,
];
