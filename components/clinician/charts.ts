import { html, svg, nothing } from 'lit';

export interface Series {
  /** Visible name, also the table column heading. */
  label: string;
  values: (number | null)[];
  /** Line and marker style; shapes and dashes keep series apart without colour (forced colors). */
  style: 'a' | 'b' | 'c';
}

export interface ChartSpec {
  id: string;
  title: string;
  kind: 'line' | 'bar';
  /** Category labels along the x axis (months). */
  labels: string[];
  series: Series[];
  /** Highest value on the y axis. */
  max: number;
  format: (value: number) => string;
  summary: string;
  /** Heading of the first table column. */
  categoryHeading: string;
  /** Shown in table cells without a value. */
  noValue: string;
  rtl: boolean;
}

const W = 640;
const H = 240;
const PAD = { top: 16, bottom: 32, side: 48 };
const DASH: Record<Series['style'], string> = { a: '', b: '8 4', c: '2 4' };

/** A small SVG chart drawn from the data, plus its text summary and a data table for screen readers. */
export function renderChart(spec: ChartSpec) {
  const n = spec.labels.length;
  const plotW = W - PAD.side * 2;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, n);
  // Right-to-left mirrors the time axis: the latest month sits at the start edge of the reading direction.
  const xAt = (i: number) => PAD.side + slot * ((spec.rtl ? n - 1 - i : i) + 0.5);
  const max = spec.max > 0 ? spec.max : 1;
  const yAt = (v: number) => PAD.top + plotH - (Math.min(v, max) / max) * plotH;
  const ticks = [0, max / 2, max];
  const axisX = spec.rtl ? W - PAD.side + 6 : PAD.side - 6;

  const grid = ticks.map(
    (v) => svg`<line class="grid" x1=${PAD.side} x2=${W - PAD.side} y1=${yAt(v)} y2=${yAt(v)}></line>
      <text class="tick" x=${axisX} y=${yAt(v) + 4} text-anchor=${spec.rtl ? 'start' : 'end'}>${spec.format(v)}</text>`,
  );
  // Labels stay 13 px on screen, so a narrow chart shows only some months (styles hide the rest by
  // class; the data table names every month). The latest month is always labelled.
  const keeps = (every: number) => (i: number) => (n - 1 - i) % every === 0;
  const keep3 = keeps(Math.ceil(n / 3));
  const keep6 = keeps(Math.ceil(n / 6));
  const xLabels = spec.labels.map(
    (label, i) =>
      svg`<text class="tick x ${keep3(i) ? 'keep-3' : ''} ${keep6(i) ? 'keep-6' : ''}" x=${xAt(i)} y=${H - 10} text-anchor="middle">${label}</text>`,
  );

  let marks;
  if (spec.kind === 'bar') {
    const barW = (slot * 0.7) / spec.series.length;
    marks = spec.series.map((s, si) =>
      s.values.map((v, i) => {
        if (v === null) return nothing;
        const offset = (si - (spec.series.length - 1) / 2) * barW * (spec.rtl ? -1 : 1);
        return svg`<rect class="bar s-${s.style}" x=${xAt(i) + offset - barW / 2} y=${yAt(v)} width=${barW} height=${Math.max(0, PAD.top + plotH - yAt(v))}></rect>`;
      }),
    );
  } else {
    marks = spec.series.map((s) => {
      // A gap (no value) breaks the line rather than pretending the value was zero.
      const segments: string[] = [];
      let current: string[] = [];
      s.values.forEach((v, i) => {
        if (v === null) {
          if (current.length) segments.push(current.join(' '));
          current = [];
        } else current.push(`${xAt(i)},${yAt(v)}`);
      });
      if (current.length) segments.push(current.join(' '));
      return svg`${segments.map((points) => svg`<polyline class="line s-${s.style}" points=${points} stroke-dasharray=${DASH[s.style] || nothing}></polyline>`)}
        ${s.values.map((v, i) =>
          v === null
            ? nothing
            : s.style === 'a'
              ? svg`<circle class="dot s-${s.style}" cx=${xAt(i)} cy=${yAt(v)} r="4"></circle>`
              : svg`<rect class="dot s-${s.style}" x=${xAt(i) - 4} y=${yAt(v) - 4} width="8" height="8"></rect>`,
        )}`;
    });
  }

  return html`<figure class="chart" part="chart" aria-labelledby="${spec.id}-title">
    <figcaption id="${spec.id}-title"><h3 part="heading">${spec.title}</h3></figcaption>
    <svg viewBox="0 0 ${W} ${H}" aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMid meet">
      ${grid} ${xLabels} ${marks}
    </svg>
    ${spec.series.length > 1
      ? html`<ul class="legend" aria-hidden="true">
          ${spec.series.map((s) => html`<li><span class="key s-${s.style} ${spec.kind}"></span>${s.label}</li>`)}
        </ul>`
      : nothing}
    <p class="summary" part="summary">${spec.summary}</p>
    <table class="visually-hidden">
      <caption>${spec.title}</caption>
      <thead>
        <tr>
          <th scope="col">${spec.categoryHeading}</th>
          ${spec.series.map((s) => html`<th scope="col">${s.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${spec.labels.map(
          (label, i) => html`<tr>
            <th scope="row">${label}</th>
            ${spec.series.map((s) => html`<td>${s.values[i] === null ? spec.noValue : spec.format(s.values[i]!)}</td>`)}
          </tr>`,
        )}
      </tbody>
    </table>
  </figure>`;
}
