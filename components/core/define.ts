/**
 * Registers an element once. A portal that loads two copies of the widgets gets a warning, not a
 * crash: the first definition keeps working.
 */
export function defineElement(name: string, element: CustomElementConstructor): void {
  const existing = customElements.get(name);
  if (!existing) {
    customElements.define(name, element);
  } else if (existing !== element) {
    console.warn(`[care-widgets] <${name}> is already defined by another copy of the widgets; keeping the first one.`);
  }
}
