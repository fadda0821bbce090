import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { waitUntil } from './wait-until.js';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../components/index.js';
import type { CareProgress } from '../../components/progress/progress.js';
import { careServer, liveRegion, newClientId, shadow, tokenFor, trpc } from './helpers.js';

let endpoint: string;
before(async () => {
  ({ endpoint } = await careServer());
});
afterEach(() => fixtureCleanup());

const DAY = 86_400_000;
const utcDate = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

/** Six daily check-ins, 6..1 days ago at noon UTC: mood 4→7, craving 6→3, sleep 6→7.5. */
async function clientWithWeek(): Promise<{ sub: string; token: string }> {
  const sub = newClientId();
  const token = await tokenFor(sub);
  const moods = [4, 5, 5, 6, 7, 7];
  const cravings = [6, 6, 5, 4, 3, 3];
  const sleep = [6, 6.5, 6, 7, 7, 7.5];
  for (let i = 0; i < 6; i++) {
    await trpc(
      'checkIn.submit',
      {
        clientRequestId: crypto.randomUUID(),
        templateId: 'daily',
        answers: { mood: moods[i], craving: cravings[i], sleepHours: sleep[i], medication: 'yes', used: 'no' },
        submittedAt: `${utcDate(6 - i)}T12:00:00.000Z`,
      },
      token,
    );
  }
  return { sub, token };
}

async function progress(token: string, attrs: { locale?: string; theme?: string; dir?: string; range?: number } = {}) {
  const el = await fixture<CareProgress>(html`
    <care-progress
      endpoint=${endpoint}
      token=${token}
      time-zone="UTC"
      locale=${attrs.locale ?? 'en-US'}
      theme=${attrs.theme ?? 'light'}
      dir=${attrs.dir ?? 'ltr'}
      range=${attrs.range ?? 30}
    ></care-progress>
  `);
  return el;
}

const text = (el: Element) => (shadow(el).textContent ?? '').replace(/\s+/g, ' ');
async function waitForText(el: Element, wanted: string) {
  await waitUntil(() => text(el).includes(wanted), `waiting for "${wanted}" in: ${text(el).slice(0, 300)}`, { timeout: 10000 });
}
const chart = (el: Element, id: string) => shadow(el).querySelector<SVGSVGElement>(`svg[data-chart="${id}"]`)!;
const summaryOf = (el: Element, id: string) => shadow(el).getElementById(`chart-${id}-summary`)!.textContent.trim();

describe('<care-progress>', () => {
  it('shows the headline numbers, three charts with text summaries, data tables and goals', async () => {
    const { token } = await clientWithWeek();
    await trpc('progress.saveGoal', { id: crypto.randomUUID(), title: 'Walk every morning', target: 10, current: 4 }, token);
    const el = await progress(token);
    await waitForText(el, 'Day 7 of this stretch');
    expect(text(el)).to.include('6 days in a row checking in');
    expect(text(el)).to.include('6 daily check-ins');
    expect(summaryOf(el, 'craving')).to.equal('Craving fell from 6 to 3 over the last 30 days. Based on 6 days with a check-in.');
    expect(summaryOf(el, 'mood')).to.equal('Mood rose from 4 to 7 over the last 30 days. Based on 6 days with a check-in.');
    expect(summaryOf(el, 'sleepHours')).to.equal('Sleep rose from 6 to 7.5 hours over the last 30 days. Based on 6 days with a check-in.');

    const tables = shadow(el).querySelectorAll('table');
    expect(tables).to.have.length(3);
    const craving = [...tables].find((t) => t.caption?.textContent?.includes('Craving'))!;
    expect(craving.querySelectorAll('tbody tr')).to.have.length(6);
    expect(craving.querySelector('tbody tr:last-child td')!.textContent).to.equal('3');
    expect(chart(el, 'craving').querySelectorAll('circle.dot')).to.have.length(6);
    expect(chart(el, 'craving').querySelector('path.line')!.getAttribute('d')).to.match(/^M/);

    const bar = shadow(el).querySelector('progress')!;
    expect(bar.value).to.equal(4);
    expect(bar.max).to.equal(10);
    expect(shadow(el).getElementById(bar.getAttribute('aria-labelledby')!)!.textContent).to.equal('Walk every morning');
    expect(text(el)).to.include('4 of 10');
    await expect(el).to.be.accessible();
  });

  it('switches between 7, 30 and 90 days with the arrow keys and announces it', async () => {
    const { token } = await clientWithWeek();
    const el = await progress(token);
    await waitForText(el, 'Day 7 of this stretch');
    const radios = [...shadow(el).querySelectorAll<HTMLInputElement>('input[name="range"]')];
    expect(radios.map((r) => r.value)).to.deep.equal(['7', '30', '90']);
    expect(radios[1]!.checked).to.equal(true);
    radios[1]!.focus();
    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => el.range === 7);
    await el.updateComplete;
    expect(radios[0]!.checked).to.equal(true);
    expect(summaryOf(el, 'craving')).to.include('over the last 7 days');
    await waitUntil(() => liveRegion(el).textContent?.includes('Showing the last 7 days.'));
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => el.range === 90);
    expect(summaryOf(el, 'mood')).to.include('over the last 90 days');
  });

  it('moves keyboard focus between chart points, each with a label', async () => {
    const { token } = await clientWithWeek();
    const el = await progress(token, { range: 7 });
    await waitForText(el, 'Day 7 of this stretch');
    const focusable = chart(el, 'craving').querySelectorAll('circle[tabindex="0"]');
    expect(focusable, 'one tab stop per chart').to.have.length(1);
    const last = focusable[0] as SVGCircleElement;
    last.focus();
    const yesterday = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.now() - DAY);
    expect(shadow(el).activeElement!.getAttribute('aria-label')).to.equal(`Craving, ${yesterday}: 3`);
    await sendKeys({ press: 'ArrowLeft' });
    await el.updateComplete;
    const twoDaysAgo = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.now() - 2 * DAY);
    expect(shadow(el).activeElement!.getAttribute('aria-label')).to.equal(`Craving, ${twoDaysAgo}: 3`);
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(shadow(el).activeElement!.getAttribute('aria-label')).to.match(/^Craving, .+: 6$/);
    expect(chart(el, 'craving').closest('figure')!.querySelector('.point-readout')!.textContent).to.match(/^Craving, .+: 6$/);
  });

  it('mirrors the time axis in right-to-left pages', async () => {
    const { token } = await clientWithWeek();
    const el = await progress(token, { dir: 'rtl', range: 7 });
    await waitForText(el, 'Day 7 of this stretch');
    const dots = [...chart(el, 'mood').querySelectorAll('circle.dot')].map((c) => Number(c.getAttribute('cx')));
    expect(dots[0]!, 'oldest point on the right').to.be.greaterThan(dots.at(-1)!);
    await expect(el).to.be.accessible();
  });

  it('shows the empty state for a person with no check-ins yet', async () => {
    const el = await progress(await tokenFor(newClientId()));
    await waitForText(el, 'Your first check-in starts this.');
    expect(shadow(el).querySelector('svg')).to.equal(null);
    expect(text(el)).to.include('Set your recovery start date');
    await expect(el).to.be.accessible();
  });

  it('lets the person set their recovery start date', async () => {
    const { token } = await clientWithWeek();
    const el = await progress(token);
    await waitForText(el, 'Day 7 of this stretch');
    shadow(el).querySelector<HTMLButtonElement>('.edit-start')!.click();
    await el.updateComplete;
    const input = shadow(el).querySelector<HTMLInputElement>('#start-date')!;
    expect(shadow(el).activeElement).to.equal(input);
    input.value = utcDate(19);
    shadow(el).querySelector<HTMLButtonElement>('.start-form button[type="submit"]')!.click();
    await waitForText(el, 'Day 20 of this stretch');
    await waitUntil(() => liveRegion(el).textContent?.includes('Recovery start date saved'));
    expect(text(el)).to.include('Recovery start date:');
  });

  it('shows an error with a retry while the server is down, then the progress once it is back', async () => {
    const { token } = await clientWithWeek();
    await careServer('stop');
    let el: CareProgress;
    try {
      el = await progress(token);
      await waitForText(el, 'We could not load progress right now.');
      await expect(el).to.be.accessible();
    } finally {
      await careServer('start');
    }
    const retry = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Try again')!;
    retry.click();
    await waitForText(el, 'Day 7 of this stretch');
  });

  it('shows the progress saved on this device while offline, marked as saved', async () => {
    const { token } = await clientWithWeek();
    const first = await progress(token);
    await waitForText(first, 'Day 7 of this stretch');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the save to IndexedDB is not awaited by render
    fixtureCleanup();
    await careServer('stop');
    try {
      const el = await progress(token);
      await waitForText(el, 'You are offline. Showing progress saved on this device');
      expect(text(el)).to.include('Day 7 of this stretch');
      expect(summaryOf(el, 'craving')).to.include('Craving fell from 6 to 3');
      await expect(el).to.be.accessible();
    } finally {
      await careServer('start');
    }
  });

  for (const variant of [
    { name: 'Spanish', attrs: { locale: 'es' }, expected: 'Día 7 de esta etapa' },
    { name: 'right-to-left', attrs: { dir: 'rtl' }, expected: 'Day 7 of this stretch' },
    { name: 'dark', attrs: { theme: 'dark' }, expected: 'Day 7 of this stretch' },
  ]) {
    it(`has no axe violations in ${variant.name}`, async () => {
      const { token } = await clientWithWeek();
      const el = await progress(token, variant.attrs);
      await waitForText(el, variant.expected);
      if (variant.name === 'Spanish') {
        expect(summaryOf(el, 'craving')).to.equal('El deseo de consumir disminuyó de 6 a 3 en los últimos 30 días. Según 6 días con registro.');
        expect(summaryOf(el, 'sleepHours')).to.include('de 6 a 7,5 horas');
      }
      await expect(el).to.be.accessible();
    });
  }

  for (const width of [320, 360]) {
    it(`keeps the 7/30/90-day switch on one row inside the widget at ${width} px, in English and Spanish`, async () => {
      await setViewport({ width, height: 700 });
      try {
        for (const locale of ['en-US', 'es']) {
          const el = await progress(await tokenFor('client-1'), { locale });
          await waitUntil(() => shadow(el).querySelectorAll('.range-option').length === 3, 'range switch', { timeout: 10000 });
          const options = [...shadow(el).querySelectorAll<HTMLElement>('.range-option')].map((o) => o.getBoundingClientRect());
          expect(new Set(options.map((o) => Math.round(o.top))).size, 'one row').to.equal(1);
          const base = shadow(el).querySelector('[part="base"]')!.getBoundingClientRect();
          expect(options.at(-1)!.right, 'inside the widget').to.be.at.most(base.right + 0.5);
          fixtureCleanup();
        }
      } finally {
        await setViewport({ width: 800, height: 600 });
      }
    });
  }
});
