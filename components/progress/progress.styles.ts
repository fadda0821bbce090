import { css } from 'lit';

export const progressStyles = css`
  .base {
    max-inline-size: var(--care-progress-max-width, 48rem);
    display: grid;
    gap: var(--_space);
  }
  h2 {
    margin: 0;
  }
  h3 {
    font-size: 1.1rem;
    margin-block: 0 0.25rem;
  }
  p {
    margin-block: 0;
  }
  .hint,
  .scale,
  .stat-detail,
  .bam .previous,
  .point-readout {
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .scale {
    font-weight: 400;
  }
  .bam-subscales {
    margin-block: 0.5rem 0;
    padding-inline-start: 1.25rem;
  }
  .bam-subscales li + li {
    margin-block-start: 0.5rem;
  }
  .bam .previous {
    display: block;
  }
  .stretch {
    font-size: 1.25rem;
  }
  .recovery {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
  }
  .headline {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
    gap: 0.75rem;
  }
  .stat {
    display: grid;
    align-content: start;
    gap: 0.125rem;
    padding: 0.75rem;
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    border: 1px solid transparent;
  }
  .stat-value {
    font-size: 1.75rem;
    font-weight: 700;
    line-height: 1.1;
    font-variant-numeric: tabular-nums;
  }
  .stat-label {
    font-weight: 600;
  }
  .section-title {
    margin-block-start: 0.5rem;
  }
  .trends,
  .scores,
  .goals {
    display: grid;
    gap: 0.75rem;
  }
  .range {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  .range legend {
    padding: 0;
    margin-block-end: 0.25rem;
    font-weight: 600;
  }
  /* Three equal columns that shrink with the screen: the switch never breaks onto a second row. */
  .range-options {
    display: inline-grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    max-inline-size: 100%;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  .range-option {
    position: relative;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-block-size: 2.75rem;
    min-inline-size: min(5.5rem, 100%);
    padding-inline: 0.5rem;
    text-align: center;
    cursor: pointer;
  }
  .range-option + .range-option {
    border-inline-start: 1px solid var(--_border);
  }
  .range-option input {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  .range-option:has(input:checked) {
    background: var(--_primary);
    color: var(--_on-primary);
    font-weight: 700;
  }
  .range-option:has(input:focus-visible) {
    outline: var(--_focus-ring);
    outline-offset: calc(-1 * var(--_focus-offset) - 3px);
  }
  .charts {
    display: grid;
    gap: var(--_space);
  }
  .chart {
    margin: 0;
    padding: 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    display: grid;
    gap: 0.5rem;
  }
  .chart-summary {
    font-size: 0.95rem;
  }
  .plot {
    position: relative;
  }
  .chart-svg {
    display: block;
    inline-size: 100%;
    block-size: auto;
    overflow: visible;
    /* Axis numbers read left to right; RTL mirrors the time axis in the geometry instead. */
    direction: ltr;
  }
  .grid line {
    stroke: var(--_border);
    stroke-opacity: 0.45;
    stroke-width: 1;
  }
  .tick,
  .band-label {
    fill: var(--_muted);
    /* 12 px on screen whatever the chart's width (see SvgTextScaleController). */
    font-size: calc(12px * var(--care-svg-unit, 1));
    font-family: inherit;
  }
  .band rect {
    fill: var(--_danger);
    stroke: none;
  }
  .band-0 rect {
    fill-opacity: 0;
  }
  .band-1 rect {
    fill-opacity: 0.06;
  }
  .band-2 rect {
    fill-opacity: 0.11;
  }
  .band-3 rect {
    fill-opacity: 0.16;
  }
  .band-4 rect {
    fill-opacity: 0.22;
  }
  .line {
    fill: none;
    stroke: var(--_primary);
    stroke-width: 2.5;
    stroke-linejoin: round;
    stroke-linecap: round;
  }
  .dot {
    fill: var(--_surface);
    stroke: var(--_primary);
    stroke-width: 2;
    cursor: default;
  }
  .dot:focus {
    outline: none;
  }
  .dot:focus-visible,
  .dot.active:focus {
    fill: var(--_primary);
    stroke: var(--_text);
    stroke-width: 3;
    r: 7px;
  }
  @media (prefers-reduced-motion: no-preference) {
    .line {
      stroke-dasharray: 1;
      stroke-dashoffset: 0;
      animation: draw 700ms ease-out;
    }
    @keyframes draw {
      from {
        stroke-dashoffset: 1;
      }
    }
  }
  .point-readout {
    min-block-size: 1.5em;
  }
  .goals ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.75rem;
  }
  .goal {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.25rem 0.75rem;
    align-items: center;
  }
  .goal progress {
    grid-column: 1 / -1;
    grid-row: 2;
    inline-size: 100%;
    block-size: 0.75rem;
    accent-color: var(--_primary);
  }
  .goal-count {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .goal.done .goal-count {
    color: var(--_success);
    font-weight: 600;
  }
  .notice {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
    padding: 0.75rem var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    border-inline-start: 4px solid var(--_primary);
  }
  .notice.warning {
    background: var(--_warning-surface);
  }
  .empty-title {
    font-size: 1.15rem;
    font-weight: 600;
  }
  .start-form {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
  }
  .start-form label {
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
  }
  .skeleton {
    display: grid;
    gap: var(--_space);
  }
  .bone {
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    min-block-size: 4.5rem;
  }
  .chart-bone {
    min-block-size: 10rem;
  }
  @media (prefers-reduced-motion: no-preference) {
    .bone {
      animation: pulse 1.4s ease-in-out infinite;
    }
    @keyframes pulse {
      50% {
        opacity: 0.55;
      }
    }
  }
  @media (forced-colors: active) {
    .chart-svg {
      forced-color-adjust: none;
    }
    .line {
      stroke: CanvasText;
    }
    .dot {
      fill: Canvas;
      stroke: CanvasText;
    }
    .dot:focus-visible,
    .dot.active:focus {
      fill: Highlight;
      stroke: CanvasText;
    }
    .grid line {
      stroke: GrayText;
      stroke-opacity: 1;
    }
    .tick,
    .band-label {
      fill: CanvasText;
    }
    .band rect {
      fill: Canvas;
      fill-opacity: 1;
      stroke: GrayText;
      stroke-dasharray: 4 3;
    }
    .stat,
    .chart,
    .notice {
      border: 1px solid CanvasText;
    }
    .range-option:has(input:checked) {
      background: Highlight;
      color: HighlightText;
      forced-color-adjust: none;
    }
    .bone {
      border: 1px solid GrayText;
    }
  }
`;
