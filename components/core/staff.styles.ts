import { css } from 'lit';

/**
 * What the staff widgets (<care-alerts>, <care-roster>, <care-outcomes>, the client record and
 * <care-admin>) share: muted hints and meta lines, notices (and their warning form), and a refused
 * field's stronger border, in forced colors too. Each widget adds its own layout after it.
 */
export const staffStyles = css`
  .meta,
  .hint {
    color: var(--_muted);
    font-size: 0.9rem;
    margin-block: 0.25rem;
  }
  .notice {
    padding: 0.75rem var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    border-inline-start: 4px solid var(--_primary);
    margin-block: 0.75rem;
  }
  .notice.warning {
    background: var(--_warning-surface);
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
    border-width: 2px;
  }
  @media (forced-colors: active) {
    [aria-invalid='true'] {
      border-color: Mark;
    }
  }
`;
