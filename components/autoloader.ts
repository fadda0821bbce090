/**
 * CDN-style autoloader: `<script type="module" src=".../widgets/autoloader.js">` registers a care
 * element only when its tag appears in the page, by importing that widget's module then. Pages
 * that show one widget download one widget. Tags inside other shadow roots are not watched: call
 * `autoload(root)` for such a root, or import the widget's module directly.
 */

type Loader = () => Promise<unknown>;

/** Which module defines each tag (several tags may share one module). */
export const widgetModules: Readonly<Record<string, Loader>> = {
  'care-provider': () => import('./core/index.js'),
  'care-check-in': () => import('./check-in/index.js'),
  'care-progress': () => import('./progress/index.js'),
  'care-crisis-button': () => import('./crisis/care-crisis-button.js'),
  'care-safety-plan': () => import('./crisis/care-safety-plan.js'),
  'care-support-room': () => import('./support-room/index.js'),
  'care-alerts': () => import('./clinician/care-alerts.js'),
  'care-roster': () => import('./clinician/care-roster.js'),
  'care-outcomes': () => import('./clinician/care-outcomes.js'),
  'care-client-record': () => import('./clinician/care-client-record.js'),
  'care-admin': () => import('./admin/care-admin.js'),
};

const requested = new Map<string, Promise<void>>();

/** Loads the module that defines `tag` (once) and resolves when the element is defined. */
export function load(tag: string): Promise<void> {
  const name = tag.toLowerCase();
  const loader = widgetModules[name];
  if (!loader) return Promise.reject(new Error(`[care-widgets] no widget is called <${name}>`));
  let pending = requested.get(name);
  if (!pending) {
    // <care-provider> is defined first, so a widget that upgrades finds its provider's settings
    // (the provider's code is shared by every widget anyway).
    const core = name === 'care-provider' ? Promise.resolve() : load('care-provider');
    pending = core
      .then(() => loader())
      .then(() => customElements.whenDefined(name))
      .then(() => undefined);
    pending.catch((error: unknown) => {
      requested.delete(name);
      console.error(`[care-widgets] could not load <${name}>`, error);
    });
    requested.set(name, pending);
  }
  return pending;
}

const selector = Object.keys(widgetModules).join(',');

function loadWithin(node: ParentNode | Element): void {
  const found: Element[] = [];
  if (node instanceof Element && node.matches(selector)) found.push(node);
  found.push(...node.querySelectorAll(selector));
  for (const el of found) {
    const tag = el.localName;
    if (!customElements.get(tag)) void load(tag).catch(() => undefined);
  }
}

const observed = new WeakSet<Node>();

/** Loads every care element already in `root`, then each one added later. Returns a function that stops watching. */
export function autoload(root: Document | ShadowRoot | Element = document): () => void {
  if (observed.has(root)) return () => undefined;
  observed.add(root);
  loadWithin(root);
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (node instanceof Element) loadWithin(node);
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => {
    observer.disconnect();
    observed.delete(root);
  };
}

// The one thing this module does on import: watch the page (a module script runs after parsing).
if (typeof document !== 'undefined') autoload(document);
