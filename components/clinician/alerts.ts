import { Task, TaskStatus } from '@lit/task';
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Alert } from '../../server/contract/alerts.js';
import type { CheckInRecord } from '../../server/contract/check-in.js';
import { failureOf, loadFailureMessages, renderFailure, type Failure } from '../core/failure.js';
import type {} from './events.js';
import { CareElement } from '../core/care-element.js';
import { LIVE_SAFETY_NET_MS, LiveController } from '../core/live-client.js';
import { tokens, widgetBox } from '../core/theme.js';
import { checkInNoteStyles, renderCheckInNote } from './check-in-note.js';
import { clinicianStyles } from './clinician.styles.js';
import { formatDateTime } from './format.js';
import { PollController } from './poll.js';
import { RecordViewController, recordViewStyles } from './record/record-view.js';
import { renderTranslationMark, translationMarkStyles } from './translation-mark.js';
import alerts from '../../locales/en/alerts.json';
import templates from '../../locales/en/templates.json';
import { addEnglish } from '../core/i18n.js';
import { listFormat } from '../core/intl.js';

addEnglish({ alerts, templates });

type CheckInsState = { status: 'loading' } | { status: 'error'; failure: Failure } | { status: 'done'; items: CheckInRecord[] };

const RECENT_CHECK_INS = 5;
/** A check-in that reached the server this much later than it was made (an offline device) also says when it arrived. */
const LATE_ARRIVAL_MS = 15 * 60_000;
/** How long the first fetch waits for the live stream, so that one fetch covers the page load. */
const FIRST_LOAD_WAITS_FOR_LIVE_MS = 3_000;
const SKELETON_ROWS = 3;

/**
 * The clinic's risk and crisis alerts, most urgent and newest first, kept up to date live (the
 * server's `alerts.onChange` stream) or, when that is unavailable, by polling (paused while the tab
 * is hidden, backing off when the server cannot be reached). Each alert can
 * be acknowledged with a note and shows the person's recent check-ins (an audited read). A check-in
 * alert shows the check-in that raised it with the person's note, and the time the check-in was made
 * (and when it arrived, when an offline device sent it late).
 *
 * The inbox keeps one height (`--care-alerts-block-size`) while loading and after, scrolling inside
 * when there are more alerts, so the page below it does not move when they arrive.
 *
 * @summary Risk and crisis alerts inbox for the care team.
 * @tag care-alerts
 *
 * @event {CustomEvent<CareAlertAcknowledgedDetail>} care-alert-acknowledged - An alert was acknowledged. `detail: { alert }`.
 * @event {CustomEvent<CareAlertsNewDetail>} care-alerts-new - Polling found alerts that were not there before. `detail: { alerts }`.
 * @event {CustomEvent<CareErrorDetail>} care-error - Alerts could not be loaded or acknowledged. `detail: { kind, message }`.
 * @event {CustomEvent<CareOpenClientDetail>} care-open-client - "Open record" was pressed. `detail: { clientId }`. Cancelable: call `preventDefault()` to show the person elsewhere; otherwise the widget shows their `<care-client-record>` until Back or Escape.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading.
 * @csspart list - The list of alerts.
 * @csspart alert - One alert.
 * @csspart ack-form - The acknowledge form of an alert.
 * @csspart check-ins - An alert's recent check-ins.
 * @csspart check-in - The check-in that raised an alert.
 * @csspart check-in-note - The note a person wrote to their care team on a check-in.
 * @csspart unverified-translation - The mark on a PHQ-9/GAD-7 score answered in an unverified translation (not a validated score).
 * @csspart body - The inbox region below the heading: fixed height, scrolls when alerts do not fit.
 * @csspart skeleton-row - A placeholder alert while the alerts load.
 * @csspart danger-flag - A danger-flag alert's group, alias, note and post.
 * @csspart repeats - How often the person asked for help again while their crisis alert was open.
 * @csspart notice - Loading problems and empty state.
 * @csspart status - The live regions that announce new alerts and results.
 * @csspart button - Buttons without a more specific part (retry, cancel, secondary actions).
 * @csspart heading - Section headings inside the widget.
 * @csspart input - Text boxes, selects and text areas without a more specific part.
 * @csspart label - Labels of text boxes, selects and text areas.
 *
 * @cssproperty --care-color-primary - Buttons, links and focus ring.
 * @cssproperty --care-color-danger - Urgent alerts.
 * @cssproperty --care-color-danger-surface - Background of the urgent badge.
 * @cssproperty --care-color-warning-surface - Background of the elevated badge and warnings.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Background of alerts.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Times and hints.
 * @cssproperty --care-color-border - Borders.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-space - Base spacing.
 * @cssproperty --care-alerts-block-size - Height of the inbox region (default 28rem); `auto` lets it grow with its alerts (the page below then moves when they load).
 */
export class CareAlerts extends CareElement {
  static override styles = [
    tokens,
    widgetBox,
    clinicianStyles,
    checkInNoteStyles,
    recordViewStyles,
    translationMarkStyles,
    css`
      .body {
        block-size: var(--care-alerts-block-size, 28rem);
        overflow-y: auto;
        overscroll-behavior: contain;
      }
      .header-meta {
        flex-basis: 100%;
        margin: 0;
      }
      .skeleton-row {
        display: block;
        block-size: 6.5rem;
        border-radius: var(--_radius);
        background: var(--_surface-raised);
        border: 1px solid var(--_border);
      }
      @media (prefers-reduced-motion: no-preference) {
        .skeleton-row {
          animation: pulse 1.5s ease-in-out infinite;
        }
      }
      @media (forced-colors: active) {
        .skeleton-row {
          border-color: GrayText;
        }
      }
      .list {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.75rem;
      }
      .alert {
        padding: 0.75rem var(--_space);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface-raised);
        border-inline-start: 6px solid var(--_border);
        /* A name, note or post may be one long unbroken run (an email address, a link): it wraps instead of
           widening the inbox past a phone's screen; unlike break-word, anywhere also narrows the width a grid or flex parent gives the widget. */
        overflow-wrap: anywhere;
      }
      .alert.urgent {
        border-inline-start-color: var(--_danger);
      }
      .alert.acknowledged {
        opacity: 0.85;
      }
      .reasons {
        margin-block: 0.25rem;
      }
      form.ack {
        display: grid;
        gap: 0.5rem;
        margin-block-start: 0.75rem;
      }
      .check-ins {
        margin-block-start: 0.75rem;
      }
      .check-ins ul {
        padding-inline-start: 1.25rem;
        margin: 0;
      }
    `,
  ];

  /** `open` (default) shows alerts waiting for someone; `all` includes acknowledged ones. */
  @property() status: 'open' | 'all' = 'open';
  /** Seconds between polls while the tab is visible and live updates are unavailable (with live updates, a poll every 5 minutes is the safety net). */
  @property({ type: Number, attribute: 'poll-interval' }) pollInterval = 30;

  @state() private alerts: Alert[] | null = null;
  @state() private failure: Failure | null = null;
  @state() private updatedAt: Date | null = null;
  @state() private acking: string | null = null;
  @state() private ackBusy = false;
  @state() private ackFailure: Failure | null = null;
  @state() private checkIns = new Map<string, CheckInsState>();
  @state() private polite = '';
  @state() private assertive = '';

  private known: Set<string> | null = null;
  /** The token the last load used: a token that arrives right after connecting still loads at once. */
  private triedToken: string | null | undefined = undefined;

  private firstLoadWaiting = false;

  private readonly recordView: RecordViewController = new RecordViewController(this);

  // Before the poller: connecting, the stream is set up first so the first poll can wait for it.
  private readonly live = new LiveController(this, {
    endpoint: () => this.config.endpoint,
    token: () => this.config.token,
    key: () => (this.config.token ? `${this.config.endpoint}|${this.config.token}` : null),
    subscribe: (client, handlers) => client.alerts.onChange.subscribe(undefined, handlers),
    refresh: () => this.load(),
    onLiveChange: (live) => {
      if (!live) void this.poller.now();
    },
    refreshOnReady: () => !this.firstLoadWaiting,
  });

  private readonly poller = new PollController(this, () => this.load(), () => ({
    // While live updates work, polling is only a safety net.
    intervalMs: this.live.live ? Math.max(LIVE_SAFETY_NET_MS, this.pollInterval * 1000) : Math.max(5, this.pollInterval) * 1000,
    maxMs: 5 * 60_000,
  }));

  /** Fetches the alerts now instead of waiting for the next poll. */
  refresh(): Promise<void> {
    return this.poller.now();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('token') || changed.has('endpoint') || changed.has('status') || (changed as Map<PropertyKey, unknown>).has('provided')) && (this.hasUpdated || this.config.token !== this.triedToken)) {
      this.known = null;
      void this.poller.now();
    }
  }

  private async load(): Promise<boolean> {
    this.triedToken = this.config.token;
    if (!this.config.token) return false;
    if (this.alerts === null && this.live.connecting && !this.firstLoadWaiting) {
      // The stream's `ready` would refetch what this fetch brings: fetch once, after it (or without it when it is slow or fails).
      this.firstLoadWaiting = true;
      try {
        await this.live.whenReady(FIRST_LOAD_WAITS_FOR_LIVE_MS);
      } finally {
        this.firstLoadWaiting = false;
      }
    }
    // Polls and live refetches may overlap: a newer fetch cancels the older one.
    await this.listTask.run();
    return this.listTask.status !== TaskStatus.ERROR;
  }

  /** The alerts with the chosen status; run by the poller and by live refetches. */
  private readonly listTask = new Task(this, {
    autoRun: false,
    args: () => [this.status] as const,
    task: ([status], { signal }) => this.api.alerts.list.query({ status, limit: 100 }, { signal }),
    onComplete: (page) => {
      const fresh = this.known ? page.items.filter((a) => !this.known!.has(a.id) && !a.acknowledgedAt) : [];
      this.known = new Set(page.items.map((a) => a.id));
      this.alerts = page.items;
      this.failure = null;
      this.updatedAt = new Date();
      if (fresh.length > 0) this.announceNew(fresh);
    },
    onError: (error) => {
      this.failure = failureOf(error);
      if (this.alerts === null || this.failure.kind === 'forbidden' || this.failure.kind === 'signed-out') {
        this.emit('care-error', { kind: this.failure.kind, message: this.failure.message });
      }
    },
  });

  private announceNew(fresh: Alert[]): void {
    const urgent = fresh.filter((a) => a.level === 'urgent');
    if (urgent.length > 0) {
      this.say('assertive', this.t('alerts.newUrgent', { count: urgent.length, name: this.nameOf(urgent[0]!) }));
    } else {
      this.say('polite', this.t('alerts.newAlerts', { count: fresh.length }));
    }
    this.emit('care-alerts-new', { alerts: fresh });
  }

  private say(kind: 'polite' | 'assertive', message: string): void {
    // Clearing first makes a repeated message be read again.
    this[kind] = '';
    requestAnimationFrame(() => {
      this[kind] = message;
    });
  }

  private nameOf(alert: Alert): string {
    return alert.clientName ?? this.t('alerts.unnamed', { id: alert.clientId });
  }

  private async openAck(alert: Alert): Promise<void> {
    this.acking = alert.id;
    this.ackFailure = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>(`#note-${CSS.escape(alert.id)}`)?.focus();
  }

  private async closeAck(alert: Alert): Promise<void> {
    this.acking = null;
    this.ackFailure = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`#ack-button-${CSS.escape(alert.id)}`)?.focus();
  }

  private async acknowledge(event: SubmitEvent, alert: Alert): Promise<void> {
    event.preventDefault();
    if (this.ackBusy) return;
    const form = event.target as HTMLFormElement;
    const note = (form.elements.namedItem('note') as HTMLTextAreaElement).value.trim();
    this.ackBusy = true;
    this.ackFailure = null;
    try {
      const updated = await this.api.alerts.acknowledge.mutate({ alertId: alert.id, ...(note ? { note } : {}) });
      const index = this.alerts?.findIndex((a) => a.id === alert.id) ?? -1;
      const list = [...(this.alerts ?? [])];
      if (this.status === 'open') list.splice(index, 1);
      else list[index] = updated;
      this.alerts = list;
      this.acking = null;
      this.say('polite', this.t('alerts.acknowledged', { name: this.nameOf(alert) }));
      this.emit('care-alert-acknowledged', { alert: updated });
      await this.updateComplete;
      // Focus goes to the next alert, or the heading when the list is done.
      const next = list[Math.min(Math.max(index, 0), list.length - 1)];
      const target = next
        ? this.renderRoot.querySelector<HTMLElement>(`#alert-${CSS.escape(next.id)}`)
        : this.renderRoot.querySelector<HTMLElement>('#title');
      target?.focus();
    } catch (error) {
      this.ackFailure = failureOf(error);
      this.say('assertive', this.t('alerts.ackFailed'));
      this.emit('care-error', { kind: this.ackFailure.kind, message: this.ackFailure.message });
    } finally {
      this.ackBusy = false;
    }
  }

  private async toggleCheckIns(alert: Alert): Promise<void> {
    const next = new Map(this.checkIns);
    if (next.has(alert.id)) {
      next.delete(alert.id);
      this.checkIns = next;
      return;
    }
    next.set(alert.id, { status: 'loading' });
    this.checkIns = next;
    let result: CheckInsState;
    try {
      const page = await this.api.checkIn.list.query({ clientId: alert.clientId, limit: RECENT_CHECK_INS });
      result = { status: 'done', items: page.items };
    } catch (error) {
      result = { status: 'error', failure: failureOf(error) };
    }
    if (this.checkIns.has(alert.id)) this.checkIns = new Map(this.checkIns).set(alert.id, result);
  }

  /** `withRisk: false` under an alert, whose reasons and level already say it. */
  private checkInSummary(c: CheckInRecord, { withRisk = true } = {}): string {
    const parts: string[] = [this.t(`templates.${c.templateId}.title`)];
    if (c.templateId === 'daily') {
      const a = c.answers;
      parts.push(this.t('alerts.daily', { mood: a.mood, craving: a.craving }));
      if (a.used === 'yes' && withRisk) parts.push(this.t('alerts.reasons.reported_use'));
    }
    if (c.score && c.score.instrument !== 'bam') {
      parts.push(this.t('alerts.score', { total: c.score.total, max: c.score.max, severity: this.t(`severity.${c.score.severity}`) }));
    }
    if (c.risk.level !== 'none' && withRisk) parts.push(this.t(`alerts.level.${c.risk.level}`));
    return parts.join(' · ');
  }

  private renderCheckIns(alert: Alert) {
    const s = this.checkIns.get(alert.id);
    if (!s) return nothing;
    return html`<div class="check-ins" part="check-ins" id="check-ins-${alert.id}" aria-live="polite">
      <h4 class="visually-hidden">${this.t('alerts.recentFor', { name: this.nameOf(alert) })}</h4>
      ${s.status === 'loading'
        ? html`<p class="meta">${this.t('alerts.checkInsLoading')}</p>`
        : s.status === 'error'
          ? html`<p class="meta">${this.t('alerts.checkInsFailed')}</p>`
          : s.items.length === 0
            ? html`<p class="meta">${this.t('alerts.noCheckIns')}</p>`
            : html`<ul>
                ${s.items.map(
                  (c) => html`<li>
                    <time datetime=${c.submittedAt}>${formatDateTime(c.submittedAt, this.config.locale)}</time>: ${this.checkInSummary(c)}
                    ${renderTranslationMark(c, this.t, this.localize.language)} ${renderCheckInNote(c, this.t)}
                  </li>`,
                )}
              </ul>`}
    </div>`;
  }

  private renderAckForm(alert: Alert) {
    const noteId = `note-${alert.id}`;
    return html`<form class="ack" part="ack-form" id="ack-${alert.id}" @submit=${(e: SubmitEvent) => this.acknowledge(e, alert)}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') void this.closeAck(alert);
      }}>
      <label part="label" for=${noteId}>${this.t('alerts.noteLabel')}</label>
      <p class="hint" id="${noteId}-hint">${this.t('alerts.noteHint')}</p>
      <textarea part="input" id=${noteId} name="note" rows="3" maxlength="2000" aria-describedby="${noteId}-hint"></textarea>
      ${this.ackFailure ? html`<p class="notice warning">${this.t('alerts.ackFailed')}</p>` : nothing}
      <div class="actions">
        <button part="button" class="primary" type="submit" ?disabled=${this.ackBusy}>
          ${this.ackBusy ? this.t('alerts.acknowledging') : this.t('alerts.confirmAck')}
        </button>
        <button part="button" type="button" @click=${() => this.closeAck(alert)}>${this.t('alerts.cancel')}</button>
      </div>
    </form>`;
  }

  /**
   * Why (the reasons, or the source when there are none: a crisis press), when it happened and,
   * for a check-in, the check-in itself with the person's note. Each fact is said once.
   */
  private renderWhatAndWhen(alert: Alert) {
    const reasons = listFormat(this.localize.language).format(alert.reasons.map((r) => this.t(`alerts.reasons.${r}`)));
    const late = Date.parse(alert.receivedAt) - Date.parse(alert.occurredAt) > LATE_ARRIVAL_MS;
    const checkIn = alert.checkIn;
    return html`<p class="reasons">${reasons || this.t(`alerts.source.${alert.source}`)}</p>
      <p class="meta">
        <time datetime=${alert.occurredAt}>${formatDateTime(alert.occurredAt, this.config.locale)}</time>${reasons ? html` · ${this.t(`alerts.source.${alert.source}`)}` : nothing}${late
          ? html` · <span class="received">${this.t('alerts.received', { time: formatDateTime(alert.receivedAt, this.config.locale) })}</span>`
          : nothing}
      </p>
      ${alert.dangerFlag
        ? html`<div class="raised-by danger-flag" part="danger-flag">
            <p class="meta">${this.t('alerts.dangerFlag.where', { group: alert.dangerFlag.groupName ?? '', name: alert.dangerFlag.label, via: this.t(`alerts.dangerFlag.via.${alert.dangerFlag.via}`) })}</p>
            ${alert.dangerFlag.note ? html`<p dir="auto">${this.t('alerts.dangerFlag.note', { note: alert.dangerFlag.note })}</p>` : nothing}
            ${alert.dangerFlag.postExcerpt ? html`<blockquote dir="auto">${this.t('alerts.dangerFlag.post', { post: alert.dangerFlag.postExcerpt })}</blockquote>` : nothing}
          </div>`
        : nothing}
      ${checkIn
        ? html`<div class="raised-by" part="check-in">
            <p class="meta">${this.checkInSummary(checkIn, { withRisk: false })}</p>
            ${renderTranslationMark(checkIn, this.t, this.localize.language)} ${renderCheckInNote(checkIn, this.t)}
          </div>`
        : nothing}`;
  }

  private renderAlert(alert: Alert) {
    const name = this.nameOf(alert);
    const open = !alert.acknowledgedAt;
    const expanded = this.checkIns.has(alert.id);
    return html`<li class="alert ${alert.level} ${open ? '' : 'acknowledged'}" part="alert">
      <article aria-labelledby="alert-${alert.id}">
        <h3 part="heading" id="alert-${alert.id}" tabindex="-1">
          <span class="badge ${alert.level}">${this.t(`alerts.level.${alert.level}`)}</span> <bdi>${name}</bdi>
        </h3>
        ${this.renderWhatAndWhen(alert)}
        ${alert.repeats > 0 && alert.lastRequestedAt
          ? html`<p class="meta repeats" part="repeats">
              ${this.t('alerts.repeats', { count: alert.repeats, time: formatDateTime(alert.lastRequestedAt, this.config.locale) })}
            </p>`
          : nothing}
        ${open
          ? nothing
          : html`<p class="meta">
              ${this.t('alerts.acknowledgedBy', { who: alert.acknowledgedBy, when: formatDateTime(alert.acknowledgedAt!, this.config.locale) })}
              ${alert.acknowledgeNote ? html`<br />${this.t('alerts.note', { note: alert.acknowledgeNote })}` : nothing}
            </p>`}
        <div class="actions">
          <button part="button" type="button" aria-expanded=${expanded ? 'true' : 'false'} aria-controls="check-ins-${alert.id}" @click=${() => this.toggleCheckIns(alert)}>
            ${this.t('alerts.recentCheckIns')}<span class="visually-hidden">: ${name}</span>
          </button>
          <button part="button" type="button" class="open-record" data-open-client=${alert.id}
            @click=${() => void this.recordView.show({ clientId: alert.clientId, name: alert.clientName, opener: alert.id })}>
            ${this.t('record.openRecord')}<span class="visually-hidden">: ${name}</span>
          </button>
          ${open && this.acking !== alert.id
            ? html`<button part="button" type="button" id="ack-button-${alert.id}" @click=${() => this.openAck(alert)}>
                ${this.t('alerts.acknowledge')}<span class="visually-hidden">: ${name}</span>
              </button>`
            : nothing}
        </div>
        ${this.acking === alert.id ? this.renderAckForm(alert) : nothing} ${this.renderCheckIns(alert)}
      </article>
    </li>`;
  }

  private renderBody() {
    if (!this.config.token) return html`<p class="notice" part="notice">${this.t('common.notConfigured')}</p>`;
    if (this.failure && (this.alerts === null || this.failure.kind === 'forbidden' || this.failure.kind === 'signed-out')) {
      return renderFailure(this.failure, { t: this.t, messages: loadFailureMessages('alerts'), retry: () => void this.refresh() });
    }
    if (this.alerts === null) {
      return html`<p class="meta">${this.t('alerts.loading')}</p>
        <div class="skeleton" aria-hidden="true">${Array.from({ length: SKELETON_ROWS }, () => html`<div class="skeleton-row" part="skeleton-row"></div>`)}</div>`;
    }
    const stale = this.failure ? html`<p class="notice warning" part="notice">${this.t('alerts.stale')}</p>` : nothing;
    if (this.alerts.length === 0) {
      return html`${stale}<p class="notice" part="notice">${this.status === 'open' ? this.t('alerts.empty') : this.t('alerts.emptyAll')}</p>`;
    }
    return html`${stale}<ul class="list" part="list">${this.alerts.map((a) => this.renderAlert(a))}</ul>`;
  }

  protected override render() {
    const open = this.alerts?.filter((a) => !a.acknowledgedAt).length ?? 0;
    return html`<section class=${this.themeClass} part="base" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="title">
      <header>
        <h2 id="title" part="title" tabindex="-1">${this.t('alerts.title')}</h2>
        <div class="actions">
          <button part="button" type="button" @click=${() => void this.refresh()}>${this.t('alerts.refresh')}</button>
        </div>
        <!-- Its own line, present while loading too: the summary arriving moves nothing. -->
        <p class="meta header-meta" aria-hidden=${this.updatedAt ? nothing : 'true'}>
          ${this.updatedAt
            ? html`${this.t('alerts.summary', { count: open })} · ${this.t('alerts.updated', { time: formatDateTime(this.updatedAt.toISOString(), this.config.locale) })}`
            : '\u00a0'}
        </p>
      </header>
      <div class="body list-view" part="body" ?hidden=${this.recordView.open !== null}>${this.renderBody()}</div>
      ${this.recordView.render(this.t, this.t('record.backToAlerts'))}
      <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.polite}</div>
      <div class="visually-hidden" role="alert" aria-live="assertive" part="status">${this.assertive}</div>
    </section>`;
  }
}
