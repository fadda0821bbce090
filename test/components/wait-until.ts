import { waitUntil as waitUntilOpenWc } from '@open-wc/testing';

/**
 * @open-wc's `waitUntil` with a 5 s limit unless a test gives its own, instead of 1 s: on a loaded CI
 * machine a state can take over a second to render. A state that never comes still fails the test.
 */
export const waitUntil: typeof waitUntilOpenWc = (predicate, message, options = {}) => waitUntilOpenWc(predicate, message, { timeout: 5000, ...options });
