import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/core/index.js';
import '../../components/progress/index.js';
import type { CareErrorDetail } from '../../components/core/events.js';
import type { CareLoadedDetail } from '../../components/progress/events.js';
import type { CareProgress } from '../../components/progress/progress.js';

// Compile-time half of this file: care-* events are declared in GlobalEventHandlersEventMap, so a
// host's listener gets a typed detail, and a wrong name or detail does not compile (tsc checks these).
export function typedListeners(el: HTMLElement): void {
  el.addEventListener('care-loaded', (event) => {
    const detail: CareLoadedDetail = event.detail;
    void detail.summary.checkIns.total;
  });
  el.addEventListener('care-error', (event) => {
    const detail: CareErrorDetail = event.detail;
    void detail.kind;
  });
  el.addEventListener('care-token-expired', (event) => void event.detail.reason);
  el.addEventListener('care-crisis-open', (event) => void event.detail.reason);
  el.addEventListener('care-plan-saved', (event) => void event.detail.version);
  el.addEventListener('care-roster-loaded', (event) => void event.detail.items);
  // @ts-expect-error care-loaded carries { summary, stale }, not a number
  el.addEventListener('care-loaded', (event) => void (event.detail satisfies number));
}

describe('typed care-* events', () => {
  it('a widget without a token fires no care-error and shows the sign-in notice, with part="notice"', async () => {
    const el = await fixture<CareProgress>(html`<care-progress endpoint="http://127.0.0.1:9" locale="en"></care-progress>`);
    let errors = 0;
    el.addEventListener('care-error', () => (errors += 1));
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await el.updateComplete;
    const notice = el.shadowRoot!.querySelector('[part="notice"]');
    expect(notice?.textContent).to.include('sign in');
    expect(errors).to.equal(0);
  });

  it('a care-* event fired inside a provider reaches a listener on the provider with its typed detail', async () => {
    const el = await fixture<HTMLElement>(html`<care-provider endpoint="http://127.0.0.1:9"><care-progress></care-progress></care-provider>`);
    const heard = oneEvent(el, 'care-recovery-start-changed');
    const progress = el.querySelector('care-progress')!;
    progress.dispatchEvent(new CustomEvent('care-recovery-start-changed', { detail: { startDate: '2026-01-01', previousStartDate: null }, bubbles: true, composed: true }));
    const event = await heard;
    expect(event.detail.startDate).to.equal('2026-01-01');
  });
});
