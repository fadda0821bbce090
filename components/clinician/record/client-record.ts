import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { Alert } from '../../../server/contract/alerts.js';
import type { CheckInRecord } from '../../../server/contract/check-in.js';
import type { SafetyPlanVersionSummary } from '../../../server/contract/safety-plan.js';
import type { AttendedSession } from '../../../server/contract/sessions.js';
import { CareElement } from '../../core/care-element.js';
import { tokens, widgetBox } from '../../core/theme.js';
import '../../crisis/care-safety-plan.js';
import '../../progress/index.js';
import { clinicianStyles } from '../clinician.styles.js';
import { loadFailureMessages, renderFailure } from '../../core/failure.js';
import { formatDate, formatDateTime } from '../format.js';
import { renderCheckIn } from './check-in-history.js';
import { translationMarkStyles } from '../translation-mark.js';
import { clientRecordStyles } from './client-record.styles.js';
import { PagedList } from './paged-list.js';
import alerts from '../../../locales/en/alerts.json';
import checkIn from '../../../locales/en/checkIn.json';
import record from '../../../locales/en/record.json';
import scales from '../../../locales/en/scales.json';
import templates from '../../../locales/en/templates.json';
import { addEnglish } from '../../core/i18n.js';
import { listFormat } from '../../core/intl.js';

addEnglish({ alerts, checkIn, record, scales, templates });

const PAGE = 10;

/**
 * One client's record for the care team: their progress (the same charts as `<care-progress>`),
 * check-in history with answers, scores and notes, the current safety plan and its versions,
 * open and past alerts, and the support-group and telehealth sessions they attended. Every read is
 * an audited staff read of that person's data; someone outside the clinic is "not found".
 *
 * `<care-roster>` and `<care-alerts>` open it themselves (Enter on a row, "Open record"); a portal
 * may also place it on a page of its own.
 *
 * @summary A client's record for the care team: progress, check-ins, safety plan, alerts, sessions.
 * @tag care-client-record
 *
 * @event {CustomEvent<CareErrorDetail>} care-error - A part of the record could not be loaded. `detail: { kind, message }`.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading with the person's name.
 * @csspart section - One section of the record (check-ins, plan versions, alerts, sessions).
 * @csspart heading - Section headings.
 * @csspart notice - Loading problems and empty sections.
 * @csspart earlier-form-answer - The note on an answer only an earlier version of the form asked (BAM item 5 while item 4 was 0): not counted in the score.
 * @csspart unverified-translation - The mark on a PHQ-9/GAD-7 score answered in an unverified translation (not a validated score).
 * @csspart button - The "Show more" buttons.
 * @csspart progress - The embedded `<care-progress>`.
 * @csspart safety-plan - The embedded `<care-safety-plan>`.
 *
 * @cssproperty --care-color-primary - Buttons and focus ring.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Cards.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Dates and hints.
 * @cssproperty --care-color-border - Card borders.
 * @cssproperty --care-color-danger - Urgent badges.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-space - Base spacing.
 */
export class CareClientRecord extends CareElement {
  static override styles = [tokens, widgetBox, clinicianStyles, clientRecordStyles, translationMarkStyles];

  /** Whose record to show: a client id of the signed-in clinician's clinic. */
  @property({ attribute: 'client-id' }) clientId = '';
  /** The person's name as the opener knows it (roster, alert); the id is shown without one. */
  @property({ attribute: 'client-name' }) clientName = '';

  private readonly checkIns = new PagedList<CheckInRecord>(this, (cursor, signal) =>
    this.api.checkIn.list.query({ clientId: this.clientId, limit: PAGE, ...(cursor ? { cursor } : {}) }, { signal }),
  );
  private readonly planVersions = new PagedList<SafetyPlanVersionSummary>(this, async (_cursor, signal) => ({
    items: (await this.api.safetyPlan.get.query({ clientId: this.clientId }, { signal })).versions,
    nextCursor: null,
  }));
  private readonly alerts = new PagedList<Alert>(this, (cursor, signal) =>
    this.api.alerts.list.query({ clientId: this.clientId, status: 'all', limit: PAGE, ...(cursor ? { cursor } : {}) }, { signal }),
  );
  private readonly sessions = new PagedList<AttendedSession>(this, (cursor, signal) =>
    this.api.progress.sessions.query({ clientId: this.clientId, limit: PAGE, ...(cursor ? { cursor } : {}) }, { signal }),
  );
  private loadedKey = '';

  private get lists() {
    return [this.checkIns, this.planVersions, this.alerts, this.sessions];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const key = `${this.config.endpoint}|${this.config.token ?? ''}|${this.clientId}`;
    if (key === this.loadedKey || !this.config.token || !this.clientId) return;
    this.loadedKey = key;
    void this.reload();
  }

  /** Loads every section again. */
  async reload(): Promise<void> {
    await Promise.all(this.lists.map((list) => list.reload()));
    const failed = this.lists.find((list) => list.failure)?.failure;
    if (failed) this.emit('care-error', { kind: failed.kind, message: failed.message });
  }

  /** The whole record is unavailable: the person is not a client of this clinic, or the caller is not staff. */
  private get refusal(): string | null {
    const kinds = this.lists.map((list) => list.failure?.kind);
    if (kinds.includes('not-found')) return this.t('record.notFound');
    if (kinds.includes('forbidden')) return this.t('record.forbidden');
    if (kinds.includes('signed-out')) return this.t('common.signedOut');
    return null;
  }

  private get name(): string {
    return this.clientName || this.t('record.unnamed', { id: this.clientId });
  }

  private renderList<T>(id: string, title: string, list: PagedList<T>, empty: string, item: (value: T) => TemplateResult) {
    let body: TemplateResult | typeof nothing;
    if (list.status === 'error' && list.failure && list.items.length === 0) {
      body = renderFailure(list.failure, { t: this.t, messages: loadFailureMessages('record'), retry: () => void list.reload(), noRetryFor: [] });
    } else if (list.items.length === 0) {
      body = list.status === 'ready' ? html`<p class="meta" part="notice">${empty}</p>` : html`<p class="meta">${this.t('record.loading')}</p>`;
    } else {
      body = html`<ul class="items">${list.items.map(item)}</ul>
        ${list.nextCursor
          ? html`<button part="button" type="button" ?disabled=${list.status === 'loading'} @click=${() => void list.more()}>
              ${this.t('record.showMore')}<span class="visually-hidden">: ${title}</span>
            </button>`
          : nothing}`;
    }
    return html`<section class="record-section" part="section" data-section=${id} aria-labelledby="${id}-title title" aria-busy=${list.status === 'loading' ? 'true' : 'false'}>
      <h3 part="heading" id="${id}-title">${title}</h3>
      ${body}
    </section>`;
  }

  private renderVersion = (v: SafetyPlanVersionSummary) => html`<li>
    ${this.t('record.planVersions.item', {
      version: v.version,
      kind: this.t(`record.planVersions.kind.${v.kind}`),
      author: this.t(`record.planVersions.author.${v.authorRole}`),
      date: formatDateTime(v.createdAt, this.config.locale),
    })}
  </li>`;

  private renderAlert = (a: Alert) => {
    const locale = this.config.locale;
    const reasons = a.reasons.map((r) => this.t(`alerts.reasons.${r}`));
    return html`<li class="alert ${a.acknowledgedAt ? 'acknowledged' : 'open'}">
      <p>
        <span class="badge ${a.level}">${this.t(`alerts.level.${a.level}`)}</span>
        ${listFormat(locale).format(reasons) || this.t(`alerts.source.${a.source}`)}
      </p>
      <p class="meta">
        <time datetime=${a.createdAt}>${formatDateTime(a.createdAt, locale)}</time> ·
        ${a.acknowledgedAt ? this.t('record.alerts.acknowledged', { date: formatDateTime(a.acknowledgedAt, locale) }) : html`<strong>${this.t('record.alerts.open')}</strong>`}
      </p>
      ${a.acknowledgeNote ? html`<p class="note-text">${this.t('record.alerts.note', { note: a.acknowledgeNote })}</p>` : nothing}
    </li>`;
  };

  private renderSession = (s: AttendedSession) => {
    const parts = [s.kind === 'group' ? this.t('record.sessions.group') : this.t('record.sessions.telehealth')];
    if (s.groupName) parts.push(s.groupName);
    parts.push(formatDate(s.joinedAt, this.config.locale));
    parts.push(s.minutes === null ? this.t('record.sessions.open') : this.t('record.sessions.minutes', { minutes: s.minutes }));
    return html`<li>${parts.join(' · ')}</li>`;
  };

  private renderRecord() {
    const { endpoint, token, locale, theme, region, tokenProvider } = this;
    const t = this.t;
    // The embedded widgets read the provider's settings; this element's own overrides go down to them.
    return html`
      <care-progress part="progress" client-id=${this.clientId} .endpoint=${endpoint} .token=${token} .locale=${locale} .theme=${theme} .region=${region} .tokenProvider=${tokenProvider}></care-progress>
      ${this.renderList('check-ins', t('record.checkIns.title'), this.checkIns, t('record.checkIns.none'), (c) => renderCheckIn(c, t, this.config.locale))}
      <care-safety-plan part="safety-plan" client-id=${this.clientId} .endpoint=${endpoint} .token=${token} .locale=${locale} .theme=${theme} .region=${region} .tokenProvider=${tokenProvider}></care-safety-plan>
      ${this.renderList('plan-versions', t('record.planVersions.title'), this.planVersions, t('record.planVersions.none'), this.renderVersion)}
      ${this.renderList('alerts', t('record.alerts.title'), this.alerts, t('record.alerts.none'), this.renderAlert)}
      ${this.renderList('sessions', t('record.sessions.title'), this.sessions, t('record.sessions.none'), this.renderSession)}
    `;
  }

  protected override render() {
    const refusal = this.refusal;
    return html`<section class=${this.themeClass} part="base" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="title">
      <h2 id="title" part="title" tabindex="-1">${this.t('record.title', { name: this.name })}</h2>
      ${!this.config.token
        ? html`<p class="notice" part="notice">${this.t('common.notConfigured')}</p>`
        : refusal
          ? html`<p class="notice warning" part="notice">${refusal}</p>`
          : this.renderRecord()}
    </section>`;
  }
}
