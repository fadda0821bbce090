import { fixtureCleanup } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import type { CareErrorDetail } from '../../components/core/events.js';
import { careServer, tokenFor, trpc } from './helpers.js';

/** The care server and an admin of its demo clinic, with what a test file changes as it was before the file ran. */
export interface AdminSuite<T> {
  endpoint: string;
  adminToken: string;
  original: T;
}

/**
 * Registers a test file's hooks: before it, the server, an admin token and what `read` answers;
 * after each test, the fixtures go; after the file, `restore` puts back what it changed, since the
 * other test files share the demo clinic.
 */
export function adminSuite<T>(read: string, restore: (original: T, adminToken: string) => Promise<unknown>): AdminSuite<T> {
  const suite = {} as AdminSuite<T>;
  before(async () => {
    ({ endpoint: suite.endpoint } = await careServer());
    suite.adminToken = await tokenFor('test-admin', 'admin');
    suite.original = await trpc<T>(read, undefined, suite.adminToken, 'query');
  });
  afterEach(() => fixtureCleanup());
  after(async () => {
    await restore(suite.original, suite.adminToken);
  });
  return suite;
}

/**
 * Presses `press` while the care server is down and waits for the `care-error` it fires; the server
 * is started again before this returns. Every `care-error` the element fires meanwhile is counted.
 */
export async function failWhileServerDown(el: HTMLElement, press: () => void): Promise<CareErrorDetail[]> {
  const errors: CareErrorDetail[] = [];
  el.addEventListener('care-error', (e) => errors.push(e.detail));
  await careServer('stop');
  try {
    press();
    await waitUntil(() => errors.length > 0, 'the failed call fires care-error', { timeout: 10000 });
  } finally {
    await careServer('start');
  }
  return errors;
}
