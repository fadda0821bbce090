import { expect, fixtureCleanup } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import { setViewport } from '@web/test-runner-commands';
import { emulateA11yMedia, overflowing, smallTargets } from './a11y-checks.js';
import * as admin from '../../stories/admin.stories.js';
import * as adminCrisis from '../../stories/admin-crisis.stories.js';
import * as adminGroups from '../../stories/admin-groups.stories.js';
import * as checkIn from '../../stories/check-in.stories.js';
import * as clinician from '../../stories/clinician.stories.js';
import * as crisis from '../../stories/crisis.stories.js';
import * as progress from '../../stories/progress.stories.js';
import * as safetyPlan from '../../stories/safety-plan.stories.js';
import * as supportRoom from '../../stories/support-room.stories.js';
import * as themes from '../../stories/themes.stories.js';
import * as languages from '../../stories/languages.stories.js';

/** Every story of every widget renders, runs its play function and has no axe violations. */
const storyModules: Record<string, Record<string, unknown>> = { checkIn, progress, supportRoom, clinician, crisis, safetyPlan, themes, admin, adminCrisis, adminGroups, languages };

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
          await Promise.all(elements.map((el) => (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete ?? Promise.resolve()));
          await story.play?.({ canvasElement, args });
          await new Promise((resolve) => setTimeout(resolve, 100));
          const shown = () => elements.map((el) => el.shadowRoot?.textContent ?? '').join(' ').replace(/\s+/g, ' ');
          const expected = story.parameters?.expectText;
          expect(expected, 'every story names the text its state shows (parameters.expectText)').to.be.a('string');
          // The state's text may come a moment after play (a mock answer, a lazy chunk): wait for it, within bounds.
          for (let waited = 0; waited < 8000 && !shown().includes(expected!); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
          expect(shown()).to.include(expected!);
          for (const el of elements) await expect(el).to.be.accessible();
          // 320 CSS px (400% zoom of a 1280 px window): nothing scrolls sideways; pointer targets stay ≥ 24 px.
          await setViewport({ width: 320, height: 720 });
          await new Promise((resolve) => requestAnimationFrame(resolve));
          expect(document.documentElement.scrollWidth, 'page width at 320 px').to.be.at.most(321);
          for (const el of elements) expect(overflowing(el), `${el.localName} overflows at 320 px`).to.deep.equal([]);
          for (const el of elements) expect(smallTargets(el), `${el.localName} targets under 24×24 px`).to.deep.equal([]);
        } finally {
          await setViewport({ width: 800, height: 600 });
          canvasElement.remove();
        }
      });
    }
  });
}

/** The first story of each widget again under forced colors and reduced motion. */
describe('stories under forced colors and reduced motion', () => {
  before(() => emulateA11yMedia({ forcedColors: 'active', reducedMotion: 'reduce' }));
  after(() => emulateA11yMedia({ forcedColors: 'none', reducedMotion: 'no-preference' }));

  for (const [moduleName, module] of Object.entries(storyModules)) {
    const meta = module.default as StoryLike;
    const [name, value] = Object.entries(module).find(([key, v]) => key !== 'default' && typeof v === 'object' && v !== null)!;
    const story = value as StoryLike;
    it(`${moduleName} ${name}: boundaries stay visible, nothing animates, no axe violations`, async () => {
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
      expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
      const args = { ...meta.args, ...story.args };
      const canvasElement = document.createElement('main');
      document.body.append(canvasElement);
      try {
        render((story.render ?? meta.render)!(args), canvasElement);
        const elements = [...canvasElement.querySelectorAll('*')].filter((el) => el.tagName.startsWith('CARE-'));
        await Promise.all(elements.map((el) => (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete ?? Promise.resolve()));
        await story.play?.({ canvasElement, args });
        await new Promise((resolve) => setTimeout(resolve, 300));
        for (const el of elements) {
          const root = el.shadowRoot!;
          // Forced colors drop backgrounds: every button needs its own border to stay visible.
          for (const button of root.querySelectorAll<HTMLElement>('button, [role="button"]')) {
            if (button.getBoundingClientRect().width <= 1) continue;
            const style = getComputedStyle(button);
            const bordered = parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none';
            expect(bordered, `${el.localName} button "${button.textContent?.trim().slice(0, 30)}" has a border in forced colors`).to.equal(true);
          }
          const moving = root.getAnimations().filter((a) => Number(a.effect?.getComputedTiming().activeDuration ?? 0) > 10);
          expect(moving.length, `${el.localName} animations under reduced motion`).to.equal(0);
          // In forced colors the person's own palette replaces the widget's colours, so contrast is theirs to set.
          await expect(el).to.be.accessible({ ignoredRules: ['color-contrast'] });
        }
      } finally {
        canvasElement.remove();
      }
    });
  }
});
