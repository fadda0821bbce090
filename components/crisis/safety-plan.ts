import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { crisisInfoForReader } from '../../server/contract/crisis.js';
import {
  contactsOf,
  dialable,
  emptySafetyPlan,
  isContactSection,
  MAX_ITEM_LENGTH,
  MAX_ITEMS_PER_SECTION,
  PHONE_PATTERN,
  SAFETY_PLAN_SECTIONS,
  type SafetyPlanItem,
  type SafetyPlanSectionId,
  type SafetyPlanSections,
  type SafetyPlanVersion,
  type SafetyPlanView,
} from '../../server/contract/safety-plan.js';
import { localFailure, renderFailure, type Failure, type FailureMessages } from '../core/failure.js';
import type {} from './events.js';
import { CareElement } from '../core/care-element.js';
import { tokens, widgetBox } from '../core/theme.js';
import { identityOf, roleOf } from '../core/token.js';
import { SafetyPlanController } from './safety-plan-controller.js';
import { safetyPlanStyles } from './safety-plan.styles.js';
import safetyPlan from '../../locales/en/safetyPlan.json';
import { addEnglish } from '../core/i18n.js';
import { dateTimeFormat } from '../core/intl.js';

addEnglish({ safetyPlan });

/** What the person is doing; loading and "could not load" come from the controller. */
type Phase = 'viewing' | 'editing' | 'saving';

/** Field errors keyed `section.index.field`. */
type PlanErrors = Record<string, string>;

const SAFETY_PLAN_LOAD_FAILURES: FailureMessages = { forbidden: 'safetyPlan.notAvailable', 'not-found': 'safetyPlan.notAvailable', default: 'safetyPlan.loadFailed' };

const cloneSections = (s: SafetyPlanSections): SafetyPlanSections => JSON.parse(JSON.stringify(s)) as SafetyPlanSections;

/**
 * The Stanley-Brown safety plan: warning signs, internal coping strategies, people and places for
 * distraction, people to ask for help, professionals and agencies, making the environment safe, and
 * reasons for living. The client writes it alone or with their clinician; every save is a new
 * version. A clinician (with `client-id`) reads it and saves suggestions the client can take up.
 * The last copy stays on the device for reading offline; it prints cleanly and downloads as a file.
 *
 * @summary A person's own safety plan, versioned, printable and kept on the device.
 * @tag care-safety-plan
 *
 * @event {CustomEvent<CarePlanSavedDetail>} care-plan-saved - A new version was saved. `detail: { version, kind, contacts }`.
 * @event {CustomEvent<CareErrorDetail>} care-error - Loading or saving failed for a reason the person must act on. `detail: { kind, message }`.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading.
 * @csspart section - One of the seven steps.
 * @csspart item - One item of a step.
 * @csspart input - A text or phone box while editing.
 * @csspart actions - The row of buttons.
 * @csspart edit-button - Edit / start the plan.
 * @csspart save-button - Save.
 * @csspart notice - Messages: offline copy, conflict, suggestion, errors.
 * @csspart suggestion - A clinician's suggested version.
 * @csspart status - The live region that announces results.
 * @csspart button - Buttons without a more specific part (retry, cancel, secondary actions).
 * @csspart form - A form inside the widget.
 * @csspart heading - Section headings inside the widget.
 * @csspart label - Labels of text boxes, selects and text areas.
 * @csspart link - Links without a more specific part.
 *
 * @cssproperty --care-color-primary - Buttons, links and focus ring.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Background of steps.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Hints.
 * @cssproperty --care-color-border - Borders.
 * @cssproperty --care-color-danger - Errors.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-font-family - Font.
 * @cssproperty --care-space - Base spacing.
 * @cssproperty --care-safety-plan-max-width - Widest the plan grows.
 */
export class CareSafetyPlan extends CareElement {
  static override styles = [tokens, widgetBox, safetyPlanStyles];

  /** For clinicians: whose plan to open. A client's own token needs none. */
  @property({ attribute: 'client-id' }) clientId?: string;

  @state() private phase: Phase = 'viewing';
  @state() private draft: SafetyPlanSections | null = null;
  /** The version the draft was started from: sent as baseVersion. */
  @state() private baseVersion: number | null = null;
  @state() private errors: PlanErrors = {};
  @state() private conflict: SafetyPlanView | null = null;
  @state() private saveFailed: Failure | null = null;
  @state() private suggestionDismissed = false;

  private readonly plan = new SafetyPlanController(this, {
    api: () => this.api,
    endpoint: () => this.config.endpoint,
    token: () => this.config.token,
    subject: () => this.subject,
    isStaff: () => this.isStaff,
    loadFailed: (failure) => {
      if (failure.kind === 'signed-out' || failure.kind === 'forbidden') this.emit('care-error', { kind: failure.kind, message: failure.message });
    },
  });

  private get view(): SafetyPlanView | null {
    return this.plan.view;
  }

  private get isStaff(): boolean {
    const role = roleOf(this.config.token);
    return role === 'clinician' || role === 'admin';
  }

  private get subject(): string | null {
    if (this.isStaff) return this.clientId ?? null;
    return identityOf(this.config.token)?.sub ?? null;
  }

  /** Loads the plan again from the server (the device copy shows meanwhile). */
  async reload(): Promise<void> {
    await this.plan.reload();
  }

  /** Starts editing, as the Edit button does. */
  edit(from?: SafetyPlanSections): void {
    this.draft = cloneSections(from ?? this.view?.plan?.sections ?? emptySafetyPlan());
    this.baseVersion = this.view?.latestVersion ?? null;
    this.errors = {};
    this.saveFailed = null;
    this.phase = 'editing';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('input, [part~="add-button"]')?.focus());
  }

  private onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const { section, index, field } = input.dataset as { section?: SafetyPlanSectionId; index?: string; field?: 'text' | 'phone' };
    if (!this.draft || !section || index === undefined || !field) return;
    const items = [...this.draft[section]];
    const item = { ...items[Number(index)]! };
    if (field === 'phone') {
      if (input.value) item.phone = input.value;
      else delete item.phone;
    } else item.text = input.value;
    items[Number(index)] = item;
    this.draft = { ...this.draft, [section]: items };
    const errorKey = `${section}.${index}.${field}`;
    if (this.errors[errorKey]) {
      const { [errorKey]: _fixed, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  private async addItem(section: SafetyPlanSectionId): Promise<void> {
    if (!this.draft || this.draft[section].length >= MAX_ITEMS_PER_SECTION) return;
    this.draft = { ...this.draft, [section]: [...this.draft[section], { text: '' }] };
    await this.updateComplete;
    const index = this.draft[section].length - 1;
    this.renderRoot.querySelector<HTMLInputElement>(`input[data-section="${section}"][data-index="${index}"][data-field="text"]`)?.focus();
  }

  private async removeItem(section: SafetyPlanSectionId, index: number): Promise<void> {
    if (!this.draft) return;
    const removed = this.draft[section][index];
    this.draft = { ...this.draft, [section]: this.draft[section].filter((_, i) => i !== index) };
    this.errors = {};
    this.announce(this.t('safetyPlan.removed', { text: removed?.text || this.t('safetyPlan.emptyItem') }));
    await this.updateComplete;
    // Focus stays in the step: the item that took its place, else the add button.
    const next =
      this.renderRoot.querySelector<HTMLElement>(`input[data-section="${section}"][data-index="${Math.min(index, this.draft[section].length - 1)}"][data-field="text"]`) ??
      this.renderRoot.querySelector<HTMLElement>(`[data-add="${section}"]`);
    next?.focus();
  }

  /** Drops blank rows and checks what the server would refuse, so the person sees it next to the field. */
  private cleaned(): { sections: SafetyPlanSections; errors: PlanErrors } {
    const sections = emptySafetyPlan();
    const errors: PlanErrors = {};
    const draft = this.draft ?? emptySafetyPlan();
    for (const id of SAFETY_PLAN_SECTIONS) {
      const kept: SafetyPlanItem[] = [];
      draft[id].forEach((item, index) => {
        const text = item.text.trim();
        const phone = item.phone?.trim();
        if (!text && !phone) return;
        if (!text) errors[`${id}.${index}.text`] = this.t('safetyPlan.errors.textRequired');
        if (text.length > MAX_ITEM_LENGTH) errors[`${id}.${index}.text`] = this.t('safetyPlan.errors.tooLong', { max: MAX_ITEM_LENGTH });
        if (phone) {
          const digits = phone.replace(/\D/g, '').length;
          if (!PHONE_PATTERN.test(phone) || digits < 3 || digits > 15) errors[`${id}.${index}.phone`] = this.t('safetyPlan.errors.phone');
        }
        kept.push(isContactSection(id) && phone ? { text, phone } : { text });
      });
      sections[id] = kept;
    }
    return { sections, errors };
  }

  private async save(overrideBase?: number | null): Promise<void> {
    if (this.phase === 'saving') return;
    const { sections, errors } = this.cleaned();
    this.errors = errors;
    const invalid = Object.keys(errors);
    if (invalid.length > 0) {
      this.announce(this.t('safetyPlan.invalidSummary', { count: invalid.length }));
      await this.updateComplete;
      const [section, index, field] = invalid[0]!.split('.');
      this.renderRoot.querySelector<HTMLElement>(`input[data-section="${section}"][data-index="${index}"][data-field="${field}"]`)?.focus();
      return;
    }
    const base = overrideBase !== undefined ? overrideBase : this.baseVersion;
    this.phase = 'saving';
    this.saveFailed = null;
    const outcome = await this.plan.save(sections, base);
    if (outcome.status === 'saved') {
      this.afterSave(outcome.saved);
      return;
    }
    this.phase = 'editing';
    if (outcome.status === 'conflict') {
      this.conflict = outcome.latest;
      this.announce(this.t('safetyPlan.conflict', { version: this.conflict?.latestVersion ?? '?' }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.conflict')?.focus();
      return;
    }
    const { failure } = outcome;
    this.saveFailed = failure;
    this.announce(this.saveFailureText(failure));
    if (failure.kind === 'signed-out' || failure.kind === 'forbidden') this.emit('care-error', { kind: failure.kind, message: failure.message });
  }

  private afterSave(saved: SafetyPlanVersion): void {
    this.draft = null;
    this.conflict = null;
    this.errors = {};
    this.phase = 'viewing';
    this.announce(this.t(saved.kind === 'plan' ? 'safetyPlan.saved' : 'safetyPlan.suggestionSaved', { version: saved.version }));
    this.emit('care-plan-saved', { version: saved.version, kind: saved.kind, contacts: saved.kind === 'plan' ? contactsOf(saved.sections) : undefined });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.saved')?.focus());
  }

  /** Conflict resolved by keeping the edits: save them on top of the newer version. */
  private saveMine(): void {
    const latest = this.conflict?.latestVersion ?? null;
    if (this.conflict) this.plan.show(this.conflict);
    this.baseVersion = latest;
    this.conflict = null;
    void this.save(latest);
  }

  /** Conflict resolved by dropping the edits and reading the newer version. */
  private useTheirs(): void {
    if (this.conflict) this.plan.show(this.conflict, true);
    this.conflict = null;
    this.draft = null;
    this.phase = 'viewing';
    this.announce(this.t('safetyPlan.showingLatest', { version: this.view?.latestVersion ?? '' }));
  }

  private cancel(): void {
    this.draft = null;
    this.errors = {};
    this.saveFailed = null;
    this.conflict = null;
    this.phase = 'viewing';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="edit-button"]')?.focus());
  }

  private saveFailureText(failure: Failure): string {
    switch (failure.kind) {
      case 'offline':
      case 'server':
      case 'rate-limited':
        return this.t('safetyPlan.saveOffline');
      case 'signed-out':
        return this.t('common.signedOut');
      default:
        return this.t('safetyPlan.saveRefused');
    }
  }

  /** The plan as plain text: what the downloaded file holds. */
  planText(): string {
    const t = this.t;
    const plan = this.view?.plan;
    const sections = plan?.sections ?? emptySafetyPlan();
    const info = crisisInfoForReader(this.config.locale, this.config.region);
    const lines = [t('safetyPlan.title'), plan ? t('safetyPlan.versionLine', { version: plan.version, date: this.formatDate(plan.createdAt) }) : '', ''];
    SAFETY_PLAN_SECTIONS.forEach((id, i) => {
      lines.push(`${i + 1}. ${t(`safetyPlan.sections.${id}.title`)}`);
      const items = sections[id];
      if (items.length === 0) lines.push(`   – ${t('safetyPlan.nothingYet')}`);
      for (const item of items) lines.push(`   – ${item.text}${item.phone ? ` (${item.phone})` : ''}`);
      lines.push('');
    });
    lines.push(t('safetyPlan.fileCrisis'));
    for (const line of info.lines) {
      if (line.call) lines.push(`   ${t('crisis.call', { name: line.name, number: line.callDisplay ?? line.call })}`);
      if (line.text) lines.push(`   ${t('crisis.text', { name: line.name, number: line.text })}`);
    }
    lines.push(`   ${t('crisis.emergency', { number: info.emergency })}`);
    return lines.join('\n');
  }

  /** Downloads the plan as a text file the person keeps. */
  download(): void {
    const blob = new Blob([this.planText()], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${this.t('safetyPlan.fileName')}${this.view?.plan ? `-v${this.view.plan.version}` : ''}.txt`;
    link.rel = 'noopener';
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.announce(this.t('safetyPlan.downloaded'));
  }

  private formatDate(iso: string | number): string {
    try {
      return dateTimeFormat(this.config.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
    } catch {
      return String(iso);
    }
  }

  private renderItemsReadOnly(id: SafetyPlanSectionId, items: SafetyPlanItem[]) {
    if (items.length === 0) return html`<p class="hint">${this.t('safetyPlan.nothingYet')}</p>`;
    return html`<ul>
      ${items.map(
        (item) => html`<li part="item">
          <span>${item.text}</span>
          ${item.phone && isContactSection(id)
            ? html`<span class="phone-links">
                <a part="link" href="tel:${dialable(item.phone)}" aria-label=${this.t('safetyPlan.callItem', { name: item.text, phone: item.phone })} dir="ltr">${item.phone}</a>
                <a part="link" class="no-print" href="sms:${dialable(item.phone)}" aria-label=${this.t('safetyPlan.textItem', { name: item.text, phone: item.phone })}>${this.t('safetyPlan.text')}</a>
              </span>`
            : nothing}
        </li>`,
      )}
    </ul>`;
  }

  private renderSectionsReadOnly(sections: SafetyPlanSections, idPrefix: string) {
    return html`<ol class="steps">
      ${SAFETY_PLAN_SECTIONS.map(
        (id) => html`<li class="step" part="section">
          <h3 part="heading" id="${idPrefix}-${id}">${this.t(`safetyPlan.sections.${id}.title`)}</h3>
          ${this.renderItemsReadOnly(id, sections[id])}
        </li>`,
      )}
    </ol>`;
  }

  private renderField(id: SafetyPlanSectionId, item: SafetyPlanItem, index: number, count: number) {
    const t = this.t;
    const base = `${id}-${index}`;
    const textError = this.errors[`${id}.${index}.text`];
    const phoneError = this.errors[`${id}.${index}.phone`];
    const sectionTitle = t(`safetyPlan.sections.${id}.title`);
    const contact = isContactSection(id);
    return html`<li class="edit-item" part="item">
      <div class="field">
        <label part="label" for="${base}-text">${t(contact ? 'safetyPlan.nameLabel' : 'safetyPlan.itemLabel', { n: index + 1, count })}</label>
        <input
          id="${base}-text"
          part="input"
          type="text"
          maxlength=${MAX_ITEM_LENGTH}
          .value=${item.text}
          data-section=${id}
          data-index=${index}
          data-field="text"
          aria-invalid=${textError ? 'true' : 'false'}
          aria-describedby=${textError ? `${base}-text-error` : nothing}
        />
        ${textError ? html`<p class="error" id="${base}-text-error">${textError}</p>` : nothing}
      </div>
      ${contact
        ? html`<div class="field phone">
            <label part="label" for="${base}-phone">${t('safetyPlan.phoneLabel')}</label>
            <input
              id="${base}-phone"
              part="input"
              type="tel"
              autocomplete="off"
              inputmode="tel"
              .value=${item.phone ?? ''}
              data-section=${id}
              data-index=${index}
              data-field="phone"
              aria-invalid=${phoneError ? 'true' : 'false'}
              aria-describedby=${phoneError ? `${base}-phone-error` : nothing}
            />
            ${phoneError ? html`<p class="error" id="${base}-phone-error">${phoneError}</p>` : nothing}
          </div>`
        : nothing}
      <button part="button" type="button" class="remove" aria-label=${t('safetyPlan.removeItem', { n: index + 1, section: sectionTitle })} @click=${() => void this.removeItem(id, index)}>
        ${t('safetyPlan.remove')}
      </button>
    </li>`;
  }

  private renderEditor(draft: SafetyPlanSections) {
    const t = this.t;
    const saving = this.phase === 'saving';
    return html`
      <form part="form" novalidate @input=${this.onInput} @submit=${(e: Event) => { e.preventDefault(); void this.save(); }} aria-busy=${saving ? 'true' : 'false'}>
        <ol class="steps">
          ${SAFETY_PLAN_SECTIONS.map((id) => {
            const items = draft[id];
            return html`<li class="step" part="section">
              <fieldset>
                <legend><span class="legend">${t(`safetyPlan.sections.${id}.title`)}</span></legend>
                <p class="hint">${t(`safetyPlan.sections.${id}.hint`)}</p>
                ${items.length ? html`<ul>${items.map((item, i) => this.renderField(id, item, i, items.length))}</ul>` : nothing}
                <button type="button" part="add-button" data-add=${id} ?disabled=${items.length >= MAX_ITEMS_PER_SECTION} @click=${() => void this.addItem(id)}>
                  ${t('safetyPlan.add')}<span class="visually-hidden">: ${t(`safetyPlan.sections.${id}.title`)}</span>
                </button>
              </fieldset>
            </li>`;
          })}
        </ol>
        ${this.saveFailed ? html`<p class="notice warning" part="notice">${this.saveFailureText(this.saveFailed)}</p>` : nothing}
        <div class="actions" part="actions">
          <button class="primary" part="save-button" type="submit" ?disabled=${saving}>
            ${saving ? t('safetyPlan.saving') : this.isStaff ? t('safetyPlan.saveSuggestion') : t('safetyPlan.save')}
          </button>
          <button part="button" type="button" @click=${this.cancel} ?disabled=${saving}>${t('safetyPlan.cancel')}</button>
        </div>
      </form>
    `;
  }

  private renderConflict(conflict: SafetyPlanView) {
    const t = this.t;
    const latest = conflict.suggestion && (conflict.suggestion.version > (conflict.plan?.version ?? 0)) ? conflict.suggestion : conflict.plan;
    return html`<div class="notice warning conflict" part="notice" tabindex="-1" role="group" aria-labelledby="conflict-title">
      <h3 part="heading" id="conflict-title">${t('safetyPlan.conflictTitle')}</h3>
      <p>${t('safetyPlan.conflict', { version: conflict.latestVersion ?? '?' })}</p>
      ${latest
        ? html`<details>
            <summary>${t('safetyPlan.seeLatest', { version: latest.version })}</summary>
            ${this.renderSectionsReadOnly(latest.sections, 'conflict')}
          </details>`
        : nothing}
      <div class="actions">
        <button part="button" class="primary" type="button" @click=${this.saveMine}>${t('safetyPlan.keepMine')}</button>
        <button part="button" type="button" @click=${this.useTheirs}>${t('safetyPlan.useLatest')}</button>
      </div>
    </div>`;
  }

  private renderSuggestion(suggestion: SafetyPlanVersion) {
    const t = this.t;
    const who = suggestion.authorName ?? t('safetyPlan.yourClinician');
    if (this.isStaff) {
      return html`<p class="notice" part="notice suggestion">${t('safetyPlan.suggestionWaiting', { version: suggestion.version, date: this.formatDate(suggestion.createdAt) })}</p>`;
    }
    if (this.suggestionDismissed) return nothing;
    return html`<section class="notice suggestion" part="notice suggestion" aria-labelledby="suggestion-title">
      <h3 part="heading" id="suggestion-title">${t('safetyPlan.suggestionTitle', { name: who })}</h3>
      <p>${t('safetyPlan.suggestionBody', { name: who, date: this.formatDate(suggestion.createdAt), version: suggestion.version })}</p>
      <details>
        <summary>${t('safetyPlan.seeSuggestion')}</summary>
        ${this.renderSectionsReadOnly(suggestion.sections, 'suggestion')}
      </details>
      <div class="actions no-print">
        <button part="button" class="primary" type="button" @click=${() => this.edit(suggestion.sections)}>${t('safetyPlan.useSuggestion')}</button>
        <button part="button" type="button" @click=${() => (this.suggestionDismissed = true)}>${t('safetyPlan.keepMyPlan')}</button>
      </div>
    </section>`;
  }

  private renderViewing(view: SafetyPlanView) {
    const t = this.t;
    const plan = view.plan;
    const staff = this.isStaff;
    return html`
      ${view.suggestion ? this.renderSuggestion(view.suggestion) : nothing}
      ${plan
        ? html`<p class="meta saved" tabindex="-1">
              ${t('safetyPlan.versionLine', { version: plan.version, date: this.formatDate(plan.createdAt) })}
              ${plan.authorRole !== 'client' ? t('safetyPlan.byClinician') : ''}
            </p>
            ${this.renderSectionsReadOnly(plan.sections, 'plan')}`
        : html`<div class="empty saved" tabindex="-1">
            <p>${staff ? t('safetyPlan.emptyStaff') : t('safetyPlan.empty')}</p>
          </div>`}
      <div class="actions no-print" part="actions">
        <button class="primary" part="edit-button" type="button" @click=${() => this.edit()}>
          ${plan ? (staff ? t('safetyPlan.suggest') : t('safetyPlan.edit')) : staff ? t('safetyPlan.suggest') : t('safetyPlan.start')}
        </button>
        ${plan
          ? html`<button part="button" type="button" @click=${() => window.print()}>${t('safetyPlan.print')}</button>
              <button part="button" type="button" @click=${() => this.download()}>${t('safetyPlan.download')}</button>`
          : nothing}
      </div>
    `;
  }

  private renderUnavailable() {
    const failure = this.plan.failure ?? localFailure('invalid', 'no plan');
    const choose = failure.kind === 'invalid' && this.isStaff && !this.clientId;
    return renderFailure(failure, {
      t: this.t,
      messages: choose ? this.t('safetyPlan.chooseClient') : SAFETY_PLAN_LOAD_FAILURES,
      retry: () => void this.reload(),
      noRetryFor: ['signed-out', 'forbidden', 'not-found', 'invalid'],
    });
  }

  protected override render() {
    const t = this.t;
    const offlineCopy = this.plan.fromCacheAt !== null && this.plan.failure && !this.plan.unavailable;
    let body;
    if ((this.phase === 'editing' || this.phase === 'saving') && this.draft) body = this.renderEditor(this.draft);
    else if (this.plan.loading) body = html`<p class="hint" aria-busy="true">${t('common.loading')}</p>`;
    else if (this.plan.unavailable) body = this.renderUnavailable();
    else if (this.view) body = this.renderViewing(this.view);
    return html`
      <section class=${this.themeClass} part="base" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="title">
        <h2 id="title" part="title">${this.isStaff ? t('safetyPlan.titleStaff') : t('safetyPlan.title')}</h2>
        <p class="intro">${t('safetyPlan.intro')}</p>
        ${offlineCopy ? html`<p class="notice warning" part="notice">${t('safetyPlan.offlineCopy', { date: this.formatDate(this.plan.fromCacheAt!) })}</p>` : nothing}
        ${this.conflict ? this.renderConflict(this.conflict) : nothing} ${body}
        <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
      </section>
    `;
  }
}
