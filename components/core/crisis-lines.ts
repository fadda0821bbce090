import type { TFunction } from 'i18next';
import { html, nothing } from 'lit';
import type { CrisisLine, CrisisLineOption, RegionCrisisInfo } from '../../server/contract/hotlines.js';

/** A line's menu choices (988: 1 veterans, 2 Spanish), those for the reader's language first. */
export function optionsFor(line: CrisisLine, locale: string): CrisisLineOption[] {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return [...(line.options ?? [])].sort((a, b) => Number(b.languages.includes(language)) - Number(a.languages.includes(language)));
}

/** The menu choices of a line as list items: each calls the line; the text says which key to press. */
export function renderLineOptions(line: CrisisLine, locale: string, t: TFunction, className = '') {
  if (!line.call) return nothing;
  return optionsFor(line, locale).map(
    (option) =>
      html`<li class=${className} data-option=${option.for}>
        <a class=${className} part="crisis-link crisis-option" href="tel:${line.call}">${t(`crisis.options.${option.for}`, { number: line.callDisplay ?? line.call, press: option.press })}</a>
      </li>`,
  );
}

/** Said plainly where no national crisis line is known: the emergency number and the international directory. */
export function renderNoNationalLine(info: RegionCrisisInfo, t: TFunction) {
  if (info.lines.length > 0 || !info.directory) return nothing;
  return html`<p class="no-national-line" part="no-national-line">${t('crisis.noNationalLine')}</p>
    <p><a part="crisis-link directory" href=${info.directory} target="_blank" rel="noopener noreferrer">${t('crisis.directory')}</a></p>`;
}

/** Call, text and chat links for the region's crisis lines, then the emergency number. Used wherever crisis help shows. */
export function renderCrisisLines(info: RegionCrisisInfo, t: TFunction, locale = 'en') {
  return html`
    ${renderNoNationalLine(info, t)}
    <ul class="crisis-lines" part="crisis-lines">
      ${info.lines.flatMap((line) => [
        line.call
          ? html`<li><a part="crisis-link" href="tel:${line.call}">${t('crisis.call', { name: line.name, number: line.call })}</a></li>`
          : null,
        renderLineOptions(line, locale, t),
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
