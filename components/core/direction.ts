/**
 * Whether the page lays `el` out right to left (a `dir="rtl"` on it or an ancestor, or an RTL
 * document). `:dir()` answers from the document's `dir` attributes without computing styles;
 * `getComputedStyle(el).direction` in a render forced a style recalculation of the whole page
 * (about 160 ms on the staff page under Lighthouse's 4× CPU slowdown). Browsers without `:dir()`
 * get the computed style.
 */
export function laidOutRtl(el: Element): boolean {
  try {
    return el.matches(':dir(rtl)');
  } catch {
    return getComputedStyle(el).direction === 'rtl';
  }
}
