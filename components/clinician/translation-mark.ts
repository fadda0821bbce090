import { css, html, nothing, type TemplateResult } from 'lit';
import type { TFunction } from 'i18next';
import type { SubmitCheckInResult } from '../../server/contract/check-in.js';

/** The name of a language tag in the reader's language ("Arabic", « arabe »), or the tag itself. */
export function languageName(tag: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * The mark on a PHQ-9/GAD-7/BAM check-in answered in an unverified translation (the clinic showed a
 * translation that is not the published form word for word): the score is not a validated score.
 * Nothing for published wording or other forms. Needs the `alerts` namespace; give the host's
 * shadow root {@link translationMarkStyles}.
 *
 * Renders `part="unverified-translation"` for hosts to document as a CSS part.
 */
export function renderTranslationMark(
  checkIn: Pick<SubmitCheckInResult, 'provenance' | 'shownLanguage'>,
  t: TFunction,
  uiLanguage: string,
): TemplateResult | typeof nothing {
  if (checkIn.provenance !== 'unverified') return nothing;
  const language = checkIn.shownLanguage ? languageName(checkIn.shownLanguage, uiLanguage) : '?';
  return html`<p class="unverified-translation" part="unverified-translation">${t('alerts.unverifiedTranslation', { language })}</p>`;
}

export const translationMarkStyles = css`
  .unverified-translation {
    margin: 0.25rem 0 0;
    padding: 0.125rem 0.5rem;
    border-inline-start: 4px solid var(--_danger, currentColor);
    background: var(--_warning-surface, transparent);
    font-size: 0.875em;
  }
  @media (forced-colors: active) {
    .unverified-translation {
      border: 1px solid CanvasText;
      border-inline-start-width: 4px;
    }
  }
`;
