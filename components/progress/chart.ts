import { html, nothing, svg, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { SeverityBand } from '../../server/contract/progress.js';

/** Chart geometry in viewBox units; the SVG scales to its container. Pads are equal so RTL mirroring is x → WIDTH − x. */
export const WIDTH = 600;
export const HEIGHT = 200;
const PAD_X = 44;
const PAD_TOP = 12;
const PAD_BOTTOM = 30;

export interface ChartPoint {
  /** Position along the time axis, 0..1 (0 oldest). */
  t: number;
  value: number | null;
  /** Shown on focus and in the table, e.g. "Nov 3". */
  dateLabel: string;
  /** The accessible name of the point, e.g. "Mood, Nov 3: 6". */
  label: string;
}

export interface LineChartOptions {
  id: string;
  points: ChartPoint[];
  min: number;
  max: number;
  ticks: number[];
  formatTick: (n: number) => string;
  rtl: boolean;
  /** Index of the point that holds the chart's one tab stop. */
  active: number;
  labelledBy: string;
  describedBy: string;
  bands?: readonly (SeverityBand & { label: string })[];
  axisStart: string;
  axisEnd: string;
}

const plotWidth = WIDTH - 2 * PAD_X;
const plotHeight = HEIGHT - PAD_TOP - PAD_BOTTOM;

export function xOf(t: number, rtl: boolean): number {
  const x = PAD_X + t * plotWidth;
  return rtl ? WIDTH - x : x;
}

export function yOf(value: number, min: number, max: number): number {
  const clamped = Math.min(max, Math.max(min, value));
  return PAD_TOP + plotHeight - ((clamped - min) / (max - min)) * plotHeight;
}

/** One `M`/`L` path per run of days with data: a missed day leaves a gap instead of inventing a value. */
export function linePath(points: ChartPoint[], min: number, max: number, rtl: boolean): string {
  let d = '';
  let drawing = false;
  for (const p of points) {
    if (p.value === null) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${xOf(p.t, rtl).toFixed(1)} ${yOf(p.value, min, max).toFixed(1)} `;
    drawing = true;
  }
  return d.trim();
}

/** The nearest point with data from `from` in direction `step` (±1), or `from` when there is none. */
export function nextWithData(points: ChartPoint[], from: number, step: number): number {
  for (let i = from + step; i >= 0 && i < points.length; i += step) if (points[i]!.value !== null) return i;
  return from;
}

export function lineChart(o: LineChartOptions): TemplateResult {
  const path = linePath(o.points, o.min, o.max, o.rtl);
  const labelX = o.rtl ? WIDTH - PAD_X + 8 : PAD_X - 8;
  const labelAnchor = o.rtl ? 'start' : 'end';
  return html`<svg
    class="chart-svg"
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    role="group"
    aria-labelledby=${o.labelledBy}
    aria-describedby=${o.describedBy}
    data-chart=${o.id}
  >
    ${(o.bands ?? []).map((band, i) => {
      const top = yOf(Math.min(o.max, band.max + 1), o.min, o.max);
      const bottom = yOf(band.min, o.min, o.max);
      return svg`<g class="band band-${i}" aria-hidden="true">
        <rect x=${PAD_X} y=${top} width=${plotWidth} height=${bottom - top}></rect>
        <text class="band-label" x=${o.rtl ? PAD_X + 6 : WIDTH - PAD_X - 6} y=${top + 12} text-anchor=${o.rtl ? 'start' : 'end'}>${band.label}</text>
      </g>`;
    })}
    <g class="grid" aria-hidden="true">
      ${o.ticks.map(
        (tick) => svg`<line x1=${PAD_X} x2=${WIDTH - PAD_X} y1=${yOf(tick, o.min, o.max)} y2=${yOf(tick, o.min, o.max)}></line>
          <text class="tick" x=${labelX} y=${yOf(tick, o.min, o.max) + 4} text-anchor=${labelAnchor}>${o.formatTick(tick)}</text>`,
      )}
      <text class="tick" x=${xOf(0, o.rtl)} y=${HEIGHT - 8} text-anchor="middle">${o.axisStart}</text>
      <text class="tick" x=${xOf(1, o.rtl)} y=${HEIGHT - 8} text-anchor="middle">${o.axisEnd}</text>
    </g>
    ${path ? svg`<path class="line" d=${path} pathLength="1" aria-hidden="true"></path>` : nothing}
    <g class="points">
      ${o.points.map((p, i) =>
        p.value === null
          ? nothing
          : svg`<circle
              class="dot ${i === o.active ? 'active' : ''}"
              cx=${xOf(p.t, o.rtl)}
              cy=${yOf(p.value, o.min, o.max)}
              r=${o.points.length > 40 ? 3.5 : 5}
              role="img"
              tabindex=${i === o.active ? '0' : '-1'}
              aria-label=${p.label}
              data-index=${i}
            ></circle>`,
      )}
    </g>
  </svg>`;
}

export type TrendDirection = 'none' | 'single' | 'rose' | 'fell' | 'steady';

export interface TrendDescription {
  direction: TrendDirection;
  from: number;
  to: number;
  count: number;
  average: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * How a series moved: the mean of its first quarter of recorded days against the mean of its last
 * quarter (at least one day each), so one unusual day does not decide the sentence. A change under
 * `steadyWithin` reads as steady.
 */
export function describeTrend(values: readonly (number | null)[], steadyWithin = 0.5): TrendDescription {
  const recorded = values.filter((v): v is number => v !== null);
  if (recorded.length === 0) return { direction: 'none', from: 0, to: 0, count: 0, average: 0 };
  const average = round1(meanOf(recorded));
  if (recorded.length === 1) return { direction: 'single', from: recorded[0]!, to: recorded[0]!, count: 1, average };
  const k = Math.max(1, Math.floor(recorded.length / 4));
  const from = round1(meanOf(recorded.slice(0, k)));
  const to = round1(meanOf(recorded.slice(-k)));
  const direction = Math.abs(to - from) < steadyWithin ? 'steady' : to > from ? 'rose' : 'fell';
  return { direction, from, to, count: recorded.length, average };
}

/** What the chart keyboard controller needs from its element. */
export interface ChartHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Time runs right to left: the arrow keys follow what the eye sees. */
  readonly rtl: boolean;
}

/**
 * Keyboard navigation of the element's line charts: each chart has one tab stop (its active
 * point); arrows, Home and End move it between points with data, and focus follows.
 */
export class ChartKeyboardController implements ReactiveController {
  private active: Record<string, number> = {};

  constructor(private readonly host: ChartHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The point of `chartId` that holds the tab stop, or `fallback` before the person moved it. */
  activeOf(chartId: string, fallback: number): number {
    return this.active[chartId] ?? fallback;
  }

  /** Forget the moved points (new data, another range): each chart starts at its default again. */
  reset(): void {
    this.active = {};
    this.host.requestUpdate();
  }

  /** Listeners for the element around a chart's SVG. */
  handlers(chartId: string, points: ChartPoint[]) {
    return {
      keydown: (event: KeyboardEvent) => this.onKey(event, chartId, points),
      focusin: (event: FocusEvent) => this.onFocus(event, chartId),
    };
  }

  private set(chartId: string, index: number): void {
    this.active = { ...this.active, [chartId]: index };
    this.host.requestUpdate();
  }

  private onKey(event: KeyboardEvent, chartId: string, points: ChartPoint[]): void {
    const index = Number((event.target as Element).getAttribute('data-index'));
    if (!Number.isInteger(index)) return;
    const forward = this.host.rtl ? 'ArrowLeft' : 'ArrowRight';
    const back = this.host.rtl ? 'ArrowRight' : 'ArrowLeft';
    let next: number;
    if (event.key === forward || event.key === 'ArrowUp') next = nextWithData(points, index, 1);
    else if (event.key === back || event.key === 'ArrowDown') next = nextWithData(points, index, -1);
    else if (event.key === 'Home') next = nextWithData(points, -1, 1);
    else if (event.key === 'End') next = nextWithData(points, points.length, -1);
    else return;
    event.preventDefault();
    if (next < 0 || next >= points.length) return;
    this.set(chartId, next);
    void this.host.updateComplete.then(() => {
      this.host.renderRoot.querySelector<SVGElement>(`[data-chart="${chartId}"] [data-index="${next}"]`)?.focus();
    });
  }

  private onFocus(event: FocusEvent, chartId: string): void {
    const index = Number((event.target as Element).getAttribute?.('data-index'));
    if (Number.isInteger(index) && this.active[chartId] !== index) this.set(chartId, index);
  }
}
