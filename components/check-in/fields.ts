import type { TFunction } from 'i18next';
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Answers } from '../../server/contract/check-in.js';
import type {
  ChoiceQuestion,
  MultiQuestion,
  NumberQuestion,
  Question,
  ScaleQuestion,
  TemplateId,
  TextQuestion,
} from '../../server/contract/templates.js';

interface FieldContext {
  templateId: TemplateId;
  answers: Answers;
  errors: Record<string, string>;
  t: TFunction;
  /** The language of the error messages when the questions are shown in another (the English form). */
  errorLang?: string | undefined;
}

const errorId = (q: Question) => `${q.id}-error`;
const hintId = (q: Question) => `${q.id}-hint`;

function text(ctx: FieldContext, q: Question, part: string): string {
  return ctx.t(`templates.${ctx.templateId}.${q.id}.${part}`, { defaultValue: '' });
}

function describedBy(ctx: FieldContext, q: Question, extra: string[] = []): string | undefined {
  const ids = [...extra];
  if (text(ctx, q, 'hint')) ids.push(hintId(q));
  if (ctx.errors[q.id]) ids.push(errorId(q));
  return ids.length ? ids.join(' ') : undefined;
}

function label(ctx: FieldContext, q: Question) {
  return html`${text(ctx, q, 'label')}${q.required ? nothing : html` <span class="optional">(${ctx.t('common.optional')})</span>`}`;
}

function hintAndError(ctx: FieldContext, q: Question) {
  const hint = text(ctx, q, 'hint');
  const error = ctx.errors[q.id];
  return html`${hint ? html`<p class="hint" part="hint" id=${hintId(q)}>${hint}</p>` : nothing}
    ${error ? html`<p class="error" part="error" id=${errorId(q)} lang=${ifDefined(ctx.errorLang)}>${error}</p>` : nothing}`;
}

function radios(ctx: FieldContext, q: Question, options: { value: string; label: string }[], layout: string, extraHint: string[] = []) {
  const current = ctx.answers[q.id];
  const invalid = ctx.errors[q.id] ? 'true' : 'false';
  return html`
    <fieldset class="field ${layout}" part="field" data-question=${q.id}>
      <legend part="label">${label(ctx, q)}</legend>
      ${hintAndError(ctx, q)}
      <div class="options">
        ${options.map(
          (o) => html`<label part="option" class="option">
            <input
              part="choice"
              type="radio"
              name=${q.id}
              .value=${o.value}
              .checked=${String(current) === o.value}
              ?required=${q.required}
              aria-invalid=${invalid}
              aria-describedby=${ifDefined(describedBy(ctx, q, extraHint))}
            /><span>${o.label}</span>
          </label>`,
        )}
      </div>
    </fieldset>
  `;
}

function scale(ctx: FieldContext, q: ScaleQuestion) {
  const values = Array.from({ length: q.max - q.min + 1 }, (_, i) => q.min + i);
  if (q.scale === 'zeroToTen') {
    const endsId = `${q.id}-ends`;
    return html`${radios(
      ctx,
      q,
      values.map((v) => ({ value: String(v), label: String(v) })),
      'scale numeric',
      [endsId],
    )}<p class="scale-ends" id=${endsId} part="scale-ends">
        <span>${text(ctx, q, 'min')}</span><span>${text(ctx, q, 'max')}</span>
      </p>`;
  }
  const labels = ctx.t(`scales.${q.scale}`, { returnObjects: true }) as unknown as string[];
  return radios(
    ctx,
    q,
    values.map((v) => ({ value: String(v), label: labels[v - q.min] ?? String(v) })),
    'scale worded',
  );
}

function choice(ctx: FieldContext, q: ChoiceQuestion) {
  return radios(
    ctx,
    q,
    q.options.map((value) => ({ value, label: text(ctx, q, `options.${value}`) })),
    'choice',
  );
}

function multi(ctx: FieldContext, q: MultiQuestion) {
  const chosen = new Set(Array.isArray(ctx.answers[q.id]) ? (ctx.answers[q.id] as string[]) : []);
  return html`
    <fieldset class="field multi" part="field" data-question=${q.id}>
      <legend part="label">${label(ctx, q)}</legend>
      ${hintAndError(ctx, q)}
      <div class="options">
        ${q.options.map(
          (value) => html`<label part="option" class="option">
            <input
              part="choice"
              type="checkbox"
              name=${q.id}
              .value=${value}
              .checked=${chosen.has(value)}
              aria-describedby=${ifDefined(describedBy(ctx, q))}
            /><span>${text(ctx, q, `options.${value}`)}</span>
          </label>`,
        )}
      </div>
    </fieldset>
  `;
}

function numberField(ctx: FieldContext, q: NumberQuestion) {
  const value = ctx.answers[q.id];
  const unitId = `${q.id}-unit`;
  return html`
    <div class="field number" part="field" data-question=${q.id}>
      <label part="label" for=${q.id}>${label(ctx, q)}</label>
      ${hintAndError(ctx, q)}
      <div class="number-row">
        <input
          id=${q.id}
          name=${q.id}
          type="number"
          inputmode="decimal"
          min=${q.min}
          max=${q.max}
          step=${q.step}
          .value=${value === undefined ? '' : String(value)}
          ?required=${q.required}
          aria-invalid=${ctx.errors[q.id] ? 'true' : 'false'}
          aria-describedby=${describedBy(ctx, q, [unitId]) ?? unitId}
          part="input"
        />
        <span id=${unitId}>${ctx.t(`units.${q.unit}`)}</span>
      </div>
    </div>
  `;
}

function textField(ctx: FieldContext, q: TextQuestion) {
  const value = typeof ctx.answers[q.id] === 'string' ? (ctx.answers[q.id] as string) : '';
  const countId = `${q.id}-count`;
  return html`
    <div class="field text" part="field" data-question=${q.id}>
      <label part="label" for=${q.id}>${label(ctx, q)}</label>
      ${hintAndError(ctx, q)}
      <textarea
        id=${q.id}
        name=${q.id}
        rows="3"
        maxlength=${q.maxLength}
        .value=${value}
        aria-invalid=${ctx.errors[q.id] ? 'true' : 'false'}
        aria-describedby=${describedBy(ctx, q, [countId]) ?? countId}
        part="input"
      ></textarea>
      <p class="count" id=${countId}>${ctx.t('checkIn.charCount', { count: value.length, max: q.maxLength })}</p>
    </div>
  `;
}

export function renderQuestion(ctx: FieldContext, q: Question): TemplateResult {
  switch (q.kind) {
    case 'scale':
      return scale(ctx, q);
    case 'choice':
      return choice(ctx, q);
    case 'multi':
      return multi(ctx, q);
    case 'number':
      return numberField(ctx, q);
    case 'text':
      return textField(ctx, q);
  }
}

/** Reads the answer a form control now holds, in the type the contract expects. */
export function answerFrom(control: HTMLInputElement | HTMLTextAreaElement, q: Question): Answers[string] {
  switch (q.kind) {
    case 'scale':
      return Number(control.value);
    case 'choice':
      return control.value;
    case 'number': {
      const n = (control as HTMLInputElement).valueAsNumber;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'text':
      return control.value === '' ? undefined : control.value;
    case 'multi': {
      const form = (control as HTMLInputElement).form;
      const boxes = form ? [...form.querySelectorAll<HTMLInputElement>(`input[name="${q.id}"]`)] : [];
      return boxes.filter((box) => box.checked).map((box) => box.value);
    }
  }
}
