import { css } from 'lit';

export const supportRoomStyles = css`
  .base {
    padding: var(--_space);
    border: 1px solid var(--_border);
    max-inline-size: var(--care-support-room-max-width, 48rem);
    display: grid;
    gap: var(--_space);
  }
  h2 {
    font-size: var(--care-heading-size, 1.35rem);
    margin: 0;
  }
  h3 {
    font-size: 1.1rem;
    margin-block: 0 0.5rem;
  }
  p {
    margin-block: 0 0.5rem;
  }
  section > section,
  section > care-group-board > section {
    margin-block-start: var(--_space);
  }
  /* The board renders into its own light DOM: its section lays out as the room's own sections do. */
  care-group-board {
    display: contents;
  }
  .topic {
    display: inline-block;
    margin-block: 0.25rem 0.5rem;
    padding-block: 0.125rem;
    padding-inline: 0.5rem;
    border-radius: 999px;
    border: 1px solid var(--_border);
    font-size: 0.9rem;
  }
  .muted {
    color: var(--_muted);
    font-size: 0.95rem;
  }
  .countdown {
    font-size: 1.15rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .notice {
    padding-block: 0.75rem;
    padding-inline: var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    border-inline-start: 4px solid var(--_primary);
  }
  .notice.warning {
    background: var(--_warning-surface);
    border-inline-start-color: var(--_danger);
  }
  .notice.ok {
    border-inline-start-color: var(--_success);
  }
  .notice > p:last-child {
    margin-block-end: 0;
  }
  .error {
    color: var(--_danger);
    font-weight: 600;
  }
  .calendar h4 {
    margin: var(--_space) 0 0;
    font-size: 1rem;
  }
  .calendar-actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) / 2) var(--_space);
    align-items: center;
  }
  .calendar-feed input {
    inline-size: 100%;
    box-sizing: border-box;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  legend,
  label {
    font-weight: 600;
  }
  legend {
    padding: 0;
    margin-block-end: 0.5rem;
  }
  .option {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-block-size: 2.75rem;
    font-weight: 400;
    cursor: pointer;
  }
  .option input {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    margin: 0;
    flex: none;
    accent-color: var(--_primary);
  }
  .alias-field,
  .composer,
  .inline-form {
    display: grid;
    gap: 0.25rem;
    margin-block: 0.5rem;
  }
  textarea {
    inline-size: 100%;
    resize: vertical;
  }
  select {
    /* A long option must not widen the room past a 320 px screen. */
    inline-size: 100%;
  }
  .actions,
  .controls,
  .post-actions,
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .guidelines-text {
    padding-inline-start: 1.25rem;
    margin-block: 0 0.75rem;
  }
  .guidelines-text li + li {
    margin-block-start: 0.25rem;
  }
  .help {
    padding-inline-start: 1.25rem;
  }
  button.link {
    border: 0;
    background: none;
    text-decoration: underline;
    padding-inline: 0.25rem;
  }
  button.small {
    min-block-size: 2.75rem;
    padding-inline: 0.75rem;
    font-size: 0.95rem;
  }
  button.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .join {
    font-size: 1.1rem;
  }
  .video {
    block-size: var(--care-support-room-video-height, 32rem);
    max-block-size: 80vh;
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--_surface-raised);
    margin-block-end: 0.75rem;
  }
  .video iframe {
    border: 0;
    inline-size: 100%;
    block-size: 100%;
  }
  .threads,
  .replies {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.75rem;
  }
  .replies {
    margin-block-start: 0.5rem;
    padding-inline-start: var(--_space);
    border-inline-start: 2px solid var(--_border);
  }
  .post {
    padding: 0.75rem;
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }
  .post.is-hidden {
    opacity: 0.85;
    border: 2px dashed var(--_danger);
  }
  .post .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: baseline;
  }
  .post time {
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .post .body {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .badge {
    font-size: 0.8rem;
    padding-inline: 0.4rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
  }
  .rating {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
  }
  .feedback h3:focus {
    outline: none;
  }
  .feedback h3:focus-visible {
    outline: var(--_focus-ring);
  }
  /* Crisis help and flagging in the room: in the normal flow before the video, never under the iframe. */
  .room-safety {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    margin-block: 0.5rem;
  }
  .room-safety .crisis-hint {
    flex: 1 1 20rem;
    margin: 0;
  }
  .danger-participants {
    flex-basis: 100%;
  }
  .danger-participants ul {
    list-style: none;
    padding: 0;
  }
  .danger-participants li {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    margin-block: 0.25rem;
  }
  dialog.danger-flag {
    max-width: min(32rem, calc(100vw - 2rem));
    border: 2px solid var(--_danger);
    border-radius: var(--care-radius, 0.5rem);
    background: var(--care-color-surface, #fff);
    color: var(--care-color-text, #1a1a1a);
  }
  dialog.danger-flag textarea {
    display: block;
    inline-size: 100%;
    box-sizing: border-box;
  }
  .danger-private {
    border-inline-start: 4px solid var(--care-color-primary, #1f5fa8);
  }
  @media (forced-colors: active) {
    dialog.danger-flag {
      border-color: CanvasText;
    }
    .post,
    .notice {
      border: 1px solid CanvasText;
    }
    .post.is-hidden {
      border-style: dashed;
    }
    /* Backgrounds are dropped in forced colors: a link-styled button keeps a visible edge too. */
    button.link {
      border: 1px solid ButtonText;
    }
  }
`;
