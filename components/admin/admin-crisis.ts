import { css, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import {
  ADMIN_LANGUAGES,
  ADMIN_MAX_ON_CALL_WINDOWS,
  type AdminCrisisView,
  type AdminHotline,
  type AdminHotlines,
  type AdminOnCallWindow,
  type AdminWebhookTestResult,
} from '../../server/contract/admin.js';
import { CareElement } from '../core/care-element.js';
import { defineElement } from '../core/define.js';
import { renderFailure, type Failure } from '../core/failure.js';
import { tokens, widgetBox } from '../core/theme.js';
import { adminStyles } from './admin.styles.js';
import { SectionForms } from './section-forms.js';
import { SectionLoader } from './section-loader.js';

/** The crisis form as typed. */
export interface CrisisDraft {
  windows: AdminOnCallWindow[];
  timeZone: string;
  phone: string;
  webhookUrl: string;
}

export interface HotlineDraft {
  name: string;
  call: string;
  text: string;
  url: string;
  hours: string;
  language: string;
}

/** The forms of the crisis set-up; each keeps its own refused fields. */
type CrisisForm = 'crisis' | 'hotlines';

/** `onCallHours.0.end` → `onCallHours-0-end-error`: the id of the message next to that field. */
const errorIdOf = (field: string): string => `${field.replace(/\./g, '-')}-error`;
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const emptyHotline = (): HotlineDraft => ({ name: '', call: '', text: '', url: '', hours: '', language: 'en' });

/** Refused fields of the crisis form, named as the server names them (`onCallHours.0.end`). */
export function checkCrisis(draft: CrisisDraft): string[] {
  const bad: string[] = [];
  draft.windows.forEach((w, i) => {
    if (w.days.length === 0) bad.push(`onCallHours.${i}.days`);
    if (!HHMM.test(w.start)) bad.push(`onCallHours.${i}.start`);
    if (!(HHMM.test(w.end) || w.end === '24:00') || (HHMM.test(w.start) && w.end <= w.start)) bad.push(`onCallHours.${i}.end`);
  });
  if (draft.phone.trim() && !/^\+?[0-9(][0-9 ().-]{1,28}[0-9]$/.test(draft.phone.trim())) bad.push('onCallPhone');
  const url = draft.webhookUrl.trim();
  if (url && !/^https:\/\/\S+$|^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/\S*)?$/.test(url)) bad.push('webhookUrl');
  return bad;
}

export function checkHotline(draft: HotlineDraft): string[] {
  const bad: string[] = [];
  if (!draft.name.trim()) bad.push('name');
  if (!draft.call.trim() && !draft.text.trim() && !draft.url.trim()) bad.push('call');
  if (draft.url.trim() && !/^https:\/\/\S+$/.test(draft.url.trim())) bad.push('url');
  return bad;
}

/**
 * The crisis set-up of `<care-admin>`: on-call hours, time zone and phone; the crisis webhook (its
 * URL, a test alert showing the receiver's answer, a new signing secret shown once); and the crisis
 * lines clients see — the region's, read-only, and the clinic's own, which the admin adds and
 * removes. Rendered by `<care-admin>` with its endpoint, token and locale; usable alone the same way.
 *
 * @summary Crisis set-up for a clinic's admin.
 * @tag care-admin-crisis
 *
 * @event {CustomEvent<CareAdminSavedDetail>} care-admin-saved - A crisis change was saved. `detail: { section: 'crisis'|'hotlines', action }`.
 * @event {CustomEvent<CareAdminRefusedDetail>} care-admin-refused - Values were refused; nothing was changed. `detail: { section, fields }`.
 * @event {CustomEvent<CareAdminWebhookTestedDetail>} care-admin-webhook-tested - A test alert was sent. `detail: { ok, statusCode, error }`.
 * @event {CustomEvent<CareErrorDetail>} care-error - The crisis set-up could not be loaded or a call failed for another reason (not a refusal). `detail: { kind, message }`.
 *
 * @csspart section - Each part (on-call, webhook, hotlines).
 * @csspart test-result - The receiver's answer to a test alert.
 * @csspart secret - A new webhook secret, shown once.
 * @csspart status - The live region announcing results.
 */
export class CareAdminCrisis extends CareElement {
  static override styles = [
    tokens,
    widgetBox,
    adminStyles,
    css`
      :host {
        display: block;
      }
      .window {
        display: grid;
        gap: 0.5rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.5rem var(--_space);
      }
      .times {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: end;
      }
      ul.lines {
        list-style: none;
        padding: 0;
        margin: 0 0 0.75rem;
        display: grid;
        gap: 0.5rem;
      }
      ul.lines li {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.25rem 0.5rem;
        overflow-wrap: anywhere;
      }
      code.secret {
        display: block;
        font-size: 1rem;
        overflow-wrap: anywhere;
        user-select: all;
      }
    `,
  ];

  @state() private crisis: AdminCrisisView | null = null;
  @state() private draft: CrisisDraft | null = null;
  @state() private hotlines: AdminHotlines | null = null;
  @state() private hotlineDraft: HotlineDraft = emptyHotline();
  @state() private testResult: AdminWebhookTestResult | null = null;
  @state() private secret: string | null = null;
  @state() private failure: Failure | null = null;
  /** What the notice says of a failure once the set-up is shown: which call failed (a save or a reload). */
  @state() private failureNotice: 'admin.saveFailed' | 'admin.loadFailed' = 'admin.saveFailed';

  /** The on-call and hotline forms (the webhook's test and new secret belong to the on-call one). */
  private readonly forms = new SectionForms<CrisisForm, CrisisForm | 'test' | 'secret'>(this, {
    sectionOf: (task) => (task === 'hotlines' ? 'hotlines' : 'crisis'),
    selector: (section) => `[data-section="${section}"]`,
    errorId: (_section, field) => errorIdOf(field),
    label: (field) => this.label(field),
    refusedKey: 'admin.refused',
    saveFailedKey: 'admin.saveFailed',
    refused: (section, fields) => this.emit('care-admin-refused', { section, fields }),
    // The server names fields as this form does (`onCallHours.0.end`); its words stand where the form has none.
    field: (error) => [error.path, error.message],
    showFailure: (failure) => {
      this.failure = failure;
      this.failureNotice = 'admin.saveFailed';
    },
  });

  private readonly loader = new SectionLoader(this, {
    args: () => [this.token, this.endpoint, this.provided],
    ready: () => Boolean(this.config.token),
    load: async (signal) => {
      const [crisis, hotlines] = await Promise.all([
        this.api.admin.crisis.query(undefined, { signal }),
        this.api.admin.hotlines.query(undefined, { signal }),
      ]);
      this.showCrisis(crisis);
      this.hotlines = hotlines;
      this.failure = null;
    },
    failed: (failure) => {
      this.failure = failure;
      this.failureNotice = 'admin.loadFailed';
      this.announce(this.t('admin.loadFailed'));
      this.emit('care-error', { kind: failure.kind, message: failure.message });
    },
  });

  private showCrisis(crisis: AdminCrisisView): void {
    this.crisis = crisis;
    this.draft = { windows: crisis.onCallHours.map((w) => ({ ...w, days: [...w.days] })), timeZone: crisis.onCallTimeZone ?? '', phone: crisis.onCallPhone ?? '', webhookUrl: crisis.webhookUrl ?? '' };
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const draft = this.draft;
    if (!draft || this.forms.busy) return;
    const bad = checkCrisis(draft);
    if (bad.length) return this.forms.refuse('crisis', bad);
    await this.forms.run(
      'crisis',
      () => this.api.admin.setCrisis.mutate({ onCallHours: draft.windows, onCallTimeZone: draft.timeZone.trim() || null, onCallPhone: draft.phone.trim() || null, webhookUrl: draft.webhookUrl.trim() || null }),
      (result) => {
        this.showCrisis(result.crisis);
        if (result.webhookSecret) this.secret = result.webhookSecret;
        this.announce(this.t(Object.keys(result.changed.after).length ? 'admin.crisis.saved' : 'admin.crisis.unchanged') + (result.webhookSecret ? ` ${this.t('admin.crisis.secretShown')}` : ''));
        this.emit('care-admin-saved', { section: 'crisis', action: 'set' });
      },
    );
  }

  private async test(): Promise<void> {
    if (this.forms.busy) return;
    this.testResult = null;
    await this.forms.run('test', () => this.api.admin.testCrisisWebhook.mutate(), (result) => {
      this.testResult = result;
      this.announce(this.testWords(result));
      this.emit('care-admin-webhook-tested', { ok: result.ok, statusCode: result.statusCode, error: result.error });
    });
  }

  private async rotate(): Promise<void> {
    await this.forms.run('secret', () => this.api.admin.rotateCrisisSecret.mutate(), (result) => {
      this.secret = result.secret;
      this.crisis = result.crisis;
      this.announce(this.t('admin.crisis.secretRotated'));
      this.emit('care-admin-saved', { section: 'crisis', action: 'rotate' });
    });
  }

  private async addHotline(event: Event): Promise<void> {
    event.preventDefault();
    if (this.forms.busy) return;
    const d = this.hotlineDraft;
    const bad = checkHotline(d);
    if (bad.length) return this.forms.refuse('hotlines', bad);
    await this.forms.run(
      'hotlines',
      () => this.api.admin.addHotline.mutate({ name: d.name.trim(), call: d.call.trim() || null, text: d.text.trim() || null, url: d.url.trim() || null, hours: d.hours.trim() || '24/7', language: d.language }),
      (result) => {
        this.hotlines = this.hotlines ? { ...this.hotlines, clinicLines: result.clinicLines } : this.hotlines;
        this.hotlineDraft = emptyHotline();
        this.announce(this.t('admin.hotlines.added', { name: result.hotline.name }));
        this.emit('care-admin-saved', { section: 'hotlines', action: 'add' });
      },
    );
  }

  private async removeHotline(line: AdminHotline): Promise<void> {
    await this.forms.run('hotlines', () => this.api.admin.removeHotline.mutate({ id: line.id }), (result) => {
      this.hotlines = this.hotlines ? { ...this.hotlines, clinicLines: result.clinicLines } : this.hotlines;
      this.announce(this.t('admin.hotlines.removed', { name: result.hotline.name }));
      this.emit('care-admin-saved', { section: 'hotlines', action: 'remove' });
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#hotline-name')?.focus());
    });
  }

  /** The receiver's answer in words: its status and body, or why there was none. */
  private testWords(r: AdminWebhookTestResult): string {
    if (r.statusCode !== null) return this.t(r.ok ? 'admin.crisis.test.answered' : 'admin.crisis.test.answeredNotOk', { status: r.statusCode, ms: r.durationMs });
    return this.t(`admin.crisis.test.error.${r.error ?? 'network'}`);
  }

  /** `onCallHours.1.end` → "On-call window 2: ends"; other fields by name. */
  private label(field: string): string {
    const m = /^onCallHours\.(\d+)\.(days|start|end)$/.exec(field);
    if (m) return this.t(`admin.crisis.fields.window_${m[2]}`, { n: Number(m[1]) + 1 });
    return this.t(`admin.crisis.fields.${field}`, { defaultValue: field });
  }

  private errorOf(section: CrisisForm, field: string): TemplateResult | typeof nothing {
    const errors = this.forms.errorsOf(section);
    if (!errors.has(field)) return nothing;
    const key = field.replace(/^onCallHours\.\d+\./, 'window_');
    return html`<p class="error" part="field-error" id=${errorIdOf(field)}>${this.t(`admin.crisis.errors.${key}`, { defaultValue: errors.get(field) ?? field })}</p>`;
  }

  private dayName(day: number): string {
    // 2024-01-01 was a Monday.
    try {
      return new Intl.DateTimeFormat(this.config.locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
    } catch {
      return String(day);
    }
  }

  private setWindow(i: number, patch: Partial<AdminOnCallWindow>): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, windows: this.draft.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) };
  }

  private renderWindow(w: AdminOnCallWindow, i: number) {
    const n = i + 1;
    const at = `onCallHours.${i}`;
    return html`<fieldset class="window" data-window=${i}>
      <legend part="label">${this.t('admin.crisis.window', { n })}</legend>
      <fieldset aria-invalid=${this.forms.invalid('crisis', `${at}.days`)} aria-describedby=${this.forms.describedBy('crisis', `${at}.days`)}>
        <legend part="label">${this.t('admin.crisis.days')}</legend>
        <div class="choices">
          ${[1, 2, 3, 4, 5, 6, 7].map(
            (d) => html`<label class="check" part="label"><input part="choice" type="checkbox" name=${`${at}.days`} value=${d} .checked=${w.days.includes(d)}
                @change=${(e: Event) => this.setWindow(i, { days: (e.target as HTMLInputElement).checked ? [...new Set([...w.days, d])].sort() : w.days.filter((x) => x !== d) })} /><span>${this.dayName(d)}</span></label>`,
          )}
        </div>
        ${this.errorOf('crisis', `${at}.days`)}
      </fieldset>
      <div class="times">
        ${(['start', 'end'] as const).map(
          (k) => html`<div class="field">
            <label part="label" for=${`window-${i}-${k}`}>${this.t(`admin.crisis.${k}`)}</label>
            <input part="input" id=${`window-${i}-${k}`} type="time" dir="ltr" .value=${w[k] === '24:00' ? '23:59' : w[k]} aria-invalid=${this.forms.invalid('crisis', `${at}.${k}`)} aria-describedby=${this.forms.describedBy('crisis', `${at}.${k}`)}
              @input=${(e: Event) => this.setWindow(i, { [k]: (e.target as HTMLInputElement).value })} />
            ${this.errorOf('crisis', `${at}.${k}`)}
          </div>`,
        )}
        <button part="button" type="button" aria-label=${this.t('admin.crisis.removeWindowLabel', { n })}
          @click=${() => this.draft && (this.draft = { ...this.draft, windows: this.draft.windows.filter((_, j) => j !== i) })}>${this.t('admin.crisis.removeWindow')}</button>
      </div>
    </fieldset>`;
  }

  private renderText(id: string, field: 'timeZone' | 'phone' | 'webhookUrl', errorField: string, type = 'text') {
    const d = this.draft!;
    return html`<div class="field">
      <label part="label" for=${id}>${this.t(`admin.crisis.fields.${errorField}`)}</label>
      <p class="hint" id=${`${id}-hint`}>${this.t(`admin.crisis.hints.${errorField}`)}</p>
      <input part="input" id=${id} type=${type} dir=${type === 'text' ? nothing : 'ltr'} autocomplete="off" .value=${d[field]} aria-invalid=${this.forms.invalid('crisis', errorField)} aria-describedby=${this.forms.describedBy('crisis', errorField, `${id}-hint`)}
        @input=${(e: Event) => (this.draft = { ...d, [field]: (e.target as HTMLInputElement).value })} />
      ${this.errorOf('crisis', errorField)}
    </div>`;
  }

  private renderOnCall() {
    const d = this.draft!;
    const saving = this.forms.busy === 'crisis';
    return html`<section class="part" part="section" data-section="crisis" aria-labelledby="crisis-title">
      <h3 id="crisis-title">${this.t('admin.crisis.title')}</h3>
      <p class="hint">${this.t('admin.crisis.hint')}</p>
      <form novalidate aria-busy=${saving ? 'true' : 'false'} @submit=${(e: Event) => void this.save(e)}>
        ${d.windows.length === 0 ? html`<p class="notice" part="notice">${this.t('admin.crisis.noWindows')}</p>` : d.windows.map((w, i) => this.renderWindow(w, i))}
        <div class="actions">
          <button part="button" type="button" id="add-window" ?disabled=${d.windows.length >= ADMIN_MAX_ON_CALL_WINDOWS}
            @click=${() => (this.draft = { ...d, windows: [...d.windows, { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] })}>${this.t('admin.crisis.addWindow')}</button>
        </div>
        ${this.renderText('on-call-time-zone', 'timeZone', 'onCallTimeZone')}
        ${this.renderText('on-call-phone', 'phone', 'onCallPhone', 'tel')}
        ${this.renderText('webhook-url', 'webhookUrl', 'webhookUrl', 'url')}
        <div class="actions">
          <button part="button save-button" class="primary" type="submit" ?disabled=${saving}>${saving ? this.t('admin.saving') : this.t('admin.crisis.save')}</button>
        </div>
      </form>
      ${this.renderWebhook()}
    </section>`;
  }

  private renderWebhook() {
    const c = this.crisis!;
    const r = this.testResult;
    return html`<h4 id="webhook-title">${this.t('admin.crisis.webhookTitle')}</h4>
      <p class="meta" id="webhook-state">${c.webhookUrl ? this.t(c.webhookSecretSet ? 'admin.crisis.webhookOn' : 'admin.crisis.webhookNoSecret') : this.t('admin.crisis.webhookOff')}</p>
      <div class="actions">
        <button part="button" type="button" id="test-webhook" ?disabled=${!c.webhookUrl || this.forms.busy !== null} aria-describedby="webhook-state" @click=${() => void this.test()}>
          ${this.forms.busy === 'test' ? this.t('admin.crisis.test.sending') : this.t('admin.crisis.test.send')}
        </button>
        <button part="button" type="button" id="rotate-secret" ?disabled=${this.forms.busy !== null} @click=${() => void this.rotate()}>${this.t('admin.crisis.rotate')}</button>
      </div>
      ${r
        ? html`<div class="notice ${r.ok ? '' : 'warning'}" part="test-result" id="test-result">
            <p>${this.testWords(r)}</p>
            ${r.bodyExcerpt ? html`<p>${this.t('admin.crisis.test.body')}</p><pre dir="ltr">${r.bodyExcerpt}</pre>` : nothing}
          </div>`
        : nothing}
      ${this.secret
        ? html`<div class="notice warning" part="secret" id="new-secret">
            <p>${this.t('admin.crisis.secretOnce')}</p>
            <code class="secret" dir="ltr">${this.secret}</code>
            <div class="actions"><button part="button" type="button" @click=${() => (this.secret = null)}>${this.t('admin.crisis.secretDone')}</button></div>
          </div>`
        : nothing}`;
  }

  private lineText(l: { call?: string | null; callDisplay?: string; text?: string | null; chat?: string; url?: string | null; hours: string }) {
    const call = l.callDisplay ?? l.call;
    return [call ? this.t('admin.hotlines.call', { number: call }) : '', l.text ? this.t('admin.hotlines.text', { number: l.text }) : '', l.chat ?? l.url ?? '', l.hours].filter(Boolean).join(' · ');
  }

  private languageName(code: string): string {
    try {
      return new Intl.DisplayNames([this.config.locale], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  }

  private renderHotlines() {
    const h = this.hotlines!;
    const d = this.hotlineDraft;
    const busy = this.forms.busy === 'hotlines';
    const input = (field: keyof HotlineDraft, type = 'text') => html`<div class="field">
      <label part="label" for=${`hotline-${field}`}>${this.t(`admin.hotlines.fields.${field}`)}</label>
      <input part="input" id=${`hotline-${field}`} type=${type} dir=${type === 'text' ? nothing : 'ltr'} autocomplete="off" .value=${d[field]}
        aria-invalid=${this.forms.invalid('hotlines', field)} aria-describedby=${this.forms.describedBy('hotlines', field)}
        @input=${(e: Event) => (this.hotlineDraft = { ...d, [field]: (e.target as HTMLInputElement).value })} />
      ${this.errorOf('hotlines', field)}
    </div>`;
    return html`<section class="part" part="section" data-section="hotlines" aria-labelledby="hotlines-title">
      <h3 id="hotlines-title">${this.t('admin.hotlines.title')}</h3>
      <h4 id="region-lines-title">${this.t('admin.hotlines.region', { region: h.region, emergency: h.emergency })}</h4>
      <ul class="lines" aria-labelledby="region-lines-title">
        ${h.regionLines.map((l) => html`<li><span><bdi>${l.name}</bdi> — <bdi>${this.lineText(l)}</bdi></span></li>`)}
      </ul>
      <h4 id="clinic-lines-title">${this.t('admin.hotlines.own')}</h4>
      ${h.clinicLines.length === 0
        ? html`<p class="notice" part="notice">${this.t('admin.hotlines.none')}</p>`
        : html`<ul class="lines" aria-labelledby="clinic-lines-title">
            ${h.clinicLines.map(
              (l) => html`<li>
                <span><bdi>${l.name}</bdi> — <bdi>${this.lineText(l)}</bdi> (${this.languageName(l.language)})</span>
                <button part="button" type="button" ?disabled=${busy} aria-label=${this.t('admin.hotlines.removeLabel', { name: l.name })} @click=${() => void this.removeHotline(l)}>${this.t('admin.hotlines.remove')}</button>
              </li>`,
            )}
          </ul>`}
      <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${(e: Event) => void this.addHotline(e)}>
        ${input('name')} ${input('call', 'tel')} ${input('text', 'tel')} ${input('url', 'url')} ${input('hours')}
        <div class="field">
          <label part="label" for="hotline-language">${this.t('admin.hotlines.fields.language')}</label>
          <select part="input" id="hotline-language" aria-invalid=${this.forms.invalid('hotlines', 'language')} @change=${(e: Event) => (this.hotlineDraft = { ...d, language: (e.target as HTMLSelectElement).value })}>
            ${ADMIN_LANGUAGES.map((v) => html`<option value=${v} ?selected=${d.language === v}>${this.languageName(v)}</option>`)}
          </select>
          ${this.errorOf('hotlines', 'language')}
        </div>
        <div class="actions">
          <button part="button save-button" class="primary" type="submit" ?disabled=${busy}>${busy ? this.t('admin.saving') : this.t('admin.hotlines.add')}</button>
        </div>
      </form>
    </section>`;
  }

  protected override render() {
    if (!this.config.token) return nothing;
    const body =
      this.failure && !this.crisis
        ? renderFailure(this.failure, { t: this.t, messages: { default: 'admin.loadFailed', offline: 'admin.offline' }, retry: () => void this.loader.load() })
        : !this.crisis || !this.draft || !this.hotlines
          ? html`<p class="meta">${this.t('admin.loading')}</p>`
          : html`${this.failure ? renderFailure(this.failure, { t: this.t, messages: { default: this.failureNotice, offline: 'admin.offline' } }) : nothing}
              ${this.renderOnCall()} ${this.renderHotlines()}`;
    return html`<div lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing}>
      ${body}
      <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
    </div>`;
  }
}

defineElement('care-admin-crisis', CareAdminCrisis);

declare global {
  interface HTMLElementTagNameMap {
    'care-admin-crisis': CareAdminCrisis;
  }
}
