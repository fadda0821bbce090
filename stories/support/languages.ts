/**
 * The client widgets together in one language, for the per-language stories (stories/languages.stories.ts)
 * and the per-language layout test (test/components/languages-layout.test.ts): one <care-provider>
 * holding the daily check-in, progress, the crisis button, the safety plan and the support room,
 * each answered by the mock server with the same fixtures in every language.
 */
import { html, type TemplateResult } from 'lit';
import '../../components/index.js';
import { crisisInfoForReader, type CrisisResources, type SafetyPlanView } from '../../server/contract/index.js';
import type { GroupSummary } from '../../server/contract/groups.js';
import type { ProgressSummary } from '../../server/contract/progress.js';
import { TEMPLATES } from '../../server/contract/templates.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken } from './mock-care-server.js';

/** The shipped languages, a locale a page might pass for each, and the direction the widgets must take. */
export const LANGUAGES = [
  { language: 'en', locale: 'en-US', dir: 'ltr' },
  { language: 'es', locale: 'es-MX', dir: 'ltr' },
  { language: 'fr', locale: 'fr-CA', dir: 'ltr' },
  { language: 'ar', locale: 'ar-EG', dir: 'rtl' },
  { language: 'zh-Hans', locale: 'zh-CN', dir: 'ltr' },
  { language: 'zh-Hant', locale: 'zh-TW', dir: 'ltr' },
  { language: 'vi', locale: 'vi-VN', dir: 'ltr' },
  { language: 'ko', locale: 'ko-KR', dir: 'ltr' },
  { language: 'tl', locale: 'fil-PH', dir: 'ltr' },
  { language: 'ru', locale: 'ru-RU', dir: 'ltr' },
  { language: 'pt-BR', locale: 'pt-BR', dir: 'ltr' },
  { language: 'ht', locale: 'ht-HT', dir: 'ltr' },
] as const;

export type ShippedLanguage = (typeof LANGUAGES)[number]['language'];

/** The client widgets rendered by languageWidgets(), in order. */
export const CLIENT_WIDGETS = ['care-check-in', 'care-progress', 'care-crisis-button', 'care-safety-plan', 'care-support-room'] as const;

const DAY = 86_400_000;
const TODAY = new Date().toISOString().slice(0, 10);
const dateOf = (daysAgo: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - daysAgo * DAY).toISOString().slice(0, 10);
const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

function progress(): ProgressSummary {
  return {
    clientId: 'story-client',
    timeZone: 'America/New_York',
    today: TODAY,
    recovery: { startDate: dateOf(200), stretchStart: dateOf(12), stretchStartedBy: 'reported_use', daysInStretch: 12, daysThisYear: 187, year: Number(TODAY.slice(0, 4)) },
    sessionsAttended: { total: 14, group: 10, telehealth: 4 },
    modules: { completed: 1, recent: [{ moduleId: 'cravings', title: 'Coping with cravings', completedAt: `${dateOf(6)}T15:00:00.000Z` }] },
    checkIns: { total: 42, lastOn: dateOf(1), checkedInToday: false, currentStreak: 5, longestStreak: 31 },
    goals: [{ id: 'g1', title: 'Go to 12 group meetings', target: 12, current: 7, completed: false, createdAt: `${dateOf(40)}T00:00:00Z`, updatedAt: `${dateOf(3)}T00:00:00Z` }],
    trend: Array.from({ length: 30 }, (_, i) => ({
      date: dateOf(29 - i),
      mood: i % 9 === 4 ? null : 5 + (i % 4),
      craving: i % 9 === 4 ? null : 6 - (i % 3),
      sleepHours: i % 9 === 4 ? null : 6 + (i % 3) / 2,
    })),
    scores: {
      phq9: [14, 11, 9].map((total, i) => ({ at: `${dateOf(28 - i * 14)}T19:00:00.000Z`, date: dateOf(28 - i * 14), total, max: 27, severity: total >= 10 ? 'moderate' : 'mild' })),
      gad7: [12, 9, 6].map((total, i) => ({ at: `${dateOf(28 - i * 14)}T19:00:00.000Z`, date: dateOf(28 - i * 14), total, max: 21, severity: total >= 10 ? 'moderate' : 'mild' })),
    },
    bam: [],
  };
}

function safetyPlan(): SafetyPlanView {
  const plan = {
    clientId: 'story-client',
    version: 2,
    kind: 'plan' as const,
    authorRole: 'client' as const,
    authorName: 'Alex R.',
    baseVersion: 1,
    sections: {
      warningSigns: [{ text: 'Sleeping badly for more than two nights' }],
      copingStrategies: [{ text: 'Walk around the block and breathe slowly' }],
      socialDistractions: [{ text: 'Coffee at the community centre' }],
      helpContacts: [{ text: 'Maria (sister)', phone: '+1 202 555 0162' }],
      professionals: [{ text: 'Dr. Rivera', phone: '+1 202 555 0100' }],
      safeEnvironment: [{ text: 'Keep no alcohol at home' }],
      reasonsForLiving: [{ text: 'My daughter' }],
    },
    createdAt: `${dateOf(5)}T15:30:00.000Z`,
  };
  return { clientId: 'story-client', latestVersion: 2, plan, suggestion: null, versions: [{ version: 2, kind: 'plan', authorRole: 'client', createdAt: plan.createdAt }] };
}

function group(): GroupSummary {
  const session = { start: minutes(-5), end: minutes(85) };
  return {
    id: 'story-group',
    name: 'Evening recovery circle',
    topic: 'recovery',
    description: 'A peer support group for people in recovery, with a counsellor moderating.',
    language: 'en',
    timeZone: 'America/New_York',
    schedule: [{ day: 'thu', start: '18:30', minutes: 90 }],
    capacity: 12,
    moderators: [{ name: 'Dr. Rivera' }],
    guidelines: { en: 'What is shared here stays here.\nThis group is not for emergencies. If you are in danger, call 988 or 911.' },
    guidelinesVersion: 1,
    nextSession: session,
    upcoming: [session],
    roomOpen: true,
    dialIn: { number: '+1 202 555 0199', pin: '482913#' },
    video: { provider: 'none', domain: null, mode: 'none', captions: false, publicTestRoom: false },
    membership: {
      role: 'member',
      displayMode: 'alias',
      alias: 'Quiet Fox',
      displayName: 'Quiet Fox',
      guidelinesAcceptedVersion: 1,
      guidelinesAcceptedAt: minutes(-60 * 24),
    },
    notices: [],
  };
}

function resources(locale: string): CrisisResources {
  return { ...crisisInfoForReader(locale, null, 'US'), language: locale, contacts: [], onCall: null, fetchedAt: new Date().toISOString() };
}

/**
 * Installs the mock answers and returns the client widgets set to `locale`: inside one
 * <care-provider> (`provider`, the usual page), or each widget with its own attributes (the stories:
 * the stories test runs axe on every care element, and the provider would repeat all five).
 */
export function languageWidgets(locale: string, { provider = true } = {}): TemplateResult {
  mockCareServer({
    'checkIn.templates': () => ({ data: { region: 'US', defaultLocale: 'en', templates: Object.values(TEMPLATES), unverifiedTranslations: [] } }),
    'crisis.resources': () => ({ data: resources(locale) }),
    'progress.summary': () => ({ data: progress() }),
    'safetyPlan.get': () => ({ data: safetyPlan() }),
    'groups.list': () => ({ data: { groups: [group()] } }),
    'groups.messages': () => ({ data: { threads: [], nextCursor: null } }),
  });
  // A fresh person per render keeps renders from sharing drafts and saved summaries on the device.
  const token = mockToken(`story-${crypto.randomUUID()}`);
  if (provider) {
    return html`<care-provider endpoint=${MOCK_ENDPOINT} token=${token} locale=${locale}>
      <care-check-in template="daily"></care-check-in>
      <care-progress time-zone="America/New_York" range="7"></care-progress>
      <care-crisis-button variant="inline"></care-crisis-button>
      <care-safety-plan></care-safety-plan>
      <care-support-room group="story-group" poll-interval="0"></care-support-room>
    </care-provider>`;
  }
  return html`<care-check-in endpoint=${MOCK_ENDPOINT} token=${token} locale=${locale} template="daily"></care-check-in>
    <care-progress endpoint=${MOCK_ENDPOINT} token=${token} locale=${locale} time-zone="America/New_York" range="7"></care-progress>
    <care-crisis-button endpoint=${MOCK_ENDPOINT} token=${token} locale=${locale} variant="inline"></care-crisis-button>
    <care-safety-plan endpoint=${MOCK_ENDPOINT} token=${token} locale=${locale}></care-safety-plan>
    <care-support-room endpoint=${MOCK_ENDPOINT} token=${token} locale=${locale} group="story-group" poll-interval="0"></care-support-room>`;
}

/**
 * Waits (up to 5 s) until the widgets in `canvas` show `title` as the check-in heading and every
 * widget has loaded, so a story or test looks at the language's strings, not the English fallback
 * shown while the language's files load.
 */
export async function untilShown(canvas: HTMLElement, title: string): Promise<void> {
  const loaded = () => {
    const heading = canvas.querySelector('care-check-in')?.shadowRoot?.querySelector('h2')?.textContent?.trim();
    const room = canvas.querySelector('care-support-room')?.shadowRoot?.textContent ?? '';
    const plan = canvas.querySelector('care-safety-plan')?.shadowRoot?.textContent ?? '';
    return heading === title && room.includes('Evening recovery circle') && plan.includes('My daughter');
  };
  for (let waited = 0; !loaded() && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
}
