import { css, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import {
  ADMIN_LANGUAGES,
  ADMIN_MAX_TOKEN_LIFETIME_S,
  BOOLEAN_RISK_RULES,
  NUMERIC_RISK_RULES,
  type AdminAuditPage,
  type AdminChange,
  type AdminClinicView,
  type AdminLevelCounts,
  type AdminRulesDocument,
} from '../../server/contract/admin.js';
import { TEMPLATE_IDS } from '../../server/contract/templates.js';
import { CareElement } from '../core/care-element.js';
import { failureOf, loadFailureMessages, renderFailure, type Failure } from '../core/failure.js';
import { addEnglish } from '../core/i18n.js';
import { tokens, widgetBox } from '../core/theme.js';
import admin from '../../locales/en/admin.json';
import './admin-crisis.js';
import { adminStyles } from './admin.styles.js';
import { SectionForms } from './section-forms.js';
import { SectionLoader } from './section-loader.js';
import './admin-groups.js';
import type { CareAdminSavedDetail } from './events.js';
import { dateTimeFormat, displayNames } from '../core/intl.js';

addEnglish({ admin });

type Section = Exclude<CareAdminSavedDetail['section'], 'crisis' | 'hotlines'>;
type Level = 'none' | 'elevated' | 'urgent';
const LEVELS: Level[] = ['none', 'elevated', 'urgent'];
const REASONS = ['phq9_item9', 'phq9_severe', 'gad7_severe', 'high_craving', 'reported_use', 'mood_drop', 'self_harm_warning_sign', 'bam_recent_use', 'note', 'note_self_harm'] as const;
const MAX_LIFETIME_MIN = ADMIN_MAX_TOKEN_LIFETIME_S / 60;
/** Field names whose messages the widget words itself (`admin.errors.<field>`). */
const KNOWN_FIELDS = new Set(['name', 'region', 'timeZone', 'languages', 'defaultLocale', 'templates', 'maxTokenLifetimeS', 'origin', 'selfHarmTerms', ...NUMERIC_RISK_RULES, ...BOOLEAN_RISK_RULES]);

/** The clinic as `admin.clinic` answers it (server/contract/admin.ts adminClinicView). */
type ClinicView = AdminClinicView;

/** The profile form as typed (strings, as inputs hold them). */
export interface ProfileDraft {
  name: string;
  region: string;
  timeZone: string;
  defaultLocale: string;
  languages: string[];
  templates: string[];
  lifetimeMinutes: string;
}

/** The rules form as typed. */
export interface RulesDraft {
  numbers: Record<(typeof NUMERIC_RISK_RULES)[number], string>;
  flags: Record<(typeof BOOLEAN_RISK_RULES)[number], boolean>;
  selfHarmTerms: string;
}

export interface RulesPreview {
  checkIns: number;
  levelChanged: number;
  flagged: AdminLevelCounts;
  wouldFlag: AdminLevelCounts;
}

/** Field → refused (the form's own checks, before any call). */
export function checkProfile(draft: ProfileDraft): string[] {
  const bad: string[] = [];
  const name = draft.name.trim();
  if (!name || name.length > 200) bad.push('name');
  if (!/^[A-Z]{2}$/.test(draft.region.trim())) bad.push('region');
  if (!draft.timeZone.trim()) bad.push('timeZone');
  if (draft.languages.length === 0) bad.push('languages');
  else if (!draft.languages.includes(draft.defaultLocale)) bad.push('defaultLocale');
  if (draft.templates.length === 0) bad.push('templates');
  const minutes = Number(draft.lifetimeMinutes);
  if (!draft.lifetimeMinutes.trim() || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_LIFETIME_MIN) bad.push('maxTokenLifetimeS');
  return bad;
}

export function profileInput(draft: ProfileDraft) {
  return {
    name: draft.name.trim(),
    region: draft.region.trim(),
    timeZone: draft.timeZone.trim(),
    defaultLocale: draft.defaultLocale,
    languages: draft.languages,
    templates: draft.templates,
    maxTokenLifetimeS: Number(draft.lifetimeMinutes) * 60,
  };
}

const termsOf = (text: string): string[] => text.split('\n').map((t) => t.trim()).filter(Boolean);

/** Field → refused for the rules form. */
export function checkRules(draft: RulesDraft): string[] {
  const bad: string[] = [];
  for (const key of NUMERIC_RISK_RULES) {
    const text = draft.numbers[key].trim();
    const n = Number(text);
    if (!text || !Number.isFinite(n) || n < 0 || n > 100) bad.push(key);
  }
  const terms = termsOf(draft.selfHarmTerms);
  if (terms.length > 200 || terms.some((t) => t.length < 2 || t.length > 100)) bad.push('selfHarmTerms');
  return bad;
}

export function rulesDocument(draft: RulesDraft): AdminRulesDocument {
  const doc: Record<string, unknown> = {};
  for (const key of NUMERIC_RISK_RULES) doc[key] = Number(draft.numbers[key]);
  for (const key of BOOLEAN_RISK_RULES) doc[key] = draft.flags[key];
  doc.selfHarmTerms = termsOf(draft.selfHarmTerms);
  return doc;
}

/** `languages.1`, `rules.cravingElevated` → the form field the message goes next to. */
export function fieldOf(path: string): string {
  const parts = path.split('.');
  const head = parts[0] === 'rules' ? (parts[1] ?? 'rules') : (parts[0] ?? path);
  return head;
}


/**
 * A clinic admin's settings screen: the clinic's profile, languages, check-in forms and token
 * lifetime; the portal origins allowed to embed the widgets; the risk rules, with a preview of what
 * they would have flagged over the last 30 days before saving; and the audit of every admin change
 * (made here or with the `care` command) with the values before and after. Always the signed-in
 * admin's own clinic. The clinic's signing secret never reaches the browser: only whether one is
 * set and until when the previous one still works.
 *
 * @summary Clinic settings, portal origins, risk rules and the admin audit, for a clinic's admin.
 * @tag care-admin
 *
 * @event {CustomEvent<CareAdminSavedDetail>} care-admin-saved - A change was saved (one call each). `detail: { section: 'profile'|'origins'|'rules', action: 'set'|'add'|'remove', origin? }`.
 * @event {CustomEvent<CareAdminRefusedDetail>} care-admin-refused - The form or the server refused values; nothing was changed. `detail: { section, fields }`.
 * @event {CustomEvent<CareAdminPreviewedDetail>} care-admin-previewed - The 30-day rules preview arrived. `detail: { checkIns, levelChanged }`.
 * @event {CustomEvent<CareErrorDetail>} care-error - The settings could not be loaded or a call failed for another reason. `detail: { kind, message }`.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading.
 * @csspart section - Each section (profile, origins, rules, audit).
 * @csspart field-error - A message next to a refused field.
 * @csspart preview - The rules preview table.
 * @csspart audit - The audit table.
 * @csspart notice - Loading problems and empty states.
 * @csspart status - The live region announcing results.
 * @csspart button - Buttons without a more specific part.
 * @csspart save-button - Each section's Save button.
 * @csspart choice - Checkboxes.
 * @csspart input - Text boxes, selects and text areas.
 * @csspart label - Labels.
 *
 * @cssproperty --care-color-primary - Save buttons and focus ring.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Notices and loading placeholders.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Hints.
 * @cssproperty --care-color-border - Section and table lines.
 * @cssproperty --care-color-danger - Field errors.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-space - Base spacing.
 */
export class CareAdmin extends CareElement {
  static override styles = [
    tokens,
    widgetBox,
    adminStyles,
    css`
      :host {
        min-inline-size: 0;
      }
    `,
  ];

  @state() private clinic: ClinicView | null = null;
  @state() private profile: ProfileDraft | null = null;
  @state() private rules: RulesDraft | null = null;
  @state() private defaults: Record<string, unknown> | null = null;
  @state() private origins: string[] = [];
  @state() private newOrigin = '';
  @state() private audit: AdminChange[] = [];
  @state() private auditNext: number | null = null;
  @state() private preview: RulesPreview | null = null;
  @state() private failure: Failure | null = null;
  /** What the notice says of a failure it does not word by its kind: which call failed (a save, a reload, older changes). */
  @state() private failureNotice: 'admin.saveFailed' | 'admin.loadFailed' | 'admin.audit.moreFailed' = 'admin.saveFailed';
  @state() private auditLoading = false;

  /** The profile, origins and rules forms: which call is under way, and the fields refused. */
  private readonly forms = new SectionForms<Section, Section | 'preview'>(this, {
    sectionOf: (task) => (task === 'preview' ? 'rules' : task),
    selector: (section) => `[data-section="${section}"]`,
    errorId: (_section, field) => `${field}-error`,
    label: (field) => this.t(`admin.fields.${KNOWN_FIELDS.has(field) ? field : 'other'}`),
    refusedKey: 'admin.refused',
    saveFailedKey: 'admin.saveFailed',
    refused: (section, fields) => this.emit('care-admin-refused', { section, fields }),
    field: (error) => [fieldOf(error.path), KNOWN_FIELDS.has(fieldOf(error.path)) ? null : error.message],
    showFailure: (failure) => {
      this.failure = failure;
      this.failureNotice = 'admin.saveFailed';
    },
  });

  private readonly loader = new SectionLoader(this, {
    args: () => [this.token, this.endpoint, this.provided],
    ready: () => Boolean(this.config.token),
    load: async (signal) => {
      const [clinic, rules, audit] = await Promise.all([
        this.api.admin.clinic.query(undefined, { signal }),
        this.api.admin.rules.query(undefined, { signal }),
        this.api.admin.audit.query({ limit: 10 }, { signal }),
      ]);
      this.showClinic(clinic);
      this.showRules(rules.effective);
      this.defaults = rules.defaults;
      this.showAudit(audit, false);
      this.failure = null;
      this.announce(this.t('admin.loaded', { name: clinic.name }));
    },
    failed: (failure) => {
      this.failure = failure;
      this.failureNotice = 'admin.loadFailed';
      this.announce(this.t('admin.loadFailed'));
      this.emit('care-error', { kind: failure.kind, message: failure.message });
    },
  });

  /** Reads the clinic, its rules and the first audit page again. */
  async reload(): Promise<void> {
    await this.loader.load();
  }

  private showClinic(clinic: ClinicView): void {
    this.clinic = clinic;
    this.origins = clinic.origins;
    this.profile = {
      name: clinic.name,
      region: clinic.region,
      timeZone: clinic.timeZone,
      defaultLocale: clinic.defaultLocale,
      languages: clinic.languages ?? [...ADMIN_LANGUAGES],
      templates: clinic.templates,
      lifetimeMinutes: String(Math.round(clinic.maxTokenLifetimeS / 60)),
    };
  }

  private showRules(effective: Record<string, unknown>): void {
    this.rules = {
      numbers: Object.fromEntries(NUMERIC_RISK_RULES.map((k) => [k, typeof effective[k] === 'number' ? String(effective[k]) : ''])) as RulesDraft['numbers'],
      flags: Object.fromEntries(BOOLEAN_RISK_RULES.map((k) => [k, effective[k] === true])) as RulesDraft['flags'],
      selfHarmTerms: (Array.isArray(effective.selfHarmTerms) ? (effective.selfHarmTerms as string[]) : []).join('\n'),
    };
  }

  private showAudit(page: AdminAuditPage, append: boolean): void {
    this.audit = append ? [...this.audit, ...page.items] : page.items;
    this.auditNext = page.nextCursor;
  }

  private async refreshAudit(): Promise<void> {
    try {
      this.showAudit(await this.api.admin.audit.query({ limit: 10 }), false);
    } catch {
      // The change itself was saved; the audit list catches up on the next load.
    }
  }

  /** One call of a form; once saved, the audit shows the change. */
  private async save<T>(section: Section, call: () => Promise<T>, done: (result: T) => void): Promise<void> {
    await this.forms.run(section, call, (result) => {
      done(result);
      void this.refreshAudit();
    });
  }

  private async saveProfile(event: Event): Promise<void> {
    event.preventDefault();
    const draft = this.profile;
    if (!draft || this.forms.busy) return;
    const bad = checkProfile(draft);
    if (bad.length > 0) return this.forms.refuse('profile', bad);
    await this.save('profile', () => this.api.admin.setClinic.mutate(profileInput(draft)), (result) => {
      this.showClinic(result.clinic);
      this.announce(this.t(Object.keys(result.changed.after).length ? 'admin.profile.saved' : 'admin.profile.unchanged'));
      this.emit('care-admin-saved', { section: 'profile', action: 'set' });
    });
  }

  private async addOrigin(event: Event): Promise<void> {
    event.preventDefault();
    if (this.forms.busy) return;
    const origin = this.newOrigin.trim();
    if (!origin) return this.forms.refuse('origins', ['origin']);
    await this.save('origins', () => this.api.admin.addOrigin.mutate({ origin }), (result) => {
      this.origins = result.origins;
      this.newOrigin = '';
      this.announce(this.t('admin.origins.added', { origin: result.origin }));
      this.emit('care-admin-saved', { section: 'origins', action: 'add', origin: result.origin });
    });
  }

  private async removeOrigin(origin: string): Promise<void> {
    await this.save('origins', () => this.api.admin.removeOrigin.mutate({ origin }), (result) => {
      this.origins = result.origins;
      this.announce(this.t('admin.origins.removed', { origin: result.origin }));
      this.emit('care-admin-saved', { section: 'origins', action: 'remove', origin: result.origin });
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#new-origin')?.focus());
    });
  }

  private checkedRules(): AdminRulesDocument | null {
    if (!this.rules) return null;
    const bad = checkRules(this.rules);
    if (bad.length > 0) {
      void this.forms.refuse('rules', bad);
      return null;
    }
    return rulesDocument(this.rules);
  }

  private async previewRules(): Promise<void> {
    if (this.forms.busy) return;
    const doc = this.checkedRules();
    if (!doc) return;
    await this.forms.run('preview', () => this.api.admin.previewRules.query({ rules: doc }), (preview) => {
      this.preview = preview;
      this.announce(this.t('admin.preview.summary', { count: preview.checkIns, changed: preview.levelChanged }));
      this.emit('care-admin-previewed', { checkIns: preview.checkIns, levelChanged: preview.levelChanged });
    });
  }

  private async saveRules(event: Event): Promise<void> {
    event.preventDefault();
    if (this.forms.busy) return;
    const doc = this.checkedRules();
    if (!doc) return;
    await this.save('rules', () => this.api.admin.setRules.mutate({ rules: doc }), (result) => {
      this.showRules(result.effective);
      this.announce(this.t('admin.rules.saved'));
      this.emit('care-admin-saved', { section: 'rules', action: 'set' });
    });
  }

  private async moreAudit(): Promise<void> {
    if (this.auditNext === null || this.auditLoading) return;
    this.auditLoading = true;
    try {
      this.showAudit(await this.api.admin.audit.query({ limit: 10, cursor: this.auditNext }), true);
      if (this.failureNotice === 'admin.audit.moreFailed') this.failure = null;
      this.announce(this.t('admin.audit.more', { count: this.audit.length }));
    } catch (error) {
      // The rows already shown stay, and so does the cursor: pressing Show more again retries.
      const failure = failureOf(error);
      this.failure = failure;
      this.failureNotice = 'admin.audit.moreFailed';
      this.announce(this.t('admin.audit.moreFailed'));
      this.emit('care-error', { kind: failure.kind, message: failure.message });
    } finally {
      this.auditLoading = false;
    }
  }

  /** The message next to a refused field, and the attributes tying it to its input. */
  private fieldError(section: Section, field: string): TemplateResult | typeof nothing {
    const errors = this.forms.errorsOf(section);
    if (!errors.has(field)) return nothing;
    const serverWords = errors.get(field);
    return html`<p class="error" part="field-error" id=${`${field}-error`}>${KNOWN_FIELDS.has(field) ? this.t(`admin.errors.${field}`) : this.t('admin.errors.other', { message: serverWords ?? '' })}</p>`;
  }

  /** What the server refused in a form that has no control for it: its own words, so "Not saved" is never left unexplained. */
  private otherFieldErrors(section: Section): TemplateResult[] {
    return [...this.forms.errorsOf(section).keys()].filter((f) => !KNOWN_FIELDS.has(f)).map((f) => html`${this.fieldError(section, f)}`);
  }

  private updateProfile(patch: Partial<ProfileDraft>): void {
    if (this.profile) this.profile = { ...this.profile, ...patch };
  }

  private toggle(list: string[], value: string, on: boolean): string[] {
    return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
  }

  private languageName(code: string): string {
    try {
      return displayNames(this.config.locale, { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  }

  private formatTime(iso: string): string {
    try {
      return dateTimeFormat(this.config.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
    } catch {
      return iso;
    }
  }

  private renderText(id: string, field: 'name' | 'region' | 'timeZone', errorField: string, hintKey?: string) {
    const p = this.profile!;
    const hintId = hintKey ? `${id}-hint` : undefined;
    return html`<div class="field">
      <label part="label" for=${id}>${this.t(`admin.fields.${errorField}`)}</label>
      ${hintKey ? html`<p class="hint" id=${hintId}>${this.t(hintKey)}</p>` : nothing}
      <input part="input" id=${id} name=${errorField} .value=${p[field]} aria-invalid=${this.forms.invalid('profile', errorField)} aria-describedby=${this.forms.describedBy('profile', errorField, hintId)}
        @input=${(e: Event) => this.updateProfile({ [field]: (e.target as HTMLInputElement).value })} />
      ${this.fieldError('profile', errorField)}
    </div>`;
  }

  private renderChoices(field: 'languages' | 'templates', options: readonly string[], label: (v: string) => string) {
    const p = this.profile!;
    return html`<fieldset aria-invalid=${this.forms.invalid('profile', field)} aria-describedby=${this.forms.describedBy('profile', field)} data-field=${field}>
      <legend part="label">${this.t(`admin.fields.${field}`)}</legend>
      <div class="choices">
        ${options.map(
          (v) => html`<label class="check" part="label"><input part="choice" type="checkbox" name=${field} value=${v} .checked=${p[field].includes(v)}
              @change=${(e: Event) => this.updateProfile({ [field]: this.toggle(p[field], v, (e.target as HTMLInputElement).checked) })} /><span>${label(v)}</span></label>`,
        )}
      </div>
      ${this.fieldError('profile', field)}
    </fieldset>`;
  }

  private renderKeys(clinic: ClinicView) {
    return html`<p class="meta" id="keys">
      ${this.t(`admin.keys.${clinic.keys}`)}
      ${clinic.previousSecretValidUntil ? html`<br />${this.t('admin.keys.previousUntil', { when: this.formatTime(clinic.previousSecretValidUntil) })}` : nothing}
    </p>`;
  }

  private renderProfile() {
    const p = this.profile!;
    const saving = this.forms.busy === 'profile';
    return html`<section class="part" part="section" data-section="profile" aria-labelledby="profile-title">
      <h3 id="profile-title">${this.t('admin.profile.title')}</h3>
      ${this.renderKeys(this.clinic!)}
      <form novalidate aria-busy=${saving ? 'true' : 'false'} @submit=${(e: Event) => void this.saveProfile(e)}>
        ${this.renderText('clinic-name', 'name', 'name')}
        ${this.renderText('clinic-region', 'region', 'region', 'admin.hints.region')}
        ${this.renderText('clinic-time-zone', 'timeZone', 'timeZone', 'admin.hints.timeZone')}
        ${this.renderChoices('languages', ADMIN_LANGUAGES, (v) => this.languageName(v))}
        <div class="field">
          <label part="label" for="clinic-default-locale">${this.t('admin.fields.defaultLocale')}</label>
          <select part="input" id="clinic-default-locale" name="defaultLocale" aria-invalid=${this.forms.invalid('profile', 'defaultLocale')} aria-describedby=${this.forms.describedBy('profile', 'defaultLocale')}
            @change=${(e: Event) => this.updateProfile({ defaultLocale: (e.target as HTMLSelectElement).value })}>
            ${ADMIN_LANGUAGES.map((v) => html`<option value=${v} ?selected=${p.defaultLocale === v}>${this.languageName(v)}</option>`)}
          </select>
          ${this.fieldError('profile', 'defaultLocale')}
        </div>
        ${this.renderChoices('templates', TEMPLATE_IDS, (v) => this.t(`admin.templates.${v}`))}
        <div class="field">
          <label part="label" for="clinic-lifetime">${this.t('admin.fields.maxTokenLifetimeS')}</label>
          <p class="hint" id="clinic-lifetime-hint">${this.t('admin.hints.lifetime', { max: MAX_LIFETIME_MIN })}</p>
          <input part="input" id="clinic-lifetime" name="maxTokenLifetimeS" type="number" inputmode="numeric" min="1" max=${MAX_LIFETIME_MIN} step="1" .value=${p.lifetimeMinutes}
            aria-invalid=${this.forms.invalid('profile', 'maxTokenLifetimeS')} aria-describedby=${this.forms.describedBy('profile', 'maxTokenLifetimeS', 'clinic-lifetime-hint')}
            @input=${(e: Event) => this.updateProfile({ lifetimeMinutes: (e.target as HTMLInputElement).value })} />
          ${this.fieldError('profile', 'maxTokenLifetimeS')}
        </div>
        ${this.otherFieldErrors('profile')}
        <div class="actions">
          <button part="button save-button" class="primary" type="submit" ?disabled=${saving}>${saving ? this.t('admin.saving') : this.t('admin.profile.save')}</button>
        </div>
      </form>
    </section>`;
  }

  private renderOrigins() {
    const saving = this.forms.busy === 'origins';
    return html`<section class="part" part="section" data-section="origins" aria-labelledby="origins-title">
      <h3 id="origins-title">${this.t('admin.origins.title')}</h3>
      <p class="hint" id="origins-hint">${this.t('admin.origins.hint')}</p>
      ${this.origins.length === 0
        ? html`<p class="notice" part="notice">${this.t('admin.origins.empty')}</p>`
        : html`<ul class="origins" aria-labelledby="origins-title">
            ${this.origins.map(
              (o) => html`<li><bdi>${o}</bdi><button part="button" type="button" ?disabled=${saving} aria-label=${this.t('admin.origins.removeLabel', { origin: o })} @click=${() => void this.removeOrigin(o)}>${this.t('admin.origins.remove')}</button></li>`,
            )}
          </ul>`}
      <form novalidate aria-busy=${saving ? 'true' : 'false'} @submit=${(e: Event) => void this.addOrigin(e)}>
        <div class="field">
          <label part="label" for="new-origin">${this.t('admin.fields.origin')}</label>
          <input part="input" id="new-origin" name="origin" type="url" dir="ltr" autocomplete="off" .value=${this.newOrigin}
            aria-invalid=${this.forms.invalid('origins', 'origin')} aria-describedby=${this.forms.describedBy('origins', 'origin', 'origins-hint')}
            @input=${(e: Event) => (this.newOrigin = (e.target as HTMLInputElement).value)} />
          ${this.fieldError('origins', 'origin')}
        </div>
        ${this.otherFieldErrors('origins')}
        <div class="actions">
          <button part="button save-button" class="primary" type="submit" ?disabled=${saving}>${saving ? this.t('admin.saving') : this.t('admin.origins.add')}</button>
        </div>
      </form>
    </section>`;
  }

  private renderCounts(preview: RulesPreview) {
    const reasons = REASONS.filter((r) => (preview.flagged.reasons[r] ?? 0) > 0 || (preview.wouldFlag.reasons[r] ?? 0) > 0);
    const row = (label: string, now: number, would: number) => html`<tr>
      <th scope="row">${label}</th>
      <td class="number">${now}</td>
      <td class="number">${would}</td>
    </tr>`;
    return html`<div class="table-wrap" part="preview" role="region" aria-labelledby="preview-caption" tabindex="0">
      <table>
        <caption id="preview-caption">${this.t('admin.preview.caption', { count: preview.checkIns })}</caption>
        <thead>
          <tr>
            <th scope="col">${this.t('admin.preview.what')}</th>
            <th scope="col">${this.t('admin.preview.flagged')}</th>
            <th scope="col">${this.t('admin.preview.wouldFlag')}</th>
          </tr>
        </thead>
        <tbody>
          ${LEVELS.map((l) => row(this.t(`admin.levels.${l}`), preview.flagged[l], preview.wouldFlag[l]))}
          ${reasons.map((r) => row(this.t(`admin.reasons.${r}`), preview.flagged.reasons[r] ?? 0, preview.wouldFlag.reasons[r] ?? 0))}
        </tbody>
      </table>
    </div>
    <p class="meta" id="preview-summary">${this.t('admin.preview.summary', { count: preview.checkIns, changed: preview.levelChanged })}</p>`;
  }

  private renderRules() {
    const r = this.rules!;
    const saving = this.forms.busy === 'rules';
    const busy = saving || this.forms.busy === 'preview';
    const setRules = (patch: Partial<RulesDraft>) => {
      this.rules = { ...r, ...patch };
      this.preview = null;
    };
    return html`<section class="part" part="section" data-section="rules" aria-labelledby="rules-title">
      <h3 id="rules-title">${this.t('admin.rules.title')}</h3>
      <p class="hint">${this.t('admin.rules.hint')}</p>
      <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${(e: Event) => void this.saveRules(e)}>
        ${NUMERIC_RISK_RULES.map(
          (key) => html`<div class="field">
            <label part="label" for=${`rule-${key}`}>${this.t(`admin.fields.${key}`)}</label>
            <p class="hint" id=${`rule-${key}-hint`}>${this.t('admin.hints.default', { value: typeof this.defaults?.[key] === 'number' ? String(this.defaults[key]) : '' })}</p>
            <input part="input" id=${`rule-${key}`} name=${key} type="number" inputmode="numeric" min="0" max="100" .value=${r.numbers[key]}
              aria-invalid=${this.forms.invalid('rules', key)} aria-describedby=${this.forms.describedBy('rules', key, `rule-${key}-hint`)}
              @input=${(e: Event) => setRules({ numbers: { ...r.numbers, [key]: (e.target as HTMLInputElement).value } })} />
            ${this.fieldError('rules', key)}
          </div>`,
        )}
        ${BOOLEAN_RISK_RULES.map(
          (key) => html`<label class="check" part="label"><input part="choice" type="checkbox" name=${key} .checked=${r.flags[key]}
              @change=${(e: Event) => setRules({ flags: { ...r.flags, [key]: (e.target as HTMLInputElement).checked } })} /><span>${this.t(`admin.fields.${key}`)}</span></label>`,
        )}
        <div class="field">
          <label part="label" for="rule-selfHarmTerms">${this.t('admin.fields.selfHarmTerms')}</label>
          <p class="hint" id="rule-selfHarmTerms-hint">${this.t('admin.hints.selfHarmTerms')}</p>
          <textarea part="input" id="rule-selfHarmTerms" name="selfHarmTerms" rows="3" .value=${r.selfHarmTerms}
            aria-invalid=${this.forms.invalid('rules', 'selfHarmTerms')} aria-describedby=${this.forms.describedBy('rules', 'selfHarmTerms', 'rule-selfHarmTerms-hint')}
            @input=${(e: Event) => setRules({ selfHarmTerms: (e.target as HTMLTextAreaElement).value })}></textarea>
          ${this.fieldError('rules', 'selfHarmTerms')}
        </div>
        ${this.otherFieldErrors('rules')}
        <div class="actions">
          <button part="button" type="button" id="preview-rules" ?disabled=${busy} @click=${() => void this.previewRules()}>${this.forms.busy === 'preview' ? this.t('admin.preview.running') : this.t('admin.preview.run')}</button>
          <button part="button save-button" class="primary" type="submit" ?disabled=${busy}>${saving ? this.t('admin.saving') : this.t('admin.rules.save')}</button>
        </div>
      </form>
      ${this.preview ? this.renderCounts(this.preview) : nothing}
    </section>`;
  }

  private actor(actor: string): string {
    const [kind, ...rest] = actor.split(':');
    const user = rest.join(':');
    return kind === 'cli' ? this.t('admin.audit.byCli', { user }) : kind === 'admin' ? this.t('admin.audit.byAdmin', { user }) : actor;
  }

  private action(action: string): string {
    const key = `admin.actions.${action}`;
    return this.localize.t(key, { defaultValue: action });
  }

  private values(value: unknown) {
    return value === null || value === undefined ? html`<span class="meta">${this.t('admin.audit.none')}</span>` : html`<pre dir="ltr">${JSON.stringify(value, null, 1)}</pre>`;
  }

  private renderAudit() {
    return html`<section class="part" part="section" data-section="audit" aria-labelledby="audit-title">
      <h3 id="audit-title">${this.t('admin.audit.title')}</h3>
      ${this.audit.length === 0
        ? html`<p class="notice" part="notice">${this.t('admin.audit.empty')}</p>`
        : html`<div class="table-wrap" part="audit" role="region" aria-labelledby="audit-caption" tabindex="0">
            <table>
              <caption id="audit-caption">${this.t('admin.audit.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">${this.t('admin.audit.when')}</th>
                  <th scope="col">${this.t('admin.audit.who')}</th>
                  <th scope="col">${this.t('admin.audit.what')}</th>
                  <th scope="col">${this.t('admin.audit.before')}</th>
                  <th scope="col">${this.t('admin.audit.after')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.audit.map(
                  (c) => html`<tr>
                    <td><time datetime=${c.at}>${this.formatTime(c.at)}</time></td>
                    <td><bdi>${this.actor(c.actor)}</bdi></td>
                    <td>${this.action(c.action)}</td>
                    <td>${this.values(c.before)}</td>
                    <td>${this.values(c.after)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${this.auditNext !== null
            ? html`<div class="actions"><button part="button" type="button" ?disabled=${this.auditLoading} @click=${() => void this.moreAudit()}>${this.t('admin.audit.showMore')}</button></div>`
            : nothing}`}
    </section>`;
  }

  private renderBody() {
    if (!this.config.token) return html`<p class="notice" part="notice">${this.t('common.notConfigured')}</p>`;
    if (this.failure && (!this.clinic || this.failure.kind === 'forbidden' || this.failure.kind === 'signed-out')) {
      return renderFailure(this.failure, { t: this.t, messages: loadFailureMessages('admin'), retry: () => void this.loader.load() });
    }
    if (!this.clinic || !this.profile || !this.rules) {
      return html`<div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
        <p class="meta">${this.t('admin.loading')}</p>`;
    }
    return html`${this.failure ? renderFailure(this.failure, { t: this.t, messages: { default: this.failureNotice, offline: 'admin.offline' } }) : nothing}
      ${this.renderProfile()} ${this.renderOrigins()} ${this.renderRules()}
      <care-admin-crisis .endpoint=${this.config.endpoint} .token=${this.config.token ?? undefined} .locale=${this.config.locale} .tokenProvider=${this.tokenProvider}
        @care-admin-saved=${() => void this.refreshAudit()}></care-admin-crisis>
      ${this.renderAudit()}`;
  }

  protected override render() {
    return html`<section class=${this.themeClass} part="base" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="title">
      <h2 id="title" part="title">${this.clinic ? this.t('admin.titleOf', { name: this.clinic.name }) : this.t('admin.title')}</h2>
      ${this.renderBody()}
      ${this.clinic ? html`<care-admin-groups .endpoint=${this.endpoint} .token=${this.token} .locale=${this.locale} .theme=${this.theme} .tokenProvider=${this.tokenProvider}></care-admin-groups>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
    </section>`;
  }
}
