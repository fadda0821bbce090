import type { TFunction } from 'i18next';
import { html } from 'lit';
import type { RegionCrisisInfo } from '../../server/contract/hotlines.js';

/** Call, text and chat links for the region's crisis lines, then the emergency number. Used wherever crisis help shows. */
export function renderCrisisLines(info: RegionCrisisInfo, t: TFunction) {
  return html`
    <ul class="crisis-lines" part="crisis-lines">
      ${info.lines.flatMap((line) => [
        line.call
          ? html`<li><a part="crisis-link" href="tel:${line.call}">${t('crisis.call', { name: line.name, number: line.call })}</a></li>`
          : null,
        line.text
          ? html`<li><a part="crisis-link" href="sms:${line.text}">${t('crisis.text', { name: line.name, number: line.text })}</a></li>`
          : null,
        line.chat
          ? html`<li><a part="crisis-link" href=${line.chat} target="_blank" rel="noopener noreferrer">${t('crisis.chat', { name: line.name })}</a></li>`
          : null,
      ])}
      <li><a part="crisis-link" href="tel:${info.emergency}">${t('crisis.emergency', { number: info.emergency })}</a></li>
    </ul>
  `;
}
