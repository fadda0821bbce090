import type { TFunction } from 'i18next';
import { html, nothing } from 'lit';
import type { Answers, CheckInRecord, CheckInWriteBack } from '../../../server/contract/check-in.js';
import { TEMPLATES, type Question } from '../../../server/contract/templates.js';
import { formatDateTime, formatNumber } from '../format.js';
import { listFormat } from '../../core/intl.js';
import { renderTranslationMark } from '../translation-mark.js';
import { answeredQuestions } from './answered-form.js';

/** The person's own words in a check-in (the daily note, the feedback comment), or null. Shown as text, never as markup. */
export function noteText(checkIn: CheckInRecord): string | null {
  const questions = TEMPLATES[checkIn.templateId]?.questions ?? [];
  const words = questions
    .filter((q) => q.kind === 'text')
    .map((q) => checkIn.answers[q.id])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return words.length > 0 ? words.join('\n\n') : null;
}

function answerText(templateId: string, q: Question, value: Answers[string], t: TFunction, locale: string): string {
  if (value === undefined || value === null) return t('record.checkIns.noAnswer');
  const option = (v: string) => t(`templates.${templateId}.${q.id}.options.${v}`, { defaultValue: v });
  switch (q.kind) {
    case 'scale':
      if (q.scale === 'zeroToTen') return `${formatNumber(Number(value), locale)} / ${formatNumber(q.max, locale)}`;
      return `${formatNumber(Number(value), locale)}: ${t(`scales.${q.scale}.${Number(value) - q.min}`, { defaultValue: '' })}`;
    case 'number':
      return `${formatNumber(Number(value), locale, 1)} ${t(`units.${q.unit}`)}`;
    case 'choice':
      return option(String(value));
    case 'multi': {
      const chosen = Array.isArray(value) ? value.map(option) : [];
      return chosen.length > 0 ? listFormat(locale).format(chosen) : t('record.checkIns.noneChosen');
    }
    case 'text':
      return String(value);
  }
}

function scoreText(c: CheckInRecord, t: TFunction): string | null {
  if (!c.score) return null;
  if (c.score.instrument === 'bam') return t('record.checkIns.bamScore', { use: c.score.use, risk: c.score.risk, protective: c.score.protective });
  return t('record.checkIns.score', {
    instrument: t(`record.instrument.${c.score.instrument}`),
    total: c.score.total,
    max: c.score.max,
    severity: t(`severity.${c.score.severity}`),
  });
}

/** The EHR by its host name (the FHIR base URL is long and says little more). */
function ehrName(iss: string): string {
  try {
    return new URL(iss).host;
  } catch {
    return iss;
  }
}

/** What became of the check-in's write-back to the EHR it was launched from (SMART); a refusal says why, in the EHR's words when it gave some. */
function writeBackText(w: CheckInWriteBack, t: TFunction): string {
  const ehr = ehrName(w.iss);
  if (w.status !== 'refused') return t(`record.checkIns.writeBack.${w.status}`, { ehr });
  const why = w.reason === 'token' ? t('record.checkIns.writeBack.token') : t('record.checkIns.writeBack.refusedStatus', { status: w.httpStatus ?? '?' });
  return `${t('record.checkIns.writeBack.refused', { ehr, why })}${w.detail ? ` (${w.detail})` : ''}`;
}

/** One check-in of the history: form, time, score, risk, the answers (open for daily check-ins) and the note. */
export function renderCheckIn(c: CheckInRecord, t: TFunction, locale: string) {
  const questions = answeredQuestions(c);
  // Answered on an earlier version of the form (BAM versions 1–2): said where the answers open.
  const current = TEMPLATES[c.templateId]?.version;
  const earlierVersion = current !== undefined && c.templateVersion !== current ? c.templateVersion : undefined;
  const score = scoreText(c, t);
  const note = noteText(c);
  const reasons = c.risk.reasons.map((r) => t(`alerts.reasons.${r}`));
  return html`<li class="check-in ${c.risk.level}">
    <article aria-labelledby="check-in-${c.id}">
      <h4 id="check-in-${c.id}">
        ${t(`templates.${c.templateId}.title`)} ·
        <time datetime=${c.submittedAt}>${formatDateTime(c.submittedAt, locale)}</time>
      </h4>
      ${score
        ? html`<p class="score">
            ${score}${c.score?.instrument === 'bam' ? html` <span class="score-meaning">${t('record.checkIns.bamMeaning')}</span>` : nothing}
          </p>`
        : nothing}
      ${renderTranslationMark(c, t, locale)}
      ${c.risk.level !== 'none'
        ? html`<p class="risk"><span class="badge ${c.risk.level}">${t(`alerts.level.${c.risk.level}`)}</span> ${listFormat(locale).format(reasons)}</p>`
        : nothing}
      ${c.writeBack
        ? html`<p class="write-back ${c.writeBack.status}" data-write-back=${c.writeBack.status}>${writeBackText(c.writeBack, t)}</p>`
        : nothing}
      ${note ? html`<div class="note"><h5>${t('record.checkIns.note')}</h5><p class="note-text" dir="auto">${note}</p></div>` : nothing}
      ${questions.length > 0
        ? html`<details ?open=${c.templateId === 'daily'}>
            <summary>
              ${earlierVersion === undefined ? t('record.checkIns.answers') : t('record.checkIns.answersOnVersion', { version: formatNumber(earlierVersion, locale) })}
            </summary>
            <dl class="answers">
              ${questions.map(
                ({ question: q, earlierFormOnly }) => html`<div class="answer">
                  <dt>${t(`templates.${c.templateId}.${q.id}.label`)}</dt>
                  <dd>
                    ${answerText(c.templateId, q, c.answers[q.id], t, locale)}
                    ${earlierFormOnly
                      ? html`<p class="earlier-form-answer" part="earlier-form-answer">
                          ${t('record.checkIns.earlierFormAnswer', { version: formatNumber(c.templateVersion, locale) })}
                        </p>`
                      : nothing}
                  </dd>
                </div>`,
              )}
            </dl>
          </details>`
        : nothing}
    </article>
  </li>`;
}
