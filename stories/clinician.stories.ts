import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import type { Alert } from '../server/contract/alerts.js';
import type { CheckInRecord } from '../server/contract/check-in.js';
import type { OutcomesMonth, OutcomesReport, RosterPage } from '../server/contract/clinician.js';
import type { ProgressSummary } from '../server/contract/progress.js';
import type { SafetyPlanView } from '../server/contract/safety-plan.js';
import type { AttendedSessionPage } from '../server/contract/sessions.js';
import { FEEDBACK_BARRIERS } from '../server/contract/templates.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

type Answer = 'data' | 'empty' | 'pending' | 'offline' | 'forbidden';

interface Args {
  widget: 'alerts' | 'roster' | 'outcomes' | 'record';
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  answer: Answer;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const CHECK_INS: CheckInRecord[] = [
  { id: 'ci-1', clientRequestId: 'r1', clientId: 'c-2', templateId: 'daily', templateVersion: 1, submittedAt: hoursAgo(1), score: null, risk: { level: 'urgent', reasons: ['high_craving', 'reported_use'] }, answers: { mood: 3, craving: 9, used: 'yes', note: 'Bad night. My brother is back in town and I want to talk to someone today.' }, language: 'en', shownLanguage: 'en', provenance: null },
  { id: 'ci-0', clientRequestId: 'r0', clientId: 'c-2', templateId: 'phq9', templateVersion: 1, submittedAt: hoursAgo(50), score: { instrument: 'phq9', total: 11, max: 27, severity: 'moderate' }, risk: { level: 'none', reasons: [] }, answers: {}, language: 'ar', shownLanguage: 'ar', provenance: 'unverified', writeBack: { status: 'refused', iss: 'https://ehr.example.org/fhir', httpStatus: 403, reason: 'refused', detail: 'This EHR does not accept QuestionnaireResponses from this app', updatedAt: hoursAgo(50) } },
  // Answered on BAM version 2, which asked item 5 always: item 4 is 0, yet item 5 holds 2 days (shown, marked; not in Use).
  { id: 'ci-bam', clientRequestId: 'r-bam', clientId: 'c-2', templateId: 'bam', templateVersion: 2, submittedAt: hoursAgo(24 * 9), score: { instrument: 'bam', use: 0, risk: 7, protective: 17 }, risk: { level: 'none', reasons: [] }, answers: { q1: 2, q2: 3, q3: 1, q4: 0, q5: 2, q6: 0, q8: 1, q9: 3, q10: 12, q11: 2, q12: 3, q13: 8, q14: 'yes', q15: 1, q16: 4, q17: 3 }, language: 'en', shownLanguage: 'en', provenance: 'published' },
];
const LATE_CHECK_IN: CheckInRecord = { id: 'ci-3', clientRequestId: 'r3', clientId: 'c-4', templateId: 'daily', templateVersion: 1, submittedAt: hoursAgo(30), score: null, risk: { level: 'elevated', reasons: ['mood_drop'] }, answers: { mood: 2, craving: 3, used: 'no' }, language: null, shownLanguage: null, provenance: null };

const ALERTS: Alert[] = [
  { id: 'a1', clientId: 'c-2', clientName: 'Sam T.', checkInId: 'ci-1', source: 'check_in', level: 'urgent', reasons: ['high_craving', 'reported_use', 'note'], createdAt: hoursAgo(1), acknowledgedAt: null, acknowledgedBy: null, acknowledgeNote: null, repeats: 0, lastRequestedAt: null, occurredAt: hoursAgo(1), receivedAt: hoursAgo(1), checkIn: CHECK_INS[0]! },
  { id: 'a2', clientId: 'c-9', clientName: 'Rosa V.', checkInId: null, source: 'crisis', level: 'urgent', reasons: [], createdAt: hoursAgo(3), acknowledgedAt: null, acknowledgedBy: null, acknowledgeNote: null, repeats: 2, lastRequestedAt: hoursAgo(2.5), occurredAt: hoursAgo(3), receivedAt: hoursAgo(3), checkIn: null },
  { id: 'a3', clientId: 'c-4', clientName: 'Jordan P.', checkInId: 'ci-3', source: 'check_in', level: 'elevated', reasons: ['mood_drop'], createdAt: hoursAgo(20), acknowledgedAt: null, acknowledgedBy: null, acknowledgeNote: null, repeats: 0, lastRequestedAt: null, occurredAt: hoursAgo(30), receivedAt: hoursAgo(20), checkIn: LATE_CHECK_IN },
];

const ROSTER: RosterPage = {
  items: [
    { clientId: 'c-1', name: 'Alex R.', lastCheckInAt: hoursAgo(2), streak: 12, phq9: { total: 6, max: 27, severity: 'mild', at: hoursAgo(100) }, gad7: null, openAlerts: 0, engagement: 13 },
    { clientId: 'c-2', name: 'Sam T.', lastCheckInAt: hoursAgo(1), streak: 3, phq9: { total: 11, max: 27, severity: 'moderate', at: hoursAgo(50) }, gad7: { total: 9, max: 21, severity: 'mild', at: hoursAgo(50) }, openAlerts: 1, engagement: 8 },
    { clientId: 'c-3', name: 'Jordan P.', lastCheckInAt: hoursAgo(24 * 9), streak: 0, phq9: null, gad7: null, openAlerts: 1, engagement: 2 },
    { clientId: 'c-5', name: null, lastCheckInAt: null, streak: 0, phq9: null, gad7: null, openAlerts: 0, engagement: 0 },
  ],
  total: 42,
  offset: 0,
  nextCursor: '4',
  timeZone: 'America/Chicago',
  asOfDay: new Date().toISOString().slice(0, 10),
};

function month(m: string, i: number, partial = false): OutcomesMonth {
  const barriers = Object.fromEntries(FEEDBACK_BARRIERS.map((b, k) => [b, (i + k) % 3])) as OutcomesMonth['feedback']['barriers'];
  return {
    month: m,
    partial,
    engagement: { eligible: 30 + i, engaged: 15 + i * 2, rate: (15 + i * 2) / (30 + i) },
    retention: {
      d30: { cohort: 6, measured: partial ? 0 : 6, retained: partial ? 0 : 3 + (i % 3), rate: partial ? null : (3 + (i % 3)) / 6 },
      d90: { cohort: 6, measured: i < 3 ? 6 : 0, retained: i < 3 ? 2 : 0, rate: i < 3 ? 2 / 6 : null },
    },
    relapse: { occurrences: 6 - i, clients: Math.max(1, 4 - i) },
    attendance: { sessions: 20 + i * 3, clients: 12 + i, group: 15 + i * 2, telehealth: 5 + i },
    feedback: { responses: 8 + i, satisfaction: 3.6 + i * 0.1, usefulness: 3.4 + i * 0.15, barriers },
    // One clinic that turned the Arabic forms on: a few scores each month are from that unverified translation.
    instruments: { phq9: { scores: 10 + i, unverifiedTranslation: i % 2 }, gad7: { scores: 8 + i, unverifiedTranslation: 1 } },
    // Monthly BAM: Use and Risk easing, Protective growing (the first month had none).
    bam: i === 0 ? { scores: 0, clients: 0, use: null, risk: null, protective: null, unverifiedTranslation: 0 } : { scores: 5 + i, clients: 4 + i, use: 4.2 - i * 0.6, risk: 12.5 - i, protective: 9 + i * 1.2, unverifiedTranslation: i % 2 },
  };
}
const MONTHS = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
const REPORT: OutcomesReport = {
  clinicName: 'Demo Recovery Clinic',
  timeZone: 'America/Chicago',
  today: '2026-11-25',
  generatedAt: new Date().toISOString(),
  months: MONTHS.map((m, i) => month(m, i, i === MONTHS.length - 1)),
};
const EMPTY_REPORT: OutcomesReport = {
  ...REPORT,
  months: MONTHS.map((m) => ({
    month: m,
    partial: false,
    engagement: { eligible: 0, engaged: 0, rate: null },
    retention: { d30: { cohort: 0, measured: 0, retained: 0, rate: null }, d90: { cohort: 0, measured: 0, retained: 0, rate: null } },
    relapse: { occurrences: 0, clients: 0 },
    attendance: { sessions: 0, clients: 0, group: 0, telehealth: 0 },
    feedback: { responses: 0, satisfaction: null, usefulness: null, barriers: Object.fromEntries(FEEDBACK_BARRIERS.map((b) => [b, 0])) as OutcomesMonth['feedback']['barriers'] },
    instruments: { phq9: { scores: 0, unverifiedTranslation: 0 }, gad7: { scores: 0, unverifiedTranslation: 0 } },
    bam: { scores: 0, clients: 0, use: null, risk: null, protective: null, unverifiedTranslation: 0 },
  })),
};

const TODAY = new Date().toISOString().slice(0, 10);
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
const SUMMARY: ProgressSummary = {
  clientId: 'c-2',
  timeZone: 'UTC',
  today: TODAY,
  recovery: { startDate: daysAgo(40), stretchStart: daysAgo(20), stretchStartedBy: 'reported_use', daysInStretch: 21, daysThisYear: 38, year: Number(TODAY.slice(0, 4)) },
  sessionsAttended: { total: 2, group: 1, telehealth: 1 },
  modules: { completed: 0, recent: [] },
  checkIns: { total: 30, lastOn: TODAY, checkedInToday: true, currentStreak: 3, longestStreak: 9 },
  goals: [],
  trend: Array.from({ length: 90 }, (_, i) => ({ date: daysAgo(89 - i), mood: i % 3 ? 4 + (i % 5) : null, craving: i % 3 ? 7 - (i % 4) : null, sleepHours: i % 3 ? 6.5 : null })),
  scores: { phq9: [{ at: hoursAgo(50), date: daysAgo(2), total: 11, max: 27, severity: 'moderate' }], gad7: [] },
  bam: [],
};
const PLAN: SafetyPlanView = {
  clientId: 'c-2',
  latestVersion: 2,
  plan: {
    clientId: 'c-2',
    version: 2,
    kind: 'plan',
    authorRole: 'client',
    authorName: 'Sam T.',
    baseVersion: 1,
    createdAt: hoursAgo(100),
    sections: { warningSigns: [{ text: 'Not sleeping' }], copingStrategies: [{ text: 'Walk the dog' }], socialDistractions: [], helpContacts: [{ text: 'Maria', phone: '555 0100' }], professionals: [], safeEnvironment: [], reasonsForLiving: [{ text: 'My kids' }] },
  },
  suggestion: null,
  versions: [
    { version: 2, kind: 'plan', authorRole: 'client', createdAt: hoursAgo(100) },
    { version: 1, kind: 'suggestion', authorRole: 'clinician', createdAt: hoursAgo(200) },
  ],
};
const SESSIONS: AttendedSessionPage = {
  items: [
    { id: 's2', kind: 'group', groupId: 'g1', groupName: 'Thursday recovery circle', joinedAt: hoursAgo(30), leftAt: hoursAgo(29), minutes: 60 },
    { id: 's1', kind: 'telehealth', groupId: null, groupName: null, joinedAt: hoursAgo(200), leftAt: hoursAgo(199.5), minutes: 30 },
  ],
  nextCursor: null,
};
const NOT_FOUND: MockAnswer = { error: { httpStatus: 404, code: 'NOT_FOUND', message: 'No such client' } };

function answerFor(kind: Answer, data: unknown, empty: unknown): MockAnswer {
  switch (kind) {
    case 'pending':
    case 'offline':
      return kind;
    case 'forbidden':
      return { error: { httpStatus: 403, code: 'FORBIDDEN', message: 'This needs the clinician or admin role' } };
    case 'empty':
      return { data: empty };
    default:
      return { data };
  }
}

const meta: Meta<Args> = {
  title: 'Clinician/Widgets',
  component: 'care-alerts',
  args: { widget: 'alerts', locale: 'en-US', theme: 'auto', dir: 'ltr', answer: 'data' },
  argTypes: {
    widget: { control: 'inline-radio', options: ['alerts', 'roster', 'outcomes', 'record'] },
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    answer: { control: 'select', options: ['data', 'empty', 'pending', 'offline', 'forbidden'] },
  },
  render: (args) => {
    mockCareServer({
      'alerts.list': (input) =>
        args.widget === 'record' && args.answer === 'forbidden'
          ? NOT_FOUND
          : (input as { clientId?: string } | undefined)?.clientId
            ? { data: { items: [{ ...ALERTS[0]!, acknowledgedAt: hoursAgo(0.5), acknowledgedBy: 'story-clinician', acknowledgeNote: 'Called; safe tonight' }], nextCursor: null } }
            : answerFor(args.answer, { items: ALERTS, nextCursor: null }, { items: [], nextCursor: null }),
      'progress.summary': () => (args.answer === 'forbidden' ? NOT_FOUND : { data: SUMMARY }),
      'progress.sessions': () => (args.answer === 'forbidden' ? NOT_FOUND : { data: SESSIONS }),
      'safetyPlan.get': () => (args.answer === 'forbidden' ? NOT_FOUND : { data: PLAN }),
      'alerts.acknowledge': (input) => {
        const alert = ALERTS.find((a) => a.id === (input as { alertId: string }).alertId)!;
        return { data: { ...alert, acknowledgedAt: new Date().toISOString(), acknowledgedBy: 'story-clinician', acknowledgeNote: null } };
      },
      'checkIn.list': () => ({ data: { items: CHECK_INS, nextCursor: null } }),
      'roster.list': () => answerFor(args.answer, ROSTER, { ...ROSTER, items: [], total: 0, nextCursor: null }),
      'outcomes.report': () => answerFor(args.answer, REPORT, EMPTY_REPORT),
    });
    const token = mockToken('story-clinician', 'clinician');
    const common = { endpoint: MOCK_ENDPOINT, token, locale: args.locale, theme: args.theme, dir: args.dir };
    switch (args.widget) {
      case 'roster':
        return html`<care-roster endpoint=${common.endpoint} token=${common.token} locale=${common.locale} theme=${common.theme} dir=${common.dir}></care-roster>`;
      case 'record':
        return html`<care-client-record endpoint=${common.endpoint} token=${common.token} locale=${common.locale} theme=${common.theme} dir=${common.dir} client-id="c-2" client-name="Sam T."></care-client-record>`;
      case 'outcomes':
        return html`<care-outcomes endpoint=${common.endpoint} token=${common.token} locale=${common.locale} theme=${common.theme} dir=${common.dir}></care-outcomes>`;
      default:
        return html`<care-alerts endpoint=${common.endpoint} token=${common.token} locale=${common.locale} theme=${common.theme} dir=${common.dir}></care-alerts>`;
    }
  },
};
export default meta;

type Story = StoryObj<Args>;
const expectText = (text: string) => ({ expectText: text });
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
const shadowOf = (canvas: HTMLElement, tag: string) => canvas.querySelector(tag)!.shadowRoot!;

export const AlertsInbox: Story = { parameters: expectText('Crisis help requested') };
export const AlertsEmpty: Story = { args: { answer: 'empty' }, parameters: expectText('No open alerts right now.') };
export const AlertsLoading: Story = { args: { answer: 'pending' }, parameters: expectText('Loading alerts…') };
export const AlertsOffline: Story = { args: { answer: 'offline' }, parameters: expectText('Could not reach the care server.') };
export const AlertsForbidden: Story = { args: { answer: 'forbidden' }, parameters: expectText('Alerts are for care team members.') };
export const AlertsAcknowledgeForm: Story = {
  parameters: expectText('Note for the care team (optional)'),
  play: async ({ canvasElement }) => {
    await settle();
    shadowOf(canvasElement, 'care-alerts').querySelector<HTMLButtonElement>('#ack-button-a1')!.click();
    await settle();
  },
};
export const AlertsRecentCheckIns: Story = {
  parameters: expectText('mood 3/10, craving 9/10'),
  play: async ({ canvasElement }) => {
    await settle();
    shadowOf(canvasElement, 'care-alerts').querySelector<HTMLButtonElement>('[aria-controls="check-ins-a1"]')!.click();
    await settle();
  },
};
export const AlertsCheckInNote: Story = { parameters: expectText('Bad night. My brother is back in town') };
export const AlertsArrivedLate: Story = { parameters: expectText('Received') };
export const AlertsNoteRightToLeft: Story = { args: { dir: 'rtl', locale: 'ar' }, parameters: expectText('ملاحظة لفريق الرعاية') };
export const AlertsSpanish: Story = { args: { locale: 'es' }, parameters: expectText('Pidió ayuda en crisis') };
export const AlertsDark: Story = { args: { theme: 'dark' }, parameters: expectText('Needs attention') };
export const AlertsRightToLeft: Story = { args: { dir: 'rtl' }, parameters: expectText('Sudden drop in mood') };

export const RosterTable: Story = { args: { widget: 'roster' }, parameters: expectText('Showing 1–4 of 42.') };
export const RosterEmpty: Story = { args: { widget: 'roster', answer: 'empty' }, parameters: expectText('No clients yet.') };
export const RosterLoading: Story = { args: { widget: 'roster', answer: 'pending' }, parameters: expectText('Loading clients…') };
export const RosterOffline: Story = { args: { widget: 'roster', answer: 'offline' }, parameters: expectText('Could not reach the care server.') };
export const RosterForbidden: Story = { args: { widget: 'roster', answer: 'forbidden' }, parameters: expectText('The client list is for care team members.') };
export const RosterSpanish: Story = { args: { widget: 'roster', locale: 'es' }, parameters: expectText('Mostrando 1–4 de 42.') };
export const RosterDark: Story = { args: { widget: 'roster', theme: 'dark' }, parameters: expectText('Engagement (14 days)') };
export const RosterRightToLeft: Story = { args: { widget: 'roster', dir: 'rtl' }, parameters: expectText('13 of 14 days') };

export const OutcomesCharts: Story = { args: { widget: 'outcomes' }, parameters: expectText('Engagement rate rose from 50%') };
export const OutcomesEmpty: Story = { args: { widget: 'outcomes', answer: 'empty' }, parameters: expectText('No outcomes to show for these months yet.') };
export const OutcomesLoading: Story = { args: { widget: 'outcomes', answer: 'pending' }, parameters: expectText('Loading the report…') };
export const OutcomesOffline: Story = { args: { widget: 'outcomes', answer: 'offline' }, parameters: expectText('Could not reach the care server.') };
export const OutcomesForbidden: Story = { args: { widget: 'outcomes', answer: 'forbidden' }, parameters: expectText('Outcome reports are for care team members.') };
export const OutcomesSpanish: Story = { args: { widget: 'outcomes', locale: 'es' }, parameters: expectText('Tasa de participación subió') };
export const OutcomesDark: Story = { args: { widget: 'outcomes', theme: 'dark' }, parameters: expectText('Retention at 30 days') };
export const OutcomesRightToLeft: Story = { args: { widget: 'outcomes', dir: 'rtl' }, parameters: expectText('Sessions attended') };

export const RosterRecordOpen: Story = {
  args: { widget: 'roster' },
  parameters: expectText('Back to clients'),
  play: async ({ canvasElement }) => {
    await settle();
    shadowOf(canvasElement, 'care-roster').querySelectorAll<HTMLButtonElement>('tbody th button')[1]!.click();
    await settle();
  },
};
export const AlertsRecordOpen: Story = {
  parameters: expectText('Back to alerts'),
  play: async ({ canvasElement }) => {
    await settle();
    shadowOf(canvasElement, 'care-alerts').querySelector<HTMLButtonElement>('button.open-record')!.click();
    await settle();
  },
};
export const ClientRecord: Story = { args: { widget: 'record' }, parameters: expectText('Record of Sam T.') };
/** A check-in written back to the EHR the person launched from (SMART) and refused there: the clinic sees why. */
export const ClientRecordWriteBackRefused: Story = { args: { widget: 'record' }, parameters: expectText('The EHR (ehr.example.org) refused this check-in: it answered 403') };
export const ClientRecordEarlierForm: Story = { args: { widget: 'record' }, parameters: expectText("Asked on version 2 of this form. Today's form skips this question after these answers, so the score does not count it.") };
export const ClientRecordNotFound: Story = { args: { widget: 'record', answer: 'forbidden' }, parameters: expectText('No client with this id in your clinic.') };
export const ClientRecordSpanish: Story = { args: { widget: 'record', locale: 'es' }, parameters: expectText('Expediente de Sam T.') };
export const ClientRecordRightToLeft: Story = { args: { widget: 'record', dir: 'rtl' }, parameters: expectText('Sessions attended') };
export const ClientRecordDark: Story = { args: { widget: 'record', theme: 'dark' }, parameters: expectText('Thursday recovery circle') };
