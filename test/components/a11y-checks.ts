/**
 * Layout checks axe does not make by default, run on every story: no horizontal overflow at 320 CSS
 * px (WCAG 1.4.10 reflow) and pointer targets of at least 24×24 CSS px (WCAG 2.2 2.5.8), with the
 * criterion's spacing and inline exceptions.
 */
import { executeServerCommand } from '@web/test-runner-commands';

const INTERACTIVE = 'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], summary';
const MIN = 24;

/** Every element in `root` and in the open shadow roots below it. */
function deepQuery(root: ParentNode, selector: string): Element[] {
  const found: Element[] = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepQuery(el.shadowRoot, selector));
  return found;
}

function rendered(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) return false;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.display === 'none') return false;
  // Visually hidden (1px clipped) controls are operated through their label.
  if (rect.width <= 1 && rect.height <= 1) return false;
  for (let node: Node | null = el; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    if (node instanceof HTMLDialogElement && !node.open) return false;
    if (node instanceof HTMLDetailsElement && !node.open && !(el.localName === 'summary' && el.parentElement === node)) return false;
  }
  return true;
}

/** The box a person actually hits: a radio or checkbox inside a label, or labelled by one, is hit through the label too. */
function targetRect(el: Element): DOMRect {
  const own = el.getBoundingClientRect();
  if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) {
    const label = el.closest('label') ?? el.labels?.[0];
    if (label) {
      const l = label.getBoundingClientRect();
      const left = Math.min(l.left, own.left);
      const top = Math.min(l.top, own.top);
      return new DOMRect(left, top, Math.max(l.right, own.right) - left, Math.max(l.bottom, own.bottom) - top);
    }
  }
  return own;
}

/** A link inside a sentence: the inline exception of 2.5.8. */
function inline(el: Element): boolean {
  if (el.localName !== 'a') return false;
  if (getComputedStyle(el).display !== 'inline') return false;
  const parent = el.parentElement;
  const sentence = (parent?.textContent ?? '').replace(el.textContent ?? '', '').trim();
  return sentence.length > 0;
}

export interface TargetProblem {
  element: string;
  width: number;
  height: number;
}

const describe = (el: Element) =>
  `<${el.localName}${el.getAttribute('part') ? ` part="${el.getAttribute('part')}"` : ''}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}> "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 40)}"`;

/** Targets under 24×24 px that neither the spacing nor the inline exception covers. */
export function smallTargets(root: Element): TargetProblem[] {
  const targets = deepQuery(root.shadowRoot ?? root, INTERACTIVE)
    .filter(rendered)
    .map((el) => ({ el, rect: targetRect(el) }));
  const problems: TargetProblem[] = [];
  for (const { el, rect } of targets) {
    if (rect.width >= MIN - 0.5 && rect.height >= MIN - 0.5) continue;
    if (inline(el)) continue;
    // Spacing exception: a 24 px circle centred on the target meets no other target (nor another undersized target's circle).
    const cx = rect.left + rect.width / 2;
    const cy = rect.top + rect.height / 2;
    const clear = targets.every(({ el: other, rect: o }) => {
      if (other === el || other.contains(el) || el.contains(other)) return true;
      const nx = Math.max(o.left, Math.min(cx, o.right));
      const ny = Math.max(o.top, Math.min(cy, o.bottom));
      if (Math.hypot(cx - nx, cy - ny) < MIN / 2) return false;
      const otherSmall = o.width < MIN || o.height < MIN;
      return !otherSmall || Math.hypot(cx - (o.left + o.width / 2), cy - (o.top + o.height / 2)) >= MIN;
    });
    if (!clear) problems.push({ element: describe(el), width: Math.round(rect.width), height: Math.round(rect.height) });
  }
  return problems;
}

/** Elements wider than their box at the current width (the widget's host and its `base` part). */
export function overflowing(root: Element): string[] {
  const boxes = [root, ...deepQuery(root.shadowRoot ?? root, '[part~="base"], [part~="panel"]').filter(rendered)];
  return boxes
    .filter((box) => box.scrollWidth > box.clientWidth + 1)
    .map((box) => `${describe(box)} scrollWidth ${box.scrollWidth} > clientWidth ${box.clientWidth}`);
}

/** Chromium's forced colors and reduced motion, which `emulateMedia` cannot set under puppeteer. */
export function emulateA11yMedia(media: { forcedColors: 'active' | 'none'; reducedMotion: 'reduce' | 'no-preference' }): Promise<unknown> {
  return executeServerCommand('emulate-a11y-media', media);
}
