import { expect } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { careServer, createGroup, newClientId, ready, tokenFor } from './helpers.js';

/**
 * Each widget as the build ships it (dist/widgets, served by the care server), alone in its own
 * page: the widget's entry must bring every English string it shows, since the build splits the
 * English strings by widget. A string it forgot would show as its key (`room.join`).
 */

const KEY = /\b(common|checkIn|errors|severity|crisis|units|scales|templates|progress|room|roomLobby|groupBoard|dangerFlag|dangerFlagDialog|crisisButton|safetyPlan|alerts|roster|outcomes|admin)\.[a-z][\w.]*/i;
const WIDGETS = [
  { entry: 'check-in', tag: 'care-check-in', role: 'client' },
  { entry: 'progress', tag: 'care-progress', role: 'client' },
  { entry: 'crisis-button', tag: 'care-crisis-button', role: 'client' },
  { entry: 'safety-plan', tag: 'care-safety-plan', role: 'client' },
  // A member who accepted the guidelines: the group board (a lazy chunk with its own strings) shows too.
  { entry: 'support-room', tag: 'care-support-room', role: 'client', member: true },
  { entry: 'alerts', tag: 'care-alerts', role: 'clinician' },
  { entry: 'roster', tag: 'care-roster', role: 'clinician' },
  { entry: 'outcomes', tag: 'care-outcomes', role: 'clinician' },
  { entry: 'admin', tag: 'care-admin', role: 'admin' },
] as const satisfies readonly { entry: string; tag: string; role: 'client' | 'clinician' | 'admin'; member?: boolean }[];

/** Every text a person can perceive in a shadow tree: text nodes and the labels that are read out. */
function perceivable(root: ShadowRoot): string {
  const labels = [...root.querySelectorAll('[aria-label],[title],[placeholder],[alt]')].flatMap((el) =>
    ['aria-label', 'title', 'placeholder', 'alt'].map((name) => el.getAttribute(name) ?? ''),
  );
  return `${root.textContent ?? ''} ${labels.join(' ')}`.replace(/\s+/g, ' ');
}

describe('built widgets, each loaded alone', () => {
  let endpoint: string;
  before(async () => {
    ({ endpoint } = await careServer());
  });

  for (const widget of WIDGETS) {
    const { entry, tag, role } = widget;
    it(`<${tag}> from widgets/${entry}.js shows only English text, no string keys`, async () => {
      let token = await tokenFor(role === 'client' ? newClientId() : `test-staff-${entry}`, role);
      let group = '';
      if ('member' in widget) {
        const { groupId, members } = await createGroup({ name: 'Built widgets circle', offsetMinutes: 3 * 24 * 60 });
        token = await ready(groupId, members[0]!, 'Calm Owl');
        group = ` group="${groupId}"`;
      }
      const frame = document.createElement('iframe');
      frame.srcdoc = `<!doctype html><html lang="en"><body><${tag} endpoint="${endpoint}" token="${token}" locale="en"${group}></${tag}>
        <script type="module">import '${endpoint}/widgets/${entry}.js';</script></body></html>`;
      document.body.append(frame);
      try {
        await waitUntil(() => frame.contentWindow?.customElements.get(tag) !== undefined, `${entry}.js defines <${tag}>`, { timeout: 10000 });
        const el = frame.contentDocument!.querySelector(tag)!;
        // Past any loading state: the widget has talked to the server and shows its content.
        await waitUntil(() => el.shadowRoot && perceivable(el.shadowRoot).trim().length > 40 && !el.shadowRoot.querySelector('[aria-busy="true"]'), `<${tag}> renders`, {
          timeout: 10000,
        });
        if ('member' in widget) await waitUntil(() => el.shadowRoot!.querySelector('[part="board"]'), 'the group board', { timeout: 10000 });
        await new Promise((resolve) => setTimeout(resolve, 300));
        const text = perceivable(el.shadowRoot!);
        expect(text.match(KEY)?.[0], `a string key in <${tag}>: ${text.slice(0, 300)}`).to.equal(undefined);
      } finally {
        frame.remove();
      }
    });
  }
});
