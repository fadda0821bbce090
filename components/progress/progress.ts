import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  GAD7_BANDS,
  PHQ9_BANDS,
  TREND_RANGES,
  type ProgressSummary,
  type ScorePoint,
  type SeverityBand,
  type TrendRange,
} from '../../server/contract/progress.js';
import { failureOf, failureText, isFailure, isTransient, localFailure, renderFailure, type Failure, type FailureMessages } from '../core/failure.js';
import type {} from './events.js';
import { CareElement } from '../core/care-element.js';
import { dateTimeFormat, deviceTimeZone, numberFormat } from '../core/intl.js';
import { laidOutRtl } from '../core/direction.js';
import { SvgTextScaleController } from '../core/svg-text-scale.js';
import { tokens, widgetBox } from '../core/theme.js';
import { identityOf, roleOf } from '../core/token.js';
import { loadSavedSummary, saveSummary } from './cache.js';
import { ChartKeyboardController, describeTrend, lineChart, nextWithData, type ChartPoint } from './chart.js';
import { RecoveryStartEditor } from './start-editor.js';
import { progressStyles } from './progress.styles.js';
import progress from '../../locales/en/progress.json';
import { addEnglish } from '../core/i18n.js';

addEnglish({ progress });

type Metric = 'mood' | 'craving' | 'sleepHours';
type Instrument = 'phq9' | 'gad7';

const METRICS: readonly Metric[] = ['mood', 'craving', 'sleepHours'];
const DAY_MS = 86_400_000;
const PROGRESS_FAILURES: FailureMessages = { 'not-found': 'progress.notFound', forbidden: 'progress.forbidden', default: 'progress.loadFailed' };


/** No token: the sign-in notice shows, and nothing was asked of the server. */
const NO_TOKEN = localFailure('signed-out', 'no token');

const dayOf = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/**
 * A person's recovery at a glance: days in this stretch and this year, sessions attended, modules
 * completed, check-in streaks, goals, and charts of mood, craving, sleep and PHQ-9/GAD-7 scores.
 * Everything comes from one `progress.summary` call; the last answer is kept on the device and
 * shown, marked as saved, while offline.
 *
 * @summary Recovery progress with accessible charts for a person in care (or their care team).
 * @tag care-progress
 *
 * @event {CustomEvent<CareLoadedDetail>} care-loaded - A summary is showing. `detail: { summary, stale }` (`stale` is true when it came from the device while offline).
 * @event {CustomEvent<CareErrorDetail>} care-error - The summary could not be loaded and nothing was saved on the device. `detail: { kind, message }`.
 * @event {CustomEvent<CareRecoveryStartChangedDetail>} care-recovery-start-changed - The person saved a new recovery start date. `detail: { startDate, previousStartDate }`.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading.
 * @csspart headline - The row of headline numbers.
 * @csspart bam - The latest Brief Addiction Monitor result (recovery check-up) in plain words: Use, Risk and Protective factors, which way is better, and the result before it.
 * @csspart stat - One headline number.
 * @csspart notice - Offline, error and empty messages.
 * @csspart range - The 7/30/90-day switch.
 * @csspart chart - One chart with its heading, text summary and data table.
 * @csspart chart-summary - The sentence that says what a chart shows.
 * @csspart goals - The list of goals.
 * @csspart goal-bar - A goal's progress bar.
 * @csspart start-form - The form that changes the recovery start date.
 * @csspart status - The live region that announces changes.
 * @csspart button - Buttons without a more specific part (retry, cancel, secondary actions).
 * @csspart choice - A radio button or checkbox.
 * @csspart heading - Section headings inside the widget.
 * @csspart input - Text boxes, selects and text areas without a more specific part.
 * @csspart label - Labels of text boxes, selects and text areas.
 * @csspart option - The box around one choice: a radio button or checkbox with its text.
 *
 * @cssproperty --care-color-primary - Lines, points, buttons and focus ring.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Cards and skeleton blocks.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Axis labels and secondary text.
 * @cssproperty --care-color-border - Grid lines and card borders.
 * @cssproperty --care-color-danger - Severity band shading and errors.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-space - Base spacing.
 * @cssproperty --care-progress-max-width - Widest the widget grows.
 */
export class CareProgress extends CareElement {
  static override styles = [tokens, widgetBox, progressStyles];

  /** For the care team: whose progress to show. A person in care leaves it empty to see their own. */
  @property({ attribute: 'client-id' }) clientId?: string;
  /** IANA time zone that days and streaks are counted in. Defaults to the device's. */
  @property({ attribute: 'time-zone' }) timeZone?: string;
  /** Days the mood, craving and sleep charts cover: 7, 30 (default) or 90. */
  @property({ type: Number, reflect: true }) range: TrendRange = 30;

  @state() private summary: ProgressSummary | null = null;
  @state() private failure: Failure | null = null;
  /** When the summary on screen came from the device: when it was saved. */
  @state() private savedAt: number | null = null;

  private readonly svgText = new SvgTextScaleController(this, 'svg.chart-svg');
  private readonly charts = new ChartKeyboardController(this);
  private readonly startEditor = new RecoveryStartEditor(this, {
    t: () => this.t,
    save: (date) => this.api.progress.setRecoveryStart.mutate({ date, timeZone: this.zone }),
    saved: async (result, date) => {
      this.emit('care-recovery-start-changed', result);
      await this.refresh();
      this.announce(this.t('progress.start.saved', { date: this.longDate(date) }));
    },
    failureText: (failure) => this.errorText(failure),
  });
  /** The person (endpoint, clinic, viewer, subject, zone) whose summary is on screen, and the token it was loaded with. */
  private shownPerson = '';
  private shownToken: string | null = null;

  /**
   * The summary from the server, or the device's saved copy when the server cannot be reached. A
   * new person, endpoint or zone loads again and cancels the older request; a refreshed token for
   * the same person reloads after it (see willUpdate).
   */
  private readonly loader = new Task(this, {
    args: () => [this.cacheKey, this.clientId, this.zone] as const,
    task: async ([key, clientId, timeZone], { signal }): Promise<{ key: string; summary: ProgressSummary; savedAt: number | null }> => {
      const { token } = this.config;
      if (!token || !identityOf(token)) throw NO_TOKEN;
      try {
        const summary = await this.api.progress.summary.query({ ...(clientId ? { clientId } : {}), timeZone }, { signal });
        return { key, summary, savedAt: null };
      } catch (error) {
        const failure = failureOf(error);
        const saved = isTransient(failure) ? await loadSavedSummary(key).catch(() => undefined) : undefined;
        if (!saved) throw failure;
        return { key, ...saved };
      }
    },
    onComplete: ({ key, summary, savedAt }) => {
      this.summary = summary;
      this.savedAt = savedAt;
      this.failure = null;
      if (savedAt === null) {
        this.announce(this.t('progress.updated'));
        void saveSummary(key, summary).catch(() => undefined);
      } else {
        this.announce(this.t('progress.offlineSaved', { date: this.formatSavedAt(savedAt) }));
      }
      this.emit('care-loaded', { summary, stale: savedAt !== null });
    },
    onError: (error) => {
      const failure = isFailure(error) ? error : failureOf(error);
      this.summary = null;
      this.savedAt = null;
      this.failure = failure;
      if (error === NO_TOKEN) return;
      this.announce(this.errorText(failure));
      this.emit('care-error', { kind: failure.kind, message: failure.message });
    },
  });

  private readonly onOnline = () => {
    if (this.savedAt !== null || this.failure !== null) void this.refresh();
  };
  private readonly onCheckInSent = () => {
    void this.refresh();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
    document.addEventListener('care-submitted', this.onCheckInSent);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('care-submitted', this.onCheckInSent);
  }

  /** Loads the summary again (the retry button does this). */
  async refresh(): Promise<void> {
    await this.loader.run();
  }

  private get zone(): string {
    return this.timeZone || deviceTimeZone();
  }

  private get cacheKey(): string {
    const who = identityOf(this.config.token);
    return `${this.config.endpoint}|${who?.clinic ?? ''}|${who?.sub ?? ''}|${this.clientId ?? who?.sub ?? ''}|${this.zone}`;
  }

  /** The person in care looking at their own progress (not the care team). */
  private get isOwnProgress(): boolean {
    const who = identityOf(this.config.token);
    return roleOf(this.config.token) === 'client' && (!this.clientId || this.clientId === who?.sub);
  }

  /** Whether the widget lays out right to left: its language is written right to left, or the page around it is. */
  get rtl(): boolean {
    return this.localize.dir === 'rtl' || (this.isConnected && laidOutRtl(this));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Someone else's summary must not show while this person's loads.
    const person = this.cacheKey;
    const token = this.config.token;
    if (person !== this.shownPerson) {
      this.shownPerson = person;
      this.summary = null;
      this.savedAt = null;
      this.charts.reset();
    } else if (token !== this.shownToken && this.hasUpdated) {
      void this.reloadForToken();
    }
    this.shownToken = token;
  }

  /**
   * A fresh token for the same person loads again, once the request in flight has ended: that
   * request is not cancelled, since it retries with the fresh token itself.
   */
  private async reloadForToken(): Promise<void> {
    await this.loader.taskComplete.catch(() => undefined);
    await this.loader.run();
  }


  // Formatting ---------------------------------------------------------------------------------

  private number(n: number, digits = 1): string {
    return numberFormat(this.config.locale, { maximumFractionDigits: digits }).format(n);
  }

  private shortDate(date: string): string {
    return dateTimeFormat(this.config.locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`));
  }

  private longDate(date: string): string {
    return dateTimeFormat(this.config.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`));
  }

  private formatSavedAt(ms: number): string {
    return dateTimeFormat(this.config.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  }

  private errorText(failure: Failure): string {
    return failureText(failure, this.t, PROGRESS_FAILURES);
  }

  // Interaction --------------------------------------------------------------------------------

  private onRange(event: Event): void {
    const value = Number((event.target as HTMLInputElement).value) as TrendRange;
    if (!TREND_RANGES.includes(value)) return;
    this.range = value;
    this.charts.reset();
    this.announce(this.t('progress.showingRange', { count: value }));
  }

  // Rendering ----------------------------------------------------------------------------------

  private renderSkeleton() {
    return html`<div class="skeleton" aria-hidden="true">
      <div class="headline">${[0, 1, 2, 3].map(() => html`<div class="stat bone"></div>`)}</div>
      <div class="bone chart-bone"></div>
      <div class="bone chart-bone"></div>
    </div>`;
  }

  private renderError(failure: Failure) {
    return renderFailure(failure, { t: this.t, messages: PROGRESS_FAILURES, retry: () => void this.refresh(), noRetryFor: ['signed-out'], primary: true });
  }

  private stat(value: string, label: string, detail?: string) {
    return html`<div class="stat" part="stat">
      <span class="stat-value">${value}</span>
      <span class="stat-label">${label}</span>
      ${detail ? html`<span class="stat-detail">${detail}</span>` : nothing}
    </div>`;
  }

  private renderRecovery(s: ProgressSummary) {
    const r = s.recovery;
    let headline: TemplateResult;
    if (r.daysInStretch === null) {
      headline = html`<p class="stretch">${this.isOwnProgress ? this.t('progress.recovery.noStart') : this.t('progress.recovery.noStartStaff')}</p>`;
    } else if (r.daysInStretch === 0) {
      headline = html`<p class="stretch"><strong>${this.t('progress.recovery.startsTomorrow')}</strong></p>`;
    } else {
      headline = html`<p class="stretch">
        <strong>${this.t('progress.recovery.dayOfStretch', { day: this.number(r.daysInStretch, 0) })}</strong>${r.daysThisYear !== null
          ? html`, ${this.t('progress.recovery.daysThisYear', { count: r.daysThisYear, n: this.number(r.daysThisYear, 0) })}`
          : nothing}
      </p>`;
    }
    return html`<div class="recovery">
      ${headline}
      ${r.stretchStartedBy === 'reported_use' ? html`<p class="hint">${this.t('progress.recovery.newStretch')}</p>` : nothing}
      ${r.startDate ? html`<p class="hint">${this.t('progress.recovery.startDate', { date: this.longDate(r.startDate) })}</p>` : nothing}
      ${this.isOwnProgress ? this.startEditor.render(s, this.savedAt !== null) : nothing}
    </div>`;
  }

  private renderHeadline(s: ProgressSummary) {
    const c = s.checkIns;
    return html`<div class="headline" part="headline">
      ${this.stat(this.number(c.currentStreak, 0), this.t('progress.stats.streak', { count: c.currentStreak }), this.t('progress.stats.longest', { count: c.longestStreak, n: this.number(c.longestStreak, 0) }))}
      ${this.stat(
        this.number(s.sessionsAttended.total, 0),
        this.t('progress.stats.sessions', { count: s.sessionsAttended.total }),
        this.t('progress.stats.sessionsDetail', { group: this.number(s.sessionsAttended.group, 0), telehealth: this.number(s.sessionsAttended.telehealth, 0) }),
      )}
      ${this.stat(
        this.number(s.modules.completed, 0),
        this.t('progress.stats.modules', { count: s.modules.completed }),
        s.modules.recent[0] ? this.t('progress.stats.latestModule', { title: s.modules.recent[0].title }) : undefined,
      )}
      ${this.stat(this.number(c.total, 0), this.t('progress.stats.checkIns', { count: c.total }), c.checkedInToday ? this.t('progress.stats.checkedInToday') : undefined)}
    </div>`;
  }

  private renderRangeSwitch() {
    return html`<fieldset class="range" part="range">
      <legend>${this.t('progress.range.legend')}</legend>
      <div class="range-options" @change=${this.onRange}>
        ${TREND_RANGES.map(
          (r) => html`<label part="option" class="range-option">
            <input part="choice" type="radio" name="range" value=${r} .checked=${this.range === r} />
            <span>${this.t('progress.range.days', { count: r, n: this.number(r, 0) })}</span>
          </label>`,
        )}
      </div>
    </fieldset>`;
  }

  private metricName(metric: Metric): string {
    return this.t(`progress.metric.${metric}`);
  }

  private trendSentence(metric: Metric, values: (number | null)[]): string {
    const d = describeTrend(values, metric === 'sleepHours' ? 0.5 : 0.5);
    const period = this.t('progress.range.period', { count: this.range, n: this.number(this.range, 0) });
    const base = {
      metric: this.t(`progress.metricSubject.${metric}`),
      unit: metric === 'sleepHours' ? this.t('progress.unit.hours') : '',
      period,
      from: this.number(d.from),
      to: this.number(d.to),
      average: this.number(d.average),
    };
    if (d.direction === 'none') return this.t('progress.trend.none', base);
    const sentence = this.t(`progress.trend.${d.direction}`, base);
    return `${sentence} ${this.t('progress.trend.basedOn', { count: d.count, n: this.number(d.count, 0) })}`;
  }

  private renderMetricChart(s: ProgressSummary, metric: Metric) {
    const days = s.trend.slice(-this.range);
    const name = this.metricName(metric);
    const values = days.map((d) => d[metric]);
    const points: ChartPoint[] = days.map((d, i) => ({
      t: days.length > 1 ? i / (days.length - 1) : 0.5,
      value: d[metric],
      dateLabel: this.shortDate(d.date),
      label: d[metric] === null ? '' : this.t('progress.point', { metric: name, date: this.shortDate(d.date), value: this.number(d[metric]) }),
    }));
    const id = metric;
    const max = metric === 'sleepHours' ? Math.max(12, Math.ceil(Math.max(0, ...values.filter((v): v is number => v !== null)))) : 10;
    const ticks = metric === 'sleepHours' ? [0, max / 2, max] : [0, 5, 10];
    const last = nextWithData(points, points.length, -1);
    const active = this.charts.activeOf(id, last < points.length ? last : -1);
    return this.renderChart({
      id,
      title: name,
      scale: metric === 'sleepHours' ? this.t('progress.scale.hours') : this.t('progress.scale.zeroToTen'),
      summary: this.trendSentence(metric, values),
      points,
      min: 0,
      max,
      ticks,
      active,
      axisStart: days[0] ? this.shortDate(days[0].date) : '',
      axisEnd: this.t('progress.today'),
      columns: [this.t('progress.table.date'), metric === 'sleepHours' ? this.t('progress.table.hours') : this.t('progress.table.value', { metric: name })],
      rows: days.filter((d) => d[metric] !== null).map((d) => [this.longDate(d.date), this.number(d[metric]!)]),
      caption: this.t('progress.table.caption', { metric: name, period: this.t('progress.range.period', { count: this.range, n: this.number(this.range, 0) }) }),
    });
  }

  private scoreSentence(instrument: Instrument, scores: ScorePoint[]): string {
    const name = this.t(`progress.instrument.${instrument}`);
    const latest = scores.at(-1);
    if (!latest) return this.t('progress.scores.none', { instrument: name });
    const at = (p: ScorePoint) => ({ score: this.number(p.total, 0), severity: this.t(`severity.${p.severity}`), date: this.longDate(p.date) });
    const first = scores[0]!;
    if (scores.length === 1) return this.t('progress.scores.single', { instrument: name, ...at(latest) });
    const key = latest.total < first.total ? 'down' : latest.total > first.total ? 'up' : 'same';
    return this.t(`progress.scores.${key}`, {
      instrument: name,
      ...at(latest),
      fromScore: this.number(first.total, 0),
      fromSeverity: this.t(`severity.${first.severity}`),
      fromDate: this.longDate(first.date),
    });
  }

  private renderScoreChart(s: ProgressSummary, instrument: Instrument) {
    const scores = s.scores[instrument];
    const name = this.t(`progress.instrument.${instrument}`);
    const bands: readonly SeverityBand[] = instrument === 'phq9' ? PHQ9_BANDS : GAD7_BANDS;
    const max = instrument === 'phq9' ? 27 : 21;
    const today = dayOf(s.today);
    const start = scores[0] ? Math.min(dayOf(scores[0].date), today - 1) : today - 1;
    const points: ChartPoint[] = scores.map((p) => ({
      t: (dayOf(p.date) - start) / (today - start),
      value: p.total,
      dateLabel: this.shortDate(p.date),
      label: this.t('progress.scorePoint', { instrument: name, date: this.shortDate(p.date), score: this.number(p.total, 0), severity: this.t(`severity.${p.severity}`) }),
    }));
    const id = instrument;
    return this.renderChart({
      id,
      title: name,
      scale: this.t('progress.scale.score', { max }),
      summary: this.scoreSentence(instrument, scores),
      points,
      min: 0,
      max,
      ticks: [0, ...bands.slice(1).map((b) => b.min), max],
      active: this.charts.activeOf(id, points.length - 1),
      axisStart: this.shortDate(new Date(start * DAY_MS).toISOString().slice(0, 10)),
      axisEnd: this.t('progress.today'),
      bands: bands.map((b) => ({ ...b, label: this.t(`severity.${b.severity}`) })),
      columns: [this.t('progress.table.date'), this.t('progress.table.score'), this.t('progress.table.severity')],
      rows: scores.map((p) => [this.longDate(p.date), this.number(p.total, 0), this.t(`severity.${p.severity}`)]),
      caption: this.t('progress.table.scoreCaption', { instrument: name }),
    });
  }

  private renderChart(c: {
    id: string;
    title: string;
    scale: string;
    summary: string;
    points: ChartPoint[];
    min: number;
    max: number;
    ticks: number[];
    active: number;
    axisStart: string;
    axisEnd: string;
    bands?: (SeverityBand & { label: string })[];
    columns: string[];
    rows: string[][];
    caption: string;
  }) {
    const active = c.points[c.active];
    const hasData = c.points.some((p) => p.value !== null);
    const keys = this.charts.handlers(c.id, c.points);
    return html`<figure class="chart" part="chart">
      <figcaption>
        <h3 part="heading" id="chart-${c.id}-title">${c.title} <span class="scale">${c.scale}</span></h3>
        <p class="chart-summary" part="chart-summary" id="chart-${c.id}-summary">${c.summary}</p>
      </figcaption>
      ${hasData
        ? html`<div class="plot" @keydown=${keys.keydown} @focusin=${keys.focusin}>
              ${lineChart({
                id: c.id,
                points: c.points,
                min: c.min,
                max: c.max,
                ticks: c.ticks,
                formatTick: (n) => this.number(n, 0),
                rtl: this.rtl,
                active: c.active,
                labelledBy: `chart-${c.id}-title`,
                describedBy: `chart-${c.id}-summary chart-${c.id}-keys`,
                ...(c.bands ? { bands: c.bands } : {}),
                axisStart: c.axisStart,
                axisEnd: c.axisEnd,
              })}
            </div>
            <p class="point-readout" aria-hidden="true">${active && active.value !== null ? active.label : ''}</p>
            <p class="visually-hidden" id="chart-${c.id}-keys">${this.t('progress.chartKeys')}</p>
            <table class="visually-hidden">
              <caption>${c.caption}</caption>
              <thead>
                <tr>${c.columns.map((col) => html`<th scope="col">${col}</th>`)}</tr>
              </thead>
              <tbody>
                ${c.rows.map((row) => html`<tr>${row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td>${cell}</td>`))}</tr>`)}
              </tbody>
            </table>`
        : nothing}
    </figure>`;
  }

  private renderGoals(s: ProgressSummary) {
    if (s.goals.length === 0) {
      return html`<section class="goals" aria-labelledby="goals-title">
        <h3 part="heading" id="goals-title">${this.t('progress.goals.title')}</h3>
        <p class="hint">${this.isOwnProgress ? this.t('progress.goals.none') : this.t('progress.goals.noneStaff')}</p>
      </section>`;
    }
    return html`<section class="goals" aria-labelledby="goals-title">
      <h3 part="heading" id="goals-title">${this.t('progress.goals.title')}</h3>
      <ul part="goals">
        ${s.goals.map(
          (g, i) => html`<li class="goal ${g.completed ? 'done' : ''}">
            <span class="goal-title" id="goal-${i}">${g.title}</span>
            <progress
              part="goal-bar"
              max=${g.target}
              .value=${g.current}
              aria-labelledby="goal-${i}"
              aria-describedby="goal-${i}-count"
            ></progress>
            <span class="goal-count" id="goal-${i}-count"
              >${g.completed
                ? this.t('progress.goals.done', { target: this.number(g.target, 0) })
                : this.t('progress.goals.count', { current: this.number(g.current, 0), target: this.number(g.target, 0) })}</span
            >
          </li>`,
        )}
      </ul>
    </section>`;
  }

  /**
   * The latest Brief Addiction Monitor result in plain words: what each subscale counts and which
   * way is better (lower Use and Risk, higher Protective), with the one before it when there is one.
   */
  private renderBam(s: ProgressSummary) {
    const points = s.bam ?? [];
    const latest = points.at(-1);
    if (!latest) return nothing;
    const previous = points.length > 1 ? points.at(-2)! : null;
    const item = (key: 'use' | 'risk' | 'protective') =>
      html`<li data-subscale=${key}>
        ${this.t(`progress.bam.${key}`, { value: this.number(latest[key], 0) })}
        ${previous ? html`<span class="previous">${this.t('progress.bam.previous', { date: this.longDate(previous.date), value: this.number(previous[key], 0) })}</span>` : nothing}
      </li>`;
    return html`<section class="bam" part="bam" aria-labelledby="bam-title">
      <h3 part="heading" id="bam-title" class="section-title">${this.t('progress.bam.title')}</h3>
      <p>${this.t(this.isOwnProgress ? 'progress.bam.latest' : 'progress.bam.latestStaff', { date: this.longDate(latest.date) })}</p>
      <ul class="bam-subscales">
        ${item('use')} ${item('risk')} ${item('protective')}
      </ul>
    </section>`;
  }

  private isEmpty(s: ProgressSummary): boolean {
    return s.checkIns.total === 0 && s.scores.phq9.length === 0 && s.scores.gad7.length === 0 && (s.bam ?? []).length === 0 && s.recovery.startDate === null;
  }

  private renderSummary(s: ProgressSummary) {
    const stale =
      this.savedAt !== null
        ? html`<div class="notice warning stale" part="notice">
            <p>${this.t('progress.offlineSaved', { date: this.formatSavedAt(this.savedAt) })}</p>
            <button part="button" type="button" @click=${() => void this.refresh()}>${this.t('common.retry')}</button>
          </div>`
        : nothing;
    if (this.isEmpty(s)) {
      return html`${stale}
        <div class="empty notice" part="notice">
          <p class="empty-title">${this.isOwnProgress ? this.t('progress.empty.title') : this.t('progress.empty.staff')}</p>
          ${this.isOwnProgress ? html`<p>${this.t('progress.empty.body')}</p>` : nothing}
        </div>
        ${this.renderRecovery(s)} ${this.renderGoals(s)}`;
    }
    const hasScores = s.scores.phq9.length > 0 || s.scores.gad7.length > 0;
    return html`${stale} ${this.renderRecovery(s)} ${this.renderHeadline(s)}
      <section class="trends" aria-labelledby="trends-title">
        <h3 part="heading" id="trends-title" class="section-title">${this.t('progress.trends')}</h3>
        ${this.renderRangeSwitch()}
        <div class="charts">${METRICS.map((m) => this.renderMetricChart(s, m))}</div>
      </section>
      ${hasScores
        ? html`<section class="scores" aria-labelledby="scores-title">
            <h3 part="heading" id="scores-title" class="section-title">${this.t('progress.scores.title')}</h3>
            <p class="hint">${this.t('progress.scores.hint')}</p>
            <div class="charts">
              ${s.scores.phq9.length > 0 ? this.renderScoreChart(s, 'phq9') : nothing}
              ${s.scores.gad7.length > 0 ? this.renderScoreChart(s, 'gad7') : nothing}
            </div>
          </section>`
        : nothing}
      ${this.renderBam(s)} ${this.renderGoals(s)}`;
  }

  protected override render() {
    const s = this.summary;
    const pending = this.loader.status === TaskStatus.INITIAL || this.loader.status === TaskStatus.PENDING;
    const busy = !s && pending;
    return html`
      <section
        class="${this.themeClass} ${this.rtl ? 'rtl' : ''}"
        part="base"
        lang=${this.localize.language}
        dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing}
        aria-labelledby="title"
        aria-busy=${busy ? 'true' : 'false'}
      >
        <h2 id="title" part="title">${this.isOwnProgress || !this.clientId ? this.t('progress.title') : this.t('progress.titleStaff')}</h2>
        ${s ? this.renderSummary(s) : this.failure && !pending ? this.renderError(this.failure) : this.renderSkeleton()}
        <div class="visually-hidden" role="status" aria-live="polite" part="status">${busy && !s ? this.t('progress.loading') : this.announcement}</div>
      </section>
    `;
  }
}
