/** The module URL in a failed import's message: Chromium's "Failed to fetch dynamically imported module: <url>", Firefox's "error loading dynamically imported module: <url>". */
const FAILED_MODULE_URL = /imported module:?\s+(https?:\/\/\S+)/i;

let retries = 0;

/**
 * Imports a module again after `failure`. A browser remembers a dynamic import that failed (a
 * network blip, a 5xx) for the whole page: importing that URL again answers the same failure
 * without a request. So the retry imports the URL the failure names with a query of its own, a
 * module URL the page has not seen, whose request does go out (static servers ignore the query).
 * A failure that names no URL (Safari's message) is retried by importing as before. Used by every
 * lazy chunk (lazy-module.ts) and the language files (locale-files.ts).
 *
 * Only the URL the failure names is requested anew: if what failed was a module it imports, that
 * module's URL stays failed in the page's module map, so such a chunk still needs a reload.
 */
export function importAgain<T>(failure: unknown, importModule: () => Promise<T>): Promise<T> {
  const named = failure instanceof Error ? FAILED_MODULE_URL.exec(failure.message)?.[1] : undefined;
  if (!named) return importModule();
  const url = new URL(named);
  url.searchParams.set('retry', String(++retries));
  return import(/* @vite-ignore */ url.href) as Promise<T>;
}
