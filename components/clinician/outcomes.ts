import { Task, TaskStatus } from '@lit/task';
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { OutcomesMonth, OutcomesReport } from '../../server/contract/clinician.js';
import { FEEDBACK_BARRIERS } from '../../server/contract/templates.js';
import { failureOf, loadFailureMessages, renderFailure, type Failure } from '../core/failure.js';
import { laidOutRtl } from '../core/direction.js';
import { CareElement } from '../core/care-element.js';
import { SvgTextScaleController } from '../core/svg-text-scale.js';
import { tokens, widgetBox } from '../core/theme.js';
import { renderChart, type Series } from './charts.js';
import { clinicianStyles } from './clinician.styles.js';
import { formatMonth, formatNumber, formatPercent } from './format.js';
import outcomes from '../../locales/en/outcomes.json';
import templates from '../../locales/en/templates.json';
import { addEnglish } from '../core/i18n.js';

addEnglish({ outcomes, templates });

/**
 * The clinic's outcomes per month: engagement rate, retention at 30 and 90 days, relapse
 * occurrences, sessions attended and client-reported experience, drawn as SVG charts, each with a
 * text summary and a data table for screen readers, and downloadable as CSV.
 *
 * @summary Monthly outcome report charts for clinic staff.
 * @tag care-outcomes
 *
 * @event {CustomEvent<CareErrorDetail>} care-error - The report could not be loaded or downloaded. `detail: { kind, message }`.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading.
 * @csspart chart - One chart (a figure).
 * @csspart summary - A chart's text summary.
 * @csspart download - The CSV download link.
 * @csspart notice - Loading problems and empty state.
 * @csspart bam - The Brief Addiction Monitor chart (monthly means of Use, Risk factors and Protective factors) and what the subscales mean; shown when the period has BAM check-ins.
 * @csspart unverified-translation - How many PHQ-9/GAD-7 scores, and how many BAM check-ins, of the period were answered in an unverified translation (each shown only when some were).
 * @csspart status - The live region announcing results.
 * @csspart heading - Section headings inside the widget.
 * @csspart button - Buttons without a more specific part (retry, cancel, secondary actions).
 *
 * @cssproperty --care-color-primary - First series, links and focus ring.
 * @cssproperty --care-color-success - Second series.
 * @cssproperty --care-color-text - Text and third series.
 * @cssproperty --care-color-text-muted - Axis labels.
 * @cssproperty --care-color-border - Grid lines.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-space - Base spacing.
 */
export class CareOutcomes extends CareElement {
  static override styles = [
    tokens,
    widgetBox,
    clinicianStyles,
    css`
      .charts {
        display: grid;
        gap: calc(var(--_space) * 1.5);
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));
      }
      figure {
        margin: 0;
        container-type: inline-size;
      }
      @container (max-width: 700px) {
        .tick.x:not(.keep-6) {
          display: none;
        }
      }
      @container (max-width: 400px) {
        .tick.x:not(.keep-3) {
          display: none;
        }
      }
      svg {
        inline-size: 100%;
        block-size: auto;
        overflow: visible;
      }
      .grid {
        stroke: var(--_border);
        stroke-width: 1;
        opacity: 0.5;
      }
      .tick {
        fill: var(--_muted);
        /* 13 px on screen whatever the chart's width (see SvgTextScaleController). */
        font-size: calc(13px * var(--care-svg-unit, 1));
      }
      .line {
        fill: none;
        stroke-width: 3;
      }
      .line.s-a,
      .dot.s-a,
      .bar.s-a,
      .key.s-a {
        stroke: var(--_primary);
        fill: var(--_primary);
        background: var(--_primary);
      }
      .line.s-b,
      .dot.s-b,
      .bar.s-b,
      .key.s-b {
        stroke: var(--_success);
        fill: var(--_success);
        background: var(--_success);
      }
      .line.s-c,
      .dot.s-c,
      .bar.s-c,
      .key.s-c {
        stroke: var(--_text);
        fill: var(--_text);
        background: var(--_text);
      }
      .line {
        fill: none !important;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        list-style: none;
        padding: 0;
        margin: 0.25rem 0;
        font-size: 0.9rem;
      }
      .key {
        display: inline-block;
        inline-size: 1.25rem;
        block-size: 0.35rem;
        margin-inline-end: 0.35rem;
        vertical-align: middle;
      }
      .summary {
        margin-block: 0.25rem 0;
      }
      .barriers {
        margin-block: 0.25rem 0;
        padding-inline-start: 1.25rem;
      }
      @media (forced-colors: active) {
        .line,
        .dot,
        .bar,
        .key {
          stroke: CanvasText !important;
          fill: CanvasText;
          background: CanvasText;
          forced-color-adjust: none;
        }
        .line {
          fill: none !important;
        }
        .tick {
          fill: CanvasText;
        }
        .grid {
          stroke: GrayText;
        }
      }
    `,
  ];

  /** How many months to show, ending with the current one (1–24). Ignored when `from` is set. */
  @property({ type: Number }) months = 6;
  /** First month, `YYYY-MM`. */
  @property() from?: string;
  /** Last month, `YYYY-MM`; defaults to the current month. */
  @property() to?: string;

  @state() private report: OutcomesReport | null = null;
  @state() private failure: Failure | null = null;

  private readonly svgText = new SvgTextScaleController(this, 'figure svg[viewBox]');

  protected override willUpdate(changed: PropertyValues<this>): void {
    const keys = ['token', 'endpoint', 'provided', 'months', 'from', 'to'] as (keyof CareOutcomes)[];
    if (keys.some((k) => changed.has(k))) void this.load();
  }

  /** Loads the report again. */
  async reload(): Promise<void> {
    await this.load();
  }

  private get input() {
    const input: { from?: string; to?: string } = {};
    if (this.to) input.to = this.to;
    if (this.from) input.from = this.from;
    else if (this.to) input.from = addMonths(this.to, -(this.span - 1));
    return input;
  }

  private get span(): number {
    return Math.min(24, Math.max(1, Math.round(this.months) || 6));
  }

  /** The report for the chosen months; a newer load cancels the older request. */
  private readonly reportTask = new Task(this, {
    autoRun: false,
    args: () => [this.input, this.span] as const,
    task: async ([requested, span], { signal }) => {
      let input = requested;
      if (!input.from && !input.to && span !== 6) {
        // The server's default is six months; ask for the span ending this month in the clinic's calendar.
        const probe = await this.api.outcomes.report.query({}, { signal });
        const last = probe.months.at(-1)!.month;
        input = { from: addMonths(last, -(span - 1)), to: last };
      }
      return this.api.outcomes.report.query(input, { signal });
    },
    onComplete: (report) => {
      this.report = report;
      this.failure = null;
      this.announce(this.t('outcomes.loaded', { count: report.months.length }));
    },
    onError: (error) => {
      this.failure = failureOf(error);
      this.announce(this.t('outcomes.loadFailed'));
      this.emit('care-error', { kind: this.failure.kind, message: this.failure.message });
    },
  });

  private get loading(): boolean {
    return this.reportTask.status === TaskStatus.PENDING;
  }

  private async load(): Promise<void> {
    if (!this.config.token) return;
    await this.reportTask.run();
  }


  private get csvUrl(): string {
    const params = new URLSearchParams();
    const months = this.report?.months;
    if (months?.length) {
      params.set('from', months[0]!.month);
      params.set('to', months.at(-1)!.month);
    }
    return `${this.config.endpoint.replace(/\/$/, '')}/reports/outcomes.csv?${params}`;
  }

  /** The CSV needs the bearer token, which a plain link cannot send: fetch it, then save the file. */
  private async download(event: Event): Promise<void> {
    event.preventDefault();
    const url = this.csvUrl;
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${this.config.token ?? ''}` } });
      if (!res.ok) throw new Error(String(res.status));
      const blob = await res.blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      const months = this.report?.months ?? [];
      link.download = `outcomes-${months[0]?.month ?? ''}-${months.at(-1)?.month ?? ''}.csv`;
      link.hidden = true;
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      this.announce(this.t('outcomes.downloaded'));
    } catch (error) {
      this.announce(this.t('outcomes.downloadFailed'));
      this.emit('care-error', { kind: 'server', message: String(error) });
    }
  }

  private summaryOf(label: string, values: (number | null)[], months: OutcomesMonth[], format: (n: number) => string): string {
    const points = values.map((v, i) => ({ v, month: months[i]!.month })).filter((p) => p.v !== null) as { v: number; month: string }[];
    const locale = this.config.locale;
    if (points.length === 0) return this.t('outcomes.summary.none', { name: label });
    const first = points[0]!;
    const last = points.at(-1)!;
    if (points.length === 1 || first.v === last.v) {
      return this.t('outcomes.summary.steady', { name: label, value: format(last.v), month: formatMonth(last.month, locale), count: points.length });
    }
    return this.t(last.v > first.v ? 'outcomes.summary.rose' : 'outcomes.summary.fell', {
      name: label,
      first: format(first.v),
      firstMonth: formatMonth(first.month, locale),
      last: format(last.v),
      lastMonth: formatMonth(last.month, locale),
    });
  }

  private renderCharts(report: OutcomesReport) {
    const locale = this.config.locale;
    const rtl = this.localize.dir === 'rtl' || laidOutRtl(this);
    const months = report.months;
    const labels = months.map((m) => formatMonth(m.month, locale, 'short'));
    const pct = (n: number) => formatPercent(n, locale) ?? '';
    const num = (n: number) => formatNumber(n, locale, 1);
    const common = { labels, rtl, categoryHeading: this.t('outcomes.month'), noValue: this.t('outcomes.noValue') };

    const rateSeries: Series[] = [
      { label: this.t('outcomes.series.engagement'), values: months.map((m) => m.engagement.rate), style: 'a' },
      { label: this.t('outcomes.series.retention30'), values: months.map((m) => m.retention.d30.rate), style: 'b' },
      { label: this.t('outcomes.series.retention90'), values: months.map((m) => m.retention.d90.rate), style: 'c' },
    ];
    const relapse: Series[] = [{ label: this.t('outcomes.series.relapse'), values: months.map((m) => m.relapse.occurrences), style: 'a' }];
    const attendance: Series[] = [
      { label: this.t('outcomes.series.group'), values: months.map((m) => m.attendance.group), style: 'a' },
      { label: this.t('outcomes.series.telehealth'), values: months.map((m) => m.attendance.telehealth), style: 'b' },
    ];
    const feedback: Series[] = [
      { label: this.t('outcomes.series.satisfaction'), values: months.map((m) => m.feedback.satisfaction), style: 'a' },
      { label: this.t('outcomes.series.usefulness'), values: months.map((m) => m.feedback.usefulness), style: 'b' },
    ];
    const countMax = (series: Series[]) => Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
    const niceMax = (n: number) => (n <= 4 ? 4 : Math.ceil(n / 4) * 4);
    const summaries = (series: Series[], format: (n: number) => string) =>
      series.map((s) => this.summaryOf(s.label, s.values, months, format)).join(' ');
    const totalSessions = months.reduce((a, m) => a + m.attendance.sessions, 0);
    const barriers = FEEDBACK_BARRIERS.map((b) => ({ b, n: months.reduce((a, m) => a + m.feedback.barriers[b], 0) }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n);
    const responses = months.reduce((a, m) => a + m.feedback.responses, 0);
    // Brief Addiction Monitor subscales, monthly means: shown once the period has any.
    const bamCount = months.reduce((a, m) => a + m.bam.scores, 0);
    const bam: Series[] = [
      { label: this.t('outcomes.series.bamUse'), values: months.map((m) => m.bam.use), style: 'a' },
      { label: this.t('outcomes.series.bamRisk'), values: months.map((m) => m.bam.risk), style: 'b' },
      { label: this.t('outcomes.series.bamProtective'), values: months.map((m) => m.bam.protective), style: 'c' },
    ];

    return html`<div class="charts">
      ${renderChart({
        ...common,
        id: 'rates',
        title: this.t('outcomes.charts.rates'),
        kind: 'line',
        series: rateSeries,
        max: 1,
        format: pct,
        summary: summaries(rateSeries, pct),
      })}
      ${renderChart({
        ...common,
        id: 'relapse',
        title: this.t('outcomes.charts.relapse'),
        kind: 'bar',
        series: relapse,
        max: niceMax(countMax(relapse)),
        format: num,
        summary: summaries(relapse, num),
      })}
      ${renderChart({
        ...common,
        id: 'attendance',
        title: this.t('outcomes.charts.attendance'),
        kind: 'bar',
        series: attendance,
        max: niceMax(countMax(attendance)),
        format: num,
        summary: this.t('outcomes.summary.sessions', { count: totalSessions, total: formatNumber(totalSessions, locale) }),
      })}
      <div>
        ${renderChart({
          ...common,
          id: 'feedback',
          title: this.t('outcomes.charts.feedback'),
          kind: 'line',
          series: feedback,
          max: 5,
          format: num,
          summary: `${this.t('outcomes.summary.responses', { count: responses })} ${summaries(feedback, num)}`,
        })}
        ${barriers.length
          ? html`<h4 part="heading">${this.t('outcomes.barriersTitle')}</h4>
              <ul class="barriers">
                ${barriers.map((x) => html`<li>${this.t(`templates.feedback.barriers.options.${x.b}`)}: ${formatNumber(x.n, locale)}</li>`)}
              </ul>`
          : nothing}
      </div>
      ${bamCount > 0
        ? html`<div class="bam" part="bam">
            ${renderChart({
              ...common,
              id: 'bam',
              title: this.t('outcomes.charts.bam'),
              kind: 'line',
              series: bam,
              max: 24,
              format: num,
              summary: `${this.t('outcomes.summary.bamScores', { total: formatNumber(bamCount, locale) })} ${summaries(bam, num)}`,
            })}
            <p class="hint">${this.t('outcomes.bamMeaning')}</p>
          </div>`
        : nothing}
    </div>`;
  }

  private renderBody() {
    if (!this.config.token) return html`<p class="notice" part="notice">${this.t('common.notConfigured')}</p>`;
    if (this.failure && (!this.report || this.failure.kind === 'forbidden' || this.failure.kind === 'signed-out')) {
      return renderFailure(this.failure, { t: this.t, messages: loadFailureMessages('outcomes'), retry: () => void this.load() });
    }
    const report = this.report;
    if (!report) {
      return html`<div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
        <p class="meta">${this.t('outcomes.loading')}</p>`;
    }
    const empty = report.months.every(
      (m) => m.engagement.eligible === 0 && m.retention.d30.cohort === 0 && m.attendance.sessions === 0 && m.feedback.responses === 0 && m.relapse.occurrences === 0,
    );
    if (empty) return html`<p class="notice" part="notice">${this.t('outcomes.empty')}</p>`;
    const sum = (pick: (m: OutcomesReport['months'][number]) => number) => report.months.reduce((a, m) => a + pick(m), 0);
    const unverified = sum((m) => m.instruments.phq9.unverifiedTranslation + m.instruments.gad7.unverifiedTranslation);
    const scores = sum((m) => m.instruments.phq9.scores + m.instruments.gad7.scores);
    const unverifiedBam = sum((m) => m.bam.unverifiedTranslation);
    return html`${this.renderCharts(report)}
    ${unverified > 0
      ? html`<p class="notice warning unverified-translation" part="notice unverified-translation">${this.t('outcomes.unverifiedScores', { n: unverified, total: scores })}</p>`
      : nothing}
    ${unverifiedBam > 0
      ? html`<p class="notice warning unverified-translation" part="notice unverified-translation">${this.t('outcomes.unverifiedBamScores', { n: unverifiedBam, total: sum((m) => m.bam.scores) })}</p>`
      : nothing}`;
  }

  protected override render() {
    const report = this.report;
    return html`<section class=${this.themeClass} part="base" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="title" aria-busy=${this.loading ? 'true' : 'false'}>
      <header>
        <h2 id="title" part="title">${this.t('outcomes.title')}</h2>
        ${report && !this.failure
          ? html`<a part="download" href=${this.csvUrl} download @click=${this.download}>${this.t('outcomes.download')}</a>`
          : nothing}
      </header>
      ${report
        ? html`<p class="meta">
            ${this.t('outcomes.period', {
              from: formatMonth(report.months[0]!.month, this.config.locale),
              to: formatMonth(report.months.at(-1)!.month, this.config.locale),
              timeZone: report.timeZone,
            })}
          </p>`
        : nothing}
      ${this.renderBody()}
      <p class="hint">${this.t('outcomes.definitions')}</p>
      <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
    </section>`;
  }
}

function addMonths(month: string, months: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
