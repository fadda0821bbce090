import { Task, TaskStatus } from '@lit/task';
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { RosterEntry, RosterPage, RosterScore, RosterSort } from '../../server/contract/clinician.js';
import { failureOf, loadFailureMessages, renderFailure, type Failure } from '../core/failure.js';
import type {} from './events.js';
import { CareElement } from '../core/care-element.js';
import { tokens, widgetBox } from '../core/theme.js';
import { clinicianStyles } from './clinician.styles.js';
import { formatDate, formatNumber } from './format.js';
import { RecordViewController, recordViewStyles } from './record/record-view.js';
import roster from '../../locales/en/roster.json';
import { addEnglish } from '../core/i18n.js';

addEnglish({ roster });

const COLUMNS: RosterSort[] = ['name', 'lastCheckIn', 'streak', 'phq9', 'gad7', 'openAlerts', 'engagement'];
const ENGAGEMENT_FILTERS = [1, 4, 8] as const;
const SEARCH_DELAY_MS = 300;

/**
 * The clinic's clients with their engagement: last check-in, current streak, latest PHQ-9 and
 * GAD-7, open alerts and days with a check-in in the last 14. Sorting, filtering and paging run on
 * the server, so it stays quick for a clinic of 10,000 people. Every page read is audited.
 *
 * @summary Sortable, filterable roster of a clinic's clients for the care team.
 * @tag care-roster
 *
 * @event {CustomEvent<CareRosterLoadedDetail>} care-roster-loaded - A page arrived. `detail: { total, offset, items }`.
 * @event {CustomEvent<CareOpenClientDetail>} care-open-client - A row was opened (Enter or click on the name). `detail: { clientId }`. Cancelable: call `preventDefault()` to show the person elsewhere; otherwise the roster shows their `<care-client-record>` until Back or Escape.
 * @event {CustomEvent<CareErrorDetail>} care-error - The roster could not be loaded. `detail: { kind, message }`.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading.
 * @csspart filters - The search and filter controls.
 * @csspart table - The table.
 * @csspart pager - Previous and next page buttons.
 * @csspart notice - Loading problems and empty state.
 * @csspart status - The live region announcing results.
 * @csspart button - Buttons without a more specific part (retry, cancel, secondary actions).
 * @csspart choice - A radio button or checkbox.
 * @csspart input - Text boxes, selects and text areas without a more specific part.
 * @csspart label - Labels of text boxes, selects and text areas.
 *
 * @cssproperty --care-color-primary - Buttons, sorted column and focus ring.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Header row background.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Hints.
 * @cssproperty --care-color-border - Table lines.
 * @cssproperty --care-color-danger - Open alert counts.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-space - Base spacing.
 */
export class CareRoster extends CareElement {
  static override styles = [
    tokens,
    widgetBox,
    clinicianStyles,
    recordViewStyles,
    css`
      :host {
        min-inline-size: 0;
      }
      .base {
        min-inline-size: 0;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1.5rem;
        align-items: end;
        margin-block-end: 0.75rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .check {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        min-block-size: 2.75rem;
      }
      .table-wrap {
        overflow-x: auto;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      table {
        border-collapse: collapse;
        inline-size: 100%;
        font-size: 0.95rem;
      }
      table[aria-busy='true'] tbody {
        opacity: 0.6;
      }
      caption {
        text-align: start;
        padding: 0.5rem;
        color: var(--_muted);
      }
      th,
      td {
        text-align: start;
        padding: 0.5rem;
        border-block-end: 1px solid var(--_border);
        vertical-align: top;
      }
      thead th {
        background: var(--_surface-raised);
        padding: 0;
      }
      thead button {
        inline-size: 100%;
        border: 0;
        border-radius: 0;
        background: transparent;
        color: var(--_text);
        font-weight: 700;
        text-align: start;
        display: flex;
        gap: 0.25rem;
        justify-content: space-between;
        align-items: center;
      }
      th[aria-sort] button {
        color: var(--_primary);
        text-decoration: underline;
      }
      tbody th {
        font-weight: 600;
        padding: 0.25rem;
      }
      /* The name stays in view while the other columns scroll sideways inside the table's own region. */
      thead th:first-child,
      tbody th {
        position: sticky;
        inset-inline-start: 0;
        z-index: 1;
        background: var(--_surface);
        box-shadow: inset -1px 0 0 var(--_border);
      }
      thead th:first-child {
        background: var(--_surface-raised);
      }
      button.open {
        border: 0;
        background: transparent;
        color: var(--_primary);
        font: inherit;
        font-weight: 600;
        text-align: start;
        text-decoration: underline;
        padding: 0.25rem;
        min-block-size: 2.75rem;
        cursor: pointer;
      }
      @media (max-width: 480px) {
        table {
          font-size: 0.9rem;
        }
        th,
        td {
          padding: 0.375rem;
        }
        button.open {
          max-inline-size: 8rem;
        }
      }
      .alerts-open {
        color: var(--_danger);
        font-weight: 700;
      }
      .pager {
        display: flex;
        gap: 0.5rem;
        justify-content: space-between;
        align-items: center;
        margin-block-start: 0.75rem;
        flex-wrap: wrap;
      }
      @media (forced-colors: active) {
        th[aria-sort] button {
          color: LinkText;
        }
      }
    `,
  ];

  /** Clients per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;

  @state() private sort: RosterSort = 'name';
  @state() private direction: 'asc' | 'desc' = 'asc';
  @state() private search = '';
  @state() private onlyOpenAlerts = false;
  @state() private engagementBelow: number | null = null;
  @state() private cursors: (string | undefined)[] = [undefined];
  @state() private page: RosterPage | null = null;
  @state() private failure: Failure | null = null;

  private readonly recordView: RecordViewController = new RecordViewController(this);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('token') || changed.has('endpoint') || (changed as Map<PropertyKey, unknown>).has('provided') || changed.has('pageSize')) {
      this.cursors = [undefined];
      void this.load();
    }
  }

  /** Loads the current page again. */
  async reload(): Promise<void> {
    await this.load();
  }

  /** One page of the roster for the current sort, filters and cursor; a newer load cancels the older request. */
  private readonly pageTask = new Task(this, {
    autoRun: false,
    args: () => [this.pageInput()] as const,
    task: ([input], { signal }) => this.api.roster.list.query(input, { signal }),
    onComplete: (page) => {
      this.page = page;
      this.failure = null;
      this.announce(`${this.sortDescription()} ${this.rangeText(page)}`);
      this.emit('care-roster-loaded', { total: page.total, offset: page.offset, items: page.items });
    },
    onError: (error) => {
      this.failure = failureOf(error);
      this.announce(this.t('roster.loadFailed'));
      this.emit('care-error', { kind: this.failure.kind, message: this.failure.message });
    },
  });

  private get loading(): boolean {
    return this.pageTask.status === TaskStatus.PENDING;
  }

  private pageInput() {
    const cursor = this.cursors.at(-1);
    return {
      sort: this.sort,
      direction: this.direction,
      limit: Math.min(100, Math.max(1, this.pageSize)),
      ...(this.search.trim() ? { search: this.search.trim().slice(0, 100) } : {}),
      ...(this.onlyOpenAlerts ? { hasOpenAlerts: true as const } : {}),
      ...(this.engagementBelow !== null ? { engagementBelow: this.engagementBelow } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    };
  }

  private async load(): Promise<void> {
    if (!this.config.token) return;
    await this.pageTask.run();
  }


  private restart(): void {
    this.cursors = [undefined];
    void this.load();
  }

  private sortBy(column: RosterSort): void {
    if (this.sort === column) this.direction = this.direction === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = column;
      this.direction = column === 'name' ? 'asc' : 'desc';
    }
    this.restart();
  }

  private onSearch(event: Event): void {
    this.search = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.restart(), SEARCH_DELAY_MS);
  }

  private goTo(step: 1 | -1): void {
    if (step === 1 && this.page?.nextCursor) this.cursors = [...this.cursors, this.page.nextCursor];
    else if (step === -1 && this.cursors.length > 1) this.cursors = this.cursors.slice(0, -1);
    else return;
    void this.load();
  }

  private sortDescription(): string {
    return this.t('roster.sortedBy', {
      column: this.t(`roster.columns.${this.sort}`),
      direction: this.t(`roster.direction.${this.sort === 'name' ? 'text' : this.sort === 'lastCheckIn' ? 'date' : 'number'}.${this.direction}`),
    });
  }

  private rangeText(page: RosterPage): string {
    if (page.total === 0) return this.t('roster.none');
    const locale = this.config.locale;
    return this.t('roster.range', {
      from: formatNumber(page.offset + 1, locale),
      to: formatNumber(page.offset + page.items.length, locale),
      total: formatNumber(page.total, locale),
    });
  }

  private score(score: RosterScore | null) {
    if (!score) return html`<span class="meta">${this.t('roster.noScore')}</span>`;
    return html`${score.total} <span class="meta">· ${this.t(`severity.${score.severity}`)}</span>`;
  }

  private renderRow(c: RosterEntry) {
    const locale = this.config.locale;
    return html`<tr>
      <th scope="row"><button part="button" type="button" class="open" data-open-client=${c.clientId} aria-describedby="open-hint" @click=${() => void this.recordView.show({ clientId: c.clientId, name: c.name })}><bdi>${c.name ?? c.clientId}</bdi></button></th>
      <td>
        ${c.lastCheckInAt
          ? html`<time datetime=${c.lastCheckInAt}>${formatDate(c.lastCheckInAt, locale)}</time>`
          : html`<span class="meta">${this.t('roster.never')}</span>`}
      </td>
      <td>${this.t('roster.days', { count: c.streak })}</td>
      <td>${this.score(c.phq9)}</td>
      <td>${this.score(c.gad7)}</td>
      <td class=${c.openAlerts > 0 ? 'alerts-open' : ''}>${formatNumber(c.openAlerts, locale)}</td>
      <td>${this.t('roster.engagementValue', { count: c.engagement })}</td>
    </tr>`;
  }

  private renderHeader(column: RosterSort) {
    const sorted = this.sort === column;
    const ariaSort = sorted ? (this.direction === 'asc' ? 'ascending' : 'descending') : nothing;
    return html`<th scope="col" aria-sort=${ariaSort}>
      <button part="button" type="button" data-sort=${column} @click=${() => this.sortBy(column)}>
        <span>${this.t(`roster.columns.${column}`)}</span>
        <span aria-hidden="true">${sorted ? (this.direction === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>`;
  }

  private renderFilters() {
    return html`<form class="filters" part="filters" role="search" aria-label=${this.t('roster.filters')} @submit=${(e: Event) => {
      e.preventDefault();
      clearTimeout(this.searchTimer);
      this.restart();
    }}>
      <div class="field">
        <label part="label" for="search">${this.t('roster.search')}</label>
        <input part="input" id="search" type="search" .value=${this.search} @input=${this.onSearch} maxlength="100" autocomplete="off" />
      </div>
      <label part="label" class="check">
        <input part="choice" type="checkbox" .checked=${this.onlyOpenAlerts} @change=${(e: Event) => {
          this.onlyOpenAlerts = (e.target as HTMLInputElement).checked;
          this.restart();
        }} />
        ${this.t('roster.onlyOpenAlerts')}
      </label>
      <div class="field">
        <label part="label" for="engagement">${this.t('roster.engagementFilter')}</label>
        <select part="input" id="engagement" @change=${(e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          this.engagementBelow = value ? Number(value) : null;
          this.restart();
        }}>
          <option value="" ?selected=${this.engagementBelow === null}>${this.t('roster.engagementAny')}</option>
          ${ENGAGEMENT_FILTERS.map(
            (n) => html`<option value=${n} ?selected=${this.engagementBelow === n}>${this.t('roster.engagementBelow', { count: n })}</option>`,
          )}
        </select>
      </div>
    </form>`;
  }

  private renderTable(page: RosterPage) {
    if (page.items.length === 0) {
      const filtered = this.search.trim() || this.onlyOpenAlerts || this.engagementBelow !== null;
      return html`<p class="notice" part="notice">${filtered ? this.t('roster.emptyFiltered') : this.t('roster.empty')}</p>`;
    }
    return html`<span class="visually-hidden" id="open-hint">${this.t('record.openHint')}</span>
    <div class="table-wrap" role="region" aria-labelledby="caption" tabindex="0">
      <table part="table" aria-busy=${this.loading ? 'true' : 'false'}>
        <caption id="caption">${this.t('roster.caption')} ${this.sortDescription()}</caption>
        <thead>
          <tr>${COLUMNS.map((c) => this.renderHeader(c))}</tr>
        </thead>
        <tbody>
          ${page.items.map((c) => this.renderRow(c))}
        </tbody>
      </table>
    </div>
    <nav class="pager" part="pager" aria-label=${this.t('roster.pages')}>
      <p class="meta" id="range">${this.rangeText(page)}</p>
      <div class="actions">
        <button part="button" type="button" ?disabled=${this.cursors.length <= 1 || this.loading} @click=${() => this.goTo(-1)}>${this.t('roster.previous')}</button>
        <button part="button" type="button" ?disabled=${!page.nextCursor || this.loading} @click=${() => this.goTo(1)}>${this.t('roster.next')}</button>
      </div>
    </nav>`;
  }

  private renderBody() {
    if (!this.config.token) return html`<p class="notice" part="notice">${this.t('common.notConfigured')}</p>`;
    if (this.failure && (!this.page || this.failure.kind === 'forbidden' || this.failure.kind === 'signed-out')) {
      return renderFailure(this.failure, { t: this.t, messages: loadFailureMessages('roster'), retry: () => void this.load() });
    }
    if (!this.page) {
      return html`<div class="skeleton" aria-hidden="true"><span></span><span></span><span></span><span></span></div>
        <p class="meta">${this.t('roster.loading')}</p>`;
    }
    return html`${this.failure ? renderFailure(this.failure, { t: this.t, messages: loadFailureMessages('roster'), retry: () => void this.load() }) : nothing}
      ${this.renderTable(this.page)}`;
  }

  protected override render() {
    return html`<section class=${this.themeClass} part="base" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="title">
      <header>
        <h2 id="title" part="title">${this.t('roster.title')}</h2>
        ${this.page ? html`<p class="meta">${this.t('roster.asOf', { day: this.page.asOfDay, timeZone: this.page.timeZone })}</p>` : nothing}
      </header>
      <div class="list-view" ?hidden=${this.recordView.open !== null}>${this.config.token ? this.renderFilters() : nothing} ${this.renderBody()}</div>
      ${this.recordView.render(this.t, this.t('record.backToRoster'))}
      <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
    </section>`;
  }
}
