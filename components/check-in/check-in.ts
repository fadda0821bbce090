import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Answers, SubmitCheckInInput, SubmitCheckInResult } from '../../server/contract/check-in.js';
import { crisisInfoFor } from '../../server/contract/hotlines.js';
import type { Language } from '../../server/contract/languages.js';
import { isAsked, TEMPLATES, type CheckInTemplate, type Question, type TemplateId } from '../../server/contract/templates.js';
import { failureOf, localFailure, type Failure } from '../core/failure.js';
import type { CareQueuedReason } from './events.js';
import { CareElement } from '../core/care-element.js';
import { renderCrisisLines } from '../core/crisis-lines.js';
import { loadDraft, removeDraft, saveDraft } from '../core/offline-store.js';
import { OutboxController, outboxEvents, type OutboxEventDetail } from '../core/outbox.js';
import { diagnoseNetworkFailure } from '../core/reachability.js';
import { tokens, widgetBox } from '../core/theme.js';
import { identityOf } from '../core/token.js';
import { uuid } from '../core/uuid.js';
import { checkInStyles } from './check-in.styles.js';
import { answerFrom, renderQuestion } from './fields.js';
import { cleanAnswers, serverFieldErrors, type FieldErrors } from './validation.js';

/** zod and the answer schemas are not needed to show the form: they load just after it renders. */
const schemaCheck = () => import('./schema-check.js');
import { onCallStatus } from '../crisis/on-call-text.js';
import checkIn from '../../locales/en/checkIn.json';
import scales from '../../locales/en/scales.json';
import templates from '../../locales/en/templates.json';
import { addEnglish, translatorFor } from '../core/i18n.js';

addEnglish({ checkIn, scales, templates });

/** The published English wording, for an instrument whose translation is unverified and not turned on. */
const englishT = translatorFor('en');

type Phase = 'editing' | 'submitting' | 'queued' | 'sent';
/** Why a check-in waits on the device: it decides what the person is told. */
type QueuedReason = CareQueuedReason;

interface Draft {
  answers: Answers;
  savedAt: number;
}

const DRAFT_SAVE_DELAY_MS = 250;

/**
 * A check-in form from the clinic's templates: the daily check-in, PHQ-9, GAD-7 or the Brief
 * Addiction Monitor. Keeps a draft on the device, sends when it can, and shows crisis help at once
 * when the answers call for it.
 *
 * @summary Daily check-in and standard questionnaires for a person in care.
 * @tag care-check-in
 *
 * @event {CustomEvent<CareSubmittedDetail>} care-submitted - The server stored the check-in. `detail: { result }`.
 * @event {CustomEvent<CareQueuedDetail>} care-queued - Saved on the device; it will be sent later. `detail: { clientRequestId, reason }`, `reason` is `offline` (no connection or server down), `origin-not-allowed` (the server refuses this site: CARE_ALLOWED_ORIGINS) or `signed-out` (sent once a new token arrives).
 * @event {CustomEvent<CareRiskDetail>} care-risk - The answers need the care team's attention. `detail: { level: 'elevated' | 'urgent', reasons, clientRequestId }`.
 * @event {CustomEvent<CareErrorDetail>} care-error - The check-in was refused, the person must sign in again, or the server does not allow this site's origin (`detail.reason: 'origin-not-allowed'`; the answers stay on the device). `detail: { kind, message, reason? }`.
 *
 * @csspart base - The widget's outer box.
 * @csspart title - The heading.
 * @csspart intro - The sentence under the heading.
 * @csspart form - The form.
 * @csspart field - One question.
 * @csspart group - Follow-up questions shown together under one heading (BAM 7A–7G, asked when item 6 is above 0; BAM item 5 is asked when item 4 is above 0).
 * @csspart label - A question's text.
 * @csspart hint - Help text under a question.
 * @csspart error - A question's error message.
 * @csspart input - A text or number box.
 * @csspart scale-ends - What the ends of a 0–10 scale mean.
 * @csspart submit-button - The send button.
 * @csspart status - The live region that announces results.
 * @csspart notice - Messages: queued, sent, signed out.
 * @csspart english-form - The note (also a `notice`) that a PHQ-9/GAD-7/BAM is shown in its published English form because the translation into the person's language is not checked yet.
 * @csspart crisis - Crisis help shown for urgent answers.
 * @csspart crisis-lines - The list of crisis lines.
 * @csspart crisis-link - One call, text or chat link.
 * @csspart button - Buttons without a more specific part (retry, cancel, secondary actions).
 * @csspart heading - Section headings inside the widget.
 * @csspart option - The box around one choice: a radio button or checkbox with its text.
 * @csspart choice - A radio button or checkbox.
 *
 * @cssproperty --care-color-primary - Buttons, selected answers, links and focus ring.
 * @cssproperty --care-color-on-primary - Text on the primary colour.
 * @cssproperty --care-color-surface - Background.
 * @cssproperty --care-color-surface-raised - Background of scale buttons and notices.
 * @cssproperty --care-color-text - Text.
 * @cssproperty --care-color-text-muted - Hints and secondary text.
 * @cssproperty --care-color-border - Borders of fields.
 * @cssproperty --care-color-danger - Errors and crisis border.
 * @cssproperty --care-radius - Corner radius.
 * @cssproperty --care-font-family - Font.
 * @cssproperty --care-space - Base spacing.
 * @cssproperty --care-focus-ring - Focus outline.
 * @cssproperty --care-check-in-max-width - Widest the form grows.
 */
export class CareCheckIn extends CareElement {
  static override styles = [tokens, widgetBox, checkInStyles];

  /** Which form: `daily` (default), `phq9`, `gad7` or `bam`. */
  @property() template: TemplateId = 'daily';

  /** The answers so far, keyed by question id. Set it to prefill the form (for example in a clinician-assisted check-in). */
  @property({ attribute: false }) answers: Answers = {};
  @state() private errors: FieldErrors = {};
  @state() private phase: Phase = 'editing';
  @state() private result: SubmitCheckInResult | null = null;
  @state() private failure: Failure | null = null;
  @state() private queuedReason: QueuedReason = 'offline';
  @state() private draftSaved = false;

  @query('form') private form?: HTMLFormElement;
  @query('.result') private resultPanel?: HTMLElement;

  private requestId: string | null = null;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private draftKeyLoaded: string | null = null;

  private readonly outbox = new OutboxController(this, () => ({
    endpoint: this.config.endpoint,
    token: this.config.token,
    api: this.api,
  }));

  /** The clinic's enabled forms and region; the built-in definitions serve while offline. */
  private readonly clinic = new Task(this, {
    // The endpoint is an argument so that a new server loads its forms; the call reads it from this.api.
    task: async ([, token], { signal }) => {
      if (!token) return null;
      return this.api.checkIn.templates.query(undefined, { signal });
    },
    args: () => [this.config.endpoint, this.config.token] as const,
  });

  /** When the care team answers, for the crisis box under an urgent check-in. */
  private readonly onCall = new Task(this, {
    task: async ([urgentRequest], { signal }) => {
      if (!urgentRequest) return null;
      return (await this.api.crisis.resources.query(undefined, { signal })).onCall;
    },
    args: () => [this.result?.risk.level === 'urgent' ? this.result.clientRequestId : null, this.config.token] as const,
  });

  private readonly onOutboxSent = (event: Event) => {
    const { item, result } = (event as CustomEvent<OutboxEventDetail>).detail;
    if (item.procedure !== 'checkIn.submit') return;
    const sent = result as SubmitCheckInResult;
    if (item.id === this.requestId) {
      this.showSent(sent);
    } else if (this.isMine(item)) {
      this.announce(this.t('checkIn.sentLater'));
      this.reportRisk(sent);
    }
  };

  private readonly onOutboxDropped = (event: Event) => {
    const { item, failure } = (event as CustomEvent<OutboxEventDetail>).detail;
    if (item.id !== this.requestId || !failure) return;
    this.requestId = null;
    this.phase = 'editing';
    this.failure = failure;
    this.errors = serverFieldErrors(this.definition, failure.fieldErrors, this.answers, this.t);
    this.announce(failure.kind === 'forbidden' ? this.t('checkIn.forbidden') : this.t('checkIn.rejected', { reason: failure.message }));
    this.emit('care-error', { kind: failure.kind, message: failure.message });
  };

  override connectedCallback(): void {
    super.connectedCallback();
    outboxEvents.addEventListener('sent', this.onOutboxSent);
    outboxEvents.addEventListener('dropped', this.onOutboxDropped);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    outboxEvents.removeEventListener('sent', this.onOutboxSent);
    outboxEvents.removeEventListener('dropped', this.onOutboxDropped);
    clearTimeout(this.draftTimer);
  }

  /** Shows every problem with the current answers, like a form's reportValidity(); true when there is none. */
  async reportValidity(): Promise<boolean> {
    const invalid = await this.validateAndShow();
    return invalid.length === 0;
  }

  /** Submits as the send button does: validates, then sends or saves on the device. */
  submit(): void {
    this.form?.requestSubmit();
  }

  /** Sends every check-in saved on this device now, instead of waiting for the next retry. */
  async sendPending(): Promise<void> {
    await this.outbox.flush();
  }

  private get definition(): CheckInTemplate {
    const fromServer = this.clinic.value?.templates.find((t) => t.id === this.template);
    return fromServer ?? TEMPLATES[this.template] ?? TEMPLATES.daily;
  }

  /**
   * The language the form is shown in: the person's own, unless it is a validated instrument whose
   * translation is unverified (the template's `provenance`) and the clinic has not turned it on
   * (`unverifiedTranslations`); then its published English form.
   */
  private get shownLanguage(): string {
    const language = this.localize.language;
    const { id, provenance } = this.definition;
    if (!provenance || provenance[language as keyof typeof provenance] === 'published') return language;
    return (this.clinic.value?.unverifiedTranslations ?? []).includes(`${id}:${language}`) ? language : 'en';
  }

  private get draftKey(): string | null {
    const who = identityOf(this.config.token);
    return who ? `${this.config.endpoint}|${who.clinic}|${who.sub}|${this.template}` : null;
  }

  private isMine(item: { endpoint: string; clinic: string; sub: string }): boolean {
    const who = identityOf(this.config.token);
    return !!who && item.endpoint === this.config.endpoint && item.clinic === who.clinic && item.sub === who.sub;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Only a switch to another form clears the answers; the first render keeps any prefill.
    if (changed.has('template') && changed.get('template') !== undefined) {
      this.errors = {};
      this.answers = {};
      // A result belongs to the form it was sent with; a queued one stays queued on the device.
      if (this.phase === 'sent' || this.phase === 'queued') this.resetResult();
    }
  }

  protected override firstUpdated(): void {
    // Building zod's schemas is a long task of its own: it waits until the page is idle (sending
    // waits for it in validateAndShow, and without it the server checks the answers).
    const load = () => void schemaCheck().catch(() => undefined);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 2_000 });
    else setTimeout(load, 0);
  }

  protected override updated(): void {
    const key = this.draftKey;
    if (key && key !== this.draftKeyLoaded) {
      this.draftKeyLoaded = key;
      void this.restoreDraft(key);
    }
  }

  private async restoreDraft(key: string): Promise<void> {
    const draft = await loadDraft<Draft>(key);
    if (draft && this.draftKey === key && Object.keys(this.answers).length === 0 && this.phase === 'editing') {
      this.answers = draft.answers;
      this.draftSaved = true;
    }
  }

  private scheduleDraftSave(): void {
    clearTimeout(this.draftTimer);
    const key = this.draftKey;
    if (!key) return;
    this.draftSaved = false;
    this.draftTimer = setTimeout(() => {
      void saveDraft<Draft>(key, { answers: this.answers, savedAt: Date.now() }).then(() => {
        this.draftSaved = true;
      });
    }, DRAFT_SAVE_DELAY_MS);
  }

  private onChange(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLTextAreaElement;
    const q = this.definition.questions.find((question) => question.id === control.name);
    if (!q) return;
    const asked = () => new Set(this.definition.questions.filter((question) => isAsked(question, this.answers)).map((question) => question.id));
    const before = asked();
    this.answers = { ...this.answers, [q.id]: answerFrom(control, q) };
    // Follow-up questions (BAM item 5 after item 4, 7A–7G after item 6) appear right after the answer
    // that opens them and leave when it goes back to 0: say which.
    const after = asked();
    const shown = this.definition.questions.filter((question) => after.has(question.id) && !before.has(question.id));
    if (shown.length > 0) this.announce(this.t(shown.some((question) => question.group) ? 'checkIn.followUpShown' : 'checkIn.followUpShownOne'));
    else if ([...before].some((id) => !after.has(id))) this.announce(this.t('checkIn.followUpHidden'));
    if (this.errors[q.id]) void this.recheck(q.id);
    this.scheduleDraftSave();
  }

  /** Clears or rewords the error of an answer the person just changed. */
  private async recheck(id: string): Promise<void> {
    const check = await schemaCheck().catch(() => null);
    if (!check || !this.errors[id]) return;
    const { [id]: _fixed, ...rest } = this.errors;
    const stillWrong = check.validateAnswers(this.definition, this.answers, this.t)[id];
    this.errors = stillWrong ? { ...rest, [id]: stillWrong } : rest;
  }


  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.phase === 'submitting') return;
    this.failure = null;
    const template = this.definition;
    if ((await this.validateAndShow()).length > 0) return;
    if (!identityOf(this.config.token)) {
      this.failure = localFailure('signed-out', 'no token');
      this.announce(this.t('common.signedOut'));
      this.emit('care-error', { kind: 'signed-out', message: 'No token' });
      return;
    }
    const input: SubmitCheckInInput = {
      clientRequestId: (this.requestId ??= uuid()),
      templateId: template.id,
      answers: cleanAnswers(template, this.answers),
      submittedAt: new Date().toISOString(),
      // What the person read; the server derives the provenance from it.
      language: this.localize.language as Language,
      shownLanguage: this.shownLanguage as Language,
    };
    this.phase = 'submitting';
    await this.outbox.enqueue({ id: input.clientRequestId, procedure: 'checkIn.submit', input });
    const key = this.draftKey;
    clearTimeout(this.draftTimer);
    if (key) await removeDraft(key);
    const failure = await this.outbox.flush();
    if (this.phase === 'submitting' && failure) await this.showQueued(input.clientRequestId, failure);
  }

  private async validateAndShow(): Promise<string[]> {
    // Without the schemas (the page went offline before they loaded) the server checks the answers on delivery.
    const check = await schemaCheck().catch(() => null);
    this.errors = check ? check.validateAnswers(this.definition, this.answers, this.t) : {};
    const invalid = Object.keys(this.errors);
    if (invalid.length > 0) {
      this.announce(this.t('checkIn.invalidSummary', { count: invalid.length }));
      await this.updateComplete;
      this.focusQuestion(invalid[0]!);
    }
    return invalid;
  }

  private async showQueued(clientRequestId: string, failure: Failure): Promise<void> {
    const reason: QueuedReason =
      failure.kind === 'signed-out' ? 'signed-out' : failure.kind === 'offline' ? await diagnoseNetworkFailure(this.config.endpoint) : 'offline';
    if (this.phase !== 'submitting') return;
    this.phase = 'queued';
    this.queuedReason = reason;
    this.failure = failure.kind === 'signed-out' ? failure : null;
    this.announce(this.queuedText());
    this.emit('care-queued', { clientRequestId, reason });
    if (reason === 'origin-not-allowed') {
      this.emit('care-error', { kind: 'origin-not-allowed', reason, message: failure.message });
    }
    void this.focusResult();
  }

  private queuedText(): string {
    if (this.queuedReason === 'signed-out') return `${this.t('common.signedOut')} ${this.t('checkIn.keptUntilSignIn')}`;
    if (this.queuedReason === 'origin-not-allowed') return this.t('checkIn.originNotAllowed');
    return this.t('checkIn.queued');
  }

  private showSent(result: SubmitCheckInResult): void {
    this.phase = 'sent';
    this.result = result;
    this.failure = null;
    const parts = [this.t('checkIn.sent'), this.scoreText(result)];
    if (result.risk.level === 'urgent') parts.push(this.t('crisis.title'));
    else if (result.risk.level === 'elevated') parts.push(this.t('checkIn.elevated'));
    this.announce(parts.filter(Boolean).join(' '));
    this.emit('care-submitted', { result });
    this.reportRisk(result);
    void this.focusResult();
  }

  private reportRisk(result: SubmitCheckInResult): void {
    if (result.risk.level === 'none') return;
    if (result.risk.level === 'urgent' && result.clientRequestId !== this.requestId) this.result = result;
    this.emit('care-risk', { level: result.risk.level, reasons: result.risk.reasons, clientRequestId: result.clientRequestId });
  }

  private scoreText(result: SubmitCheckInResult): string {
    const score = result.score;
    if (!score) return '';
    if (score.instrument === 'bam') return this.t('checkIn.bamScore', score);
    return this.t('checkIn.score', {
      instrument: score.instrument === 'phq9' ? 'PHQ-9' : 'GAD-7',
      total: score.total,
      max: score.max,
      severity: this.t(`severity.${score.severity}`),
    });
  }

  private async focusResult(): Promise<void> {
    await this.updateComplete;
    this.resultPanel?.focus();
  }

  private focusQuestion(id: string): void {
    const control = this.form?.querySelector<HTMLElement>(`[name="${id}"]:checked, [name="${id}"]`);
    control?.focus();
  }

  private resetResult(): void {
    this.phase = 'editing';
    this.result = null;
    this.failure = null;
    this.requestId = null;
  }

  private startAgain(): void {
    this.resetResult();
    this.answers = {};
    this.errors = {};
    this.draftSaved = false;
    void this.updateComplete.then(() => this.form?.querySelector<HTMLElement>('input, textarea')?.focus());
  }

  private renderForm(template: CheckInTemplate, english: boolean) {
    const submitting = this.phase === 'submitting';
    const ctx = { templateId: template.id, answers: this.answers, errors: this.errors, t: english ? englishT : this.t, errorLang: english ? this.localize.language : undefined };
    return html`
      <form part="form" novalidate @change=${this.onChange} @input=${this.onChange} @submit=${this.onSubmit} aria-busy=${submitting ? 'true' : 'false'}>
        <div class="questions" lang=${english ? 'en' : nothing} dir=${english ? 'ltr' : nothing}>${this.renderQuestions(template, ctx)}</div>
        <div class="actions">
          <button class="primary" part="submit-button" type="submit" ?disabled=${submitting}>
            ${submitting ? this.t('checkIn.submitting') : this.t('checkIn.submit')}
          </button>
          ${this.draftSaved ? html`<span class="draft">${this.t('checkIn.draftSaved')}</span>` : nothing}
        </div>
      </form>
    `;
  }

  /**
   * The questions asked now, in order; consecutive questions of one group (BAM 7A–7G) share a
   * fieldset whose legend is the group's stem, so a screen reader reads the stem with each.
   */
  private renderQuestions(template: CheckInTemplate, ctx: Parameters<typeof renderQuestion>[0]) {
    const asked = template.questions.filter((q) => isAsked(q, this.answers));
    const out = [];
    for (let i = 0; i < asked.length; i++) {
      const q = asked[i]!;
      if (!q.group) {
        out.push(renderQuestion(ctx, q));
        continue;
      }
      const members: Question[] = [];
      while (i < asked.length && asked[i]!.group === q.group) members.push(asked[i++]!);
      i--;
      out.push(html`<fieldset class="group" part="group" data-group=${q.group}>
        <legend part="label">${ctx.t(`templates.${template.id}.${q.group}.label`)}</legend>
        ${members.map((member) => renderQuestion(ctx, member))}
      </fieldset>`);
    }
    return out;
  }

  private renderResult() {
    const queued = this.phase === 'queued';
    const result = this.result;
    if (queued && this.queuedReason === 'signed-out') {
      // The only thing to do is sign in again: the answers go by themselves once a new token arrives.
      return html`<div class="result notice warning" part="notice" tabindex="-1">
        <p>${this.t('common.signedOut')}</p>
        <p>${this.t('checkIn.keptUntilSignIn')}</p>
      </div>`;
    }
    return html`
      <div class="result notice ${queued ? 'warning' : ''}" part="notice" tabindex="-1">
        <h3 part="heading">${queued ? this.t('checkIn.queuedHeading') : this.t('checkIn.sentHeading')}</h3>
        <p>${queued ? this.queuedText() : this.t('checkIn.thanks')}</p>
        ${result && !queued ? html`<p>${this.scoreText(result)}</p>` : nothing}
        ${result?.risk.level === 'elevated' && !queued ? html`<p>${this.t('checkIn.elevated')}</p>` : nothing}
        <div class="actions">
          ${queued ? html`<button part="button" type="button" @click=${() => void this.sendPending()}>${this.t('checkIn.sendNow')}</button>` : nothing}
          <button part="button" type="button" @click=${this.startAgain}>${this.t('checkIn.again')}</button>
        </div>
      </div>
    `;
  }

  private renderCrisis(result: SubmitCheckInResult) {
    const region = this.config.region ?? this.clinic.value?.region ?? null;
    return html`
      <section class="crisis" part="crisis" aria-labelledby="crisis-title">
        <h3 part="heading" id="crisis-title">${this.t('crisis.title')}</h3>
        <p>${this.t('crisis.body')}</p>
        ${renderCrisisLines(crisisInfoFor(this.config.locale, region), this.t, this.config.locale)}
        <p class="hint">${this.t('crisis.linesHours')}</p>
        <p>${this.t('crisis.careTeam')}</p>
        ${this.renderCareTeamHours()}
      </section>
      ${void result}
    `;
  }

  /** The hotlines are 24/7; the care team is not: say when the clinic's on-call line is staffed. */
  private renderCareTeamHours() {
    if (this.onCall.status === TaskStatus.PENDING || this.onCall.status === TaskStatus.INITIAL) return nothing;
    const status = this.onCall.status === TaskStatus.COMPLETE ? onCallStatus(this.onCall.value ?? null, this.config.locale, this.t) : '';
    return html`<p>${status || this.t('onCall.noHours')}</p>`;
  }

  private renderNotices() {
    const notices = [];
    // A refused token shows at once, before the person fills in the form, not only when they send it.
    const loadFailure = this.clinic.status === TaskStatus.ERROR ? failureOf(this.clinic.error) : null;
    const signedOut = this.failure?.kind === 'signed-out' || loadFailure?.kind === 'signed-out';
    // A check-in waiting for a new sign-in says so in its result: once is enough.
    if (signedOut) {
      if (!(this.phase === 'queued' && this.queuedReason === 'signed-out')) notices.push(this.t('common.signedOut'));
    } else if (this.failure?.kind === 'forbidden') notices.push(this.t('checkIn.forbidden'));
    else if (this.failure?.kind === 'invalid' || this.failure?.kind === 'not-found')
      notices.push(this.t('checkIn.rejected', { reason: this.failure.message }));
    if (this.outbox.pending > 0 && this.phase !== 'queued' && this.phase !== 'submitting') {
      notices.push(this.t('checkIn.pending', { count: this.outbox.pending }));
    }
    return notices.map((n) => html`<p class="notice warning" part="notice">${n}</p>`);
  }

  protected override render() {
    const template = this.definition;
    const unavailable = this.clinic.value && !this.clinic.value.templates.some((t) => t.id === this.template);
    const urgent = this.result?.risk.level === 'urgent' ? this.result : null;
    // An instrument whose translation is unverified: its published English form, the rest of the widget in the person's language.
    const english = this.shownLanguage !== this.localize.language;
    const formT = english ? englishT : this.t;
    return html`
      <section class=${this.themeClass} part="base" lang=${this.localize.language} dir=${this.localize.dir === 'rtl' ? 'rtl' : nothing} aria-labelledby="title">
        <h2 id="title" part="title" lang=${english ? 'en' : nothing} dir=${english ? 'ltr' : nothing}>${formT(`templates.${template.id}.title`)}</h2>
        ${urgent ? this.renderCrisis(urgent) : nothing}
        ${unavailable
          ? html`<p class="notice warning" part="notice">${this.t('checkIn.unknownTemplate')}</p>`
          : html`
              ${this.phase === 'editing' || this.phase === 'submitting'
                ? html`${english ? html`<p class="notice english-form" part="notice english-form">${this.t('checkIn.englishForm')}</p>` : nothing}
                    <p class="intro" part="intro" lang=${english ? 'en' : nothing} dir=${english ? 'ltr' : nothing}>${formT(`templates.${template.id}.intro`)}</p>
                    ${this.renderNotices()} ${this.renderForm(template, english)}`
                : html`${this.renderNotices()} ${this.renderResult()}`}
            `}
        <div class="visually-hidden" role="status" aria-live="polite" part="status">${this.announcement}</div>
      </section>
    `;
  }
}
