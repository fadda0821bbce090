import { css, html, nothing, type TemplateResult } from 'lit';
import type { TFunction } from 'i18next';
import type { CheckInRecord } from '../../server/contract/check-in.js';
import checkInNote from '../../locales/en/checkInNote.json';
import { addEnglish } from '../core/i18n.js';

addEnglish({ checkInNote });

/** The note a person wrote to their care team on a check-in ("Anything else…?"), or null when there is none. */
export function noteOf(checkIn: Pick<CheckInRecord, 'answers'>): string | null {
  const note = checkIn.answers.note;
  return typeof note === 'string' && note.trim() ? note.trim() : null;
}

/**
 * A check-in's note as the person wrote it, labelled for the care team; nothing when there is no
 * note. The note keeps its own line breaks and direction (it may be in another language than the
 * portal). Give the host's shadow root {@link checkInNoteStyles}.
 *
 * Renders `part="check-in-note"` (the figure) for hosts to document as a CSS part.
 */
export function renderCheckInNote(checkIn: Pick<CheckInRecord, 'answers'>, t: TFunction): TemplateResult | typeof nothing {
  const note = noteOf(checkIn);
  if (!note) return nothing;
  return html`<figure class="check-in-note" part="check-in-note">
    <figcaption>${t('checkInNote.label')}</figcaption>
    <blockquote dir="auto">${note}</blockquote>
  </figure>`;
}

export const checkInNoteStyles = css`
  .check-in-note {
    margin: 0.5rem 0 0;
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_border);
    background: var(--_surface);
    border-radius: var(--_radius);
  }
  .check-in-note figcaption {
    font-size: 0.875em;
    color: var(--_muted);
  }
  .check-in-note blockquote {
    margin: 0.25rem 0 0;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  @media (forced-colors: active) {
    .check-in-note {
      border: 1px solid CanvasText;
    }
  }
`;
