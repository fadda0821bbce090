import { css } from 'lit';

/** <care-admin-groups>: the group list, a group's panel, schedule rows and the members table (forms and tables come from adminStyles). */
export const adminGroupsStyles = css`
  :host {
    margin-block-start: var(--care-space, 1rem);
    min-inline-size: 0;
  }
  h4,
  h5,
  h6 {
    font-size: 1rem;
    margin-block: 0 0.5rem;
  }
  h4 {
    font-size: 1.05rem;
  }
  ul.groups {
    list-style: none;
    padding: 0;
    margin: 0 0 0.75rem;
    display: grid;
    gap: 0.5rem;
  }
  ul.groups li {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    padding-block: 0.5rem;
    border-block-end: 1px solid var(--_border);
  }
  ul.groups li > div {
    display: grid;
    min-inline-size: 0;
    overflow-wrap: anywhere;
  }
  .panel {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    margin-block: 0.75rem;
  }
  .panel h4:focus-visible {
    outline: var(--_focus-ring);
  }
  .session {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem 1rem;
    padding-block: 0.25rem;
  }
  .session .field {
    min-inline-size: 7rem;
  }
  .field.wide {
    max-inline-size: 48rem;
  }
  textarea {
    inline-size: 100%;
  }
  button.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  td .actions {
    flex-wrap: wrap;
  }
  @media (forced-colors: active) {
    ul.groups li,
    .panel {
      border-color: CanvasText;
    }
    button.danger {
      border-color: ButtonText;
      color: ButtonText;
    }
  }
`;
