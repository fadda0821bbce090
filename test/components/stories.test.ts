import { expect, fixtureCleanup } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import * as checkIn from '../../stories/check-in.stories.js';
import * as clinician from '../../stories/clinician.stories.js';
import * as crisis from '../../stories/crisis.stories.js';
import * as progress from '../../stories/progress.stories.js';
import * as safetyPlan from '../../stories/safety-plan.stories.js';
import * as supportRoom from '../../stories/support-room.stories.js';

/** Every story of every widget renders, runs its play function and has no axe violations. */
const storyModules: Record<string, Record<string, unknown>> = { checkIn, progress, supportRoom, clinician, crisis, safetyPlan };

interface StoryLike {
  args?: Record<string, unknown>;
  /** `expectText`: words the story's state must show, so a story cannot silently show the wrong state. */
  parameters?: { expectText?: string };
  play?: (context: { canvasElement: HTMLElement; args: Record<string, unknown> }) => unknown;
  render?: (args: Record<string, unknown>) => TemplateResult;
}

afterEach(() => fixtureCleanup());

for (const [moduleName, module] of Object.entries(storyModules)) {
  const meta = module.default as StoryLike;
  describe(`stories of ${moduleName}`, () => {
    for (const [name, value] of Object.entries(module)) {
      if (name === 'default' || typeof value !== 'object' || value === null) continue;
      const story = value as StoryLike;
      it(`${name} renders without axe violations`, async () => {
        const args = { ...meta.args, ...story.args };
        const canvasElement = document.createElement('main');
        document.body.append(canvasElement);
        try {
          render((story.render ?? meta.render)!(args), canvasElement);
          const elements = [...canvasElement.querySelectorAll('*')].filter((el) => el.tagName.startsWith('CARE-'));
          expect(elements.length, 'story renders a care element').to.be.greaterThan(0);
          await Promise.all(elements.map((el) => (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete));
          await story.play?.({ canvasElement, args });
          await new Promise((resolve) => setTimeout(resolve, 100));
          const shown = elements.map((el) => el.shadowRoot?.textContent ?? '').join(' ').replace(/\s+/g, ' ');
          const expected = story.parameters?.expectText;
          expect(expected, 'every story names the text its state shows (parameters.expectText)').to.be.a('string');
          if (!shown.includes(expected!)) {
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
          expect(elements.map((el) => el.shadowRoot?.textContent ?? '').join(' ').replace(/\s+/g, ' ')).to.include(expected!);
          for (const el of elements) await expect(el).to.be.accessible();
        } finally {
          canvasElement.remove();
        }
      });
    }
  });
}
