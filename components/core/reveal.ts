/**
 * Moves focus to an element that just appeared (an error, a form) and scrolls it into view: a
 * keyboard or screen-reader user lands on it, and a sighted one sees it even when it is below the
 * fold. The element needs to be focusable (a field, or `tabindex="-1"` on a message).
 */
export function focusAndReveal(target: HTMLElement | null | undefined): void {
  if (!target) return;
  target.focus({ preventScroll: true });
  const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  target.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
}
