import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import type { CareProgress } from '../components/progress/progress.js';
import type { ProgressSummary, ScorePoint, TrendPoint } from '../server/contract/progress.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

type Load = 'data' | 'empty' | 'pending' | 'offline' | 'not-found' | 'server-error';

interface Args {
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  range: 7 | 30 | 90;
  load: Load;
  role: 'client' | 'clinician';
  /** Shape of the fixture: a steady stretch, a stretch begun after a reported use, or a use reported today. */
  story: 'steady' | 'newStretch' | 'usedToday';
}

const DAY = 86_400_000;
const TODAY = '2026-11-25';
const dateOf = (daysAgo: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - daysAgo * DAY).toISOString().slice(0, 10);
const wave = (i: number, period: number, size: number) => Math.sin((i / period) * Math.PI * 2) * size;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** 90 days of daily check-ins with a gentle improvement, weekly wobble and a few missed days. */
function trend(): TrendPoint[] {
  return Array.from({ length: 90 }, (_, i) => {
    const daysAgo = 89 - i;
    const missed = daysAgo === 0 || i % 11 === 4;
    const progress = i / 89;
    return {
      date: dateOf(daysAgo),
      mood: missed ? null : round1(Math.min(10, Math.max(0, 4.5 + progress * 2.5 + wave(i, 7, 0.8)))),
      craving: missed ? null : round1(Math.min(10, Math.max(0, 6.5 - progress * 3.2 + wave(i, 9, 0.7)))),
      sleepHours: missed ? null : round1(Math.min(12, Math.max(3, 5.8 + progress * 1.4 + wave(i, 5, 0.5)))),
    };
  });
}

function scores(instrument: 'phq9' | 'gad7'): ScorePoint[] {
  const totals = instrument === 'phq9' ? [17, 15, 13, 12, 10, 9, 7] : [14, 12, 11, 9, 8, 6, 5];
  const max = instrument === 'phq9' ? 27 : 21;
  const severity = (t: number): ScorePoint['severity'] =>
    instrument === 'phq9'
      ? t >= 20 ? 'severe' : t >= 15 ? 'moderately_severe' : t >= 10 ? 'moderate' : t >= 5 ? 'mild' : 'minimal'
      : t >= 15 ? 'severe' : t >= 10 ? 'moderate' : t >= 5 ? 'mild' : 'minimal';
  return totals.map((total, i) => {
    const date = dateOf(84 - i * 14);
    return { at: `${date}T19:00:00.000Z`, date, total, max, severity: severity(total) };
  });
}

function summary(story: Args['story']): ProgressSummary {
  const recovery: ProgressSummary['recovery'] =
    story === 'steady'
      ? { startDate: '2026-03-02', stretchStart: '2026-03-02', stretchStartedBy: 'start_date', daysInStretch: 269, daysThisYear: 269, year: 2026 }
      : story === 'newStretch'
        ? { startDate: '2026-03-02', stretchStart: '2026-11-14', stretchStartedBy: 'reported_use', daysInStretch: 12, daysThisYear: 187, year: 2026 }
        : { startDate: '2026-03-02', stretchStart: '2026-11-26', stretchStartedBy: 'reported_use', daysInStretch: 0, daysThisYear: 186, year: 2026 };
  return {
    clientId: 'story-client',
    timeZone: 'America/New_York',
    today: TODAY,
    recovery,
    sessionsAttended: { total: 14, group: 10, telehealth: 4 },
    modules: { completed: 3, recent: [{ moduleId: 'cravings', title: 'Coping with cravings', completedAt: `${dateOf(6)}T15:00:00.000Z` }] },
    checkIns: { total: 212, lastOn: dateOf(1), checkedInToday: false, currentStreak: 5, longestStreak: 31 },
    goals: [
      { id: 'g1', title: 'Go to 12 group meetings', target: 12, current: 7, completed: false, createdAt: '2026-10-01T00:00:00Z', updatedAt: '2026-11-20T00:00:00Z' },
      { id: 'g2', title: 'Walk 20 minutes, 5 mornings', target: 5, current: 5, completed: true, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-22T00:00:00Z' },
    ],
    trend: trend(),
    scores: { phq9: scores('phq9'), gad7: scores('gad7') },
    // Two monthly recovery check-ups (BAM): less use and risk, more protection.
    bam: [
      { at: `${dateOf(35)}T15:00:00.000Z`, date: dateOf(35), use: 4, risk: 13, protective: 10 },
      { at: `${dateOf(4)}T15:00:00.000Z`, date: dateOf(4), use: 1, risk: 9, protective: 14 },
    ],
  };
}

function emptySummary(): ProgressSummary {
  return {
    clientId: 'story-client',
    timeZone: 'UTC',
    today: TODAY,
    recovery: { startDate: null, stretchStart: null, stretchStartedBy: null, daysInStretch: null, daysThisYear: null, year: 2026 },
    sessionsAttended: { total: 0, group: 0, telehealth: 0 },
    modules: { completed: 0, recent: [] },
    checkIns: { total: 0, lastOn: null, checkedInToday: false, currentStreak: 0, longestStreak: 0 },
    goals: [],
    trend: Array.from({ length: 90 }, (_, i) => ({ date: dateOf(89 - i), mood: null, craving: null, sleepHours: null })),
    scores: { phq9: [], gad7: [] },
    bam: [],
  };
}

function answer(args: Args): MockAnswer {
  switch (args.load) {
    case 'data':
      return { data: summary(args.story) };
    case 'empty':
      return { data: emptySummary() };
    case 'pending':
    case 'offline':
      return args.load;
    case 'not-found':
      return { error: { httpStatus: 404, code: 'NOT_FOUND', message: 'No such client' } };
    case 'server-error':
      return { error: { httpStatus: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on the server' } };
  }
}

/** Lets a story change what the mock answers after the first render (the offline story goes offline). */
let override: MockAnswer | null = null;

const meta: Meta<Args> = {
  title: 'Client/Progress',
  component: 'care-progress',
  args: { locale: 'en-US', theme: 'auto', dir: 'ltr', range: 30, load: 'data', role: 'client', story: 'newStretch' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    range: { control: 'inline-radio', options: [7, 30, 90] },
    load: { control: 'select', options: ['data', 'empty', 'pending', 'offline', 'not-found', 'server-error'] },
    role: { control: 'inline-radio', options: ['client', 'clinician'] },
    story: { control: 'inline-radio', options: ['steady', 'newStretch', 'usedToday'] },
  },
  render: (args) => {
    override = null;
    mockCareServer({
      'progress.summary': () => override ?? answer(args),
      'progress.setRecoveryStart': (input) => ({ data: { startDate: (input as { date: string }).date, previousStartDate: '2026-03-02' } }),
    });
    // A fresh person per render keeps stories from sharing the summary saved on the device.
    const token = mockToken(`story-${crypto.randomUUID()}`, args.role);
    return html`<care-progress
      endpoint=${MOCK_ENDPOINT}
      token=${token}
      time-zone="America/New_York"
      locale=${args.locale}
      theme=${args.theme}
      dir=${args.dir}
      range=${args.range}
      client-id=${args.role === 'clinician' ? 'client-1' : ''}
    ></care-progress>`;
  },
};
export default meta;

type Story = StoryObj<Args>;

const element = (canvas: HTMLElement) => canvas.querySelector('care-progress') as CareProgress;
const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));
const expectText = (text: string) => ({ expectText: text });

export const Loading: Story = { args: { load: 'pending' }, parameters: expectText('Your progress') };
export const Empty: Story = { args: { load: 'empty' }, parameters: expectText('Your first check-in starts this.') };
export const WithData: Story = { parameters: expectText('Day 12 of this stretch, 187 days in recovery this year') };
export const SteadyStretch: Story = { args: { story: 'steady' }, parameters: expectText('Day 269 of this stretch') };
export const UseReportedToday: Story = { args: { story: 'usedToday' }, parameters: expectText('A new stretch begins tomorrow.') };
export const SevenDays: Story = { args: { range: 7 }, parameters: expectText('over the last 7 days') };
export const NinetyDays: Story = { args: { range: 90 }, parameters: expectText('over the last 90 days') };
export const LoadError: Story = { args: { load: 'server-error' }, parameters: expectText('We could not load progress right now.') };
export const OfflineNothingSaved: Story = { args: { load: 'offline' }, parameters: expectText('Try again') };
export const NotFound: Story = { args: { load: 'not-found', role: 'clinician' }, parameters: expectText('We could not find progress for this person.') };
export const OfflineSavedOnDevice: Story = {
  parameters: expectText('Showing progress saved on this device'),
  play: async ({ canvasElement }) => {
    const el = element(canvasElement);
    for (let i = 0; i < 20 && !el.shadowRoot?.textContent?.includes('Day 12'); i++) await settle(50);
    await settle(150); // the summary is saved to IndexedDB after it shows
    override = 'offline';
    await el.refresh();
    await el.updateComplete;
  },
};
export const EditingStartDate: Story = {
  parameters: expectText('This date is yours to choose.'),
  play: async ({ canvasElement }) => {
    const el = element(canvasElement);
    for (let i = 0; i < 20 && !el.shadowRoot?.querySelector('.edit-start'); i++) await settle(50);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.edit-start')!.click();
    await el.updateComplete;
  },
};
export const RecoveryCheckUp: Story = { parameters: expectText('Use (alcohol and drugs): 1 of 12') };
export const RecoveryCheckUpArabic: Story = { args: { locale: 'ar', dir: 'rtl' }, parameters: expectText('التعاطي (الكحول والمخدرات)') };
export const CareTeamView: Story = { args: { role: 'clinician' }, parameters: expectText('Progress Day 12 of this stretch') };
export const Spanish: Story = { args: { locale: 'es' }, parameters: expectText('Día 12 de esta etapa, 187 días en recuperación este año') };
export const RightToLeft: Story = { args: { dir: 'rtl' }, parameters: expectText('Day 12 of this stretch') };
export const Dark: Story = { args: { theme: 'dark' }, parameters: expectText('Day 12 of this stretch') };
