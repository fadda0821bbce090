import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import type { CareCheckIn } from '../components/check-in/check-in.js';
import type { Answers, SubmitCheckInResult } from '../server/contract/check-in.js';
import { TEMPLATES } from '../server/contract/templates.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

interface Args {
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  template: 'daily' | 'phq9' | 'gad7' | 'bam';
  answers: Answers;
  submit: 'sent' | 'urgent' | 'elevated' | 'offline' | 'pending' | 'refused' | 'origin-not-allowed' | 'signed-out';
  /** The clinic's region as the server reports it; it picks the crisis lines. */
  clinicRegion: string;
  /** Unverified instrument translations the clinic turned on (`phq9:ar`); otherwise the English form is shown. */
  unverifiedTranslations: string[];
}

const filled: Answers = { mood: 6, craving: 3, sleepHours: 7, medication: 'yes', warningSigns: ['stress'], used: 'no', note: 'Went to my group.' };

function result(level: 'none' | 'elevated' | 'urgent', input: unknown): SubmitCheckInResult {
  const { clientRequestId, templateId, submittedAt } = input as { clientRequestId: string; templateId: 'daily'; submittedAt: string };
  const reasons = level === 'urgent' ? (['high_craving', 'reported_use'] as const) : level === 'elevated' ? (['high_craving'] as const) : [];
  return { id: 'story-1', clientRequestId, templateId, submittedAt, score: null, risk: { level, reasons: [...reasons] }, language: null, shownLanguage: null, provenance: null };
}

function submitAnswer(kind: Args['submit'], input: unknown): MockAnswer {
  switch (kind) {
    case 'offline':
    case 'pending':
      return kind;
    // The browser refuses the reply of a server that does not allow the page's origin: to the page it is a network error.
    case 'origin-not-allowed':
      return 'offline';
    case 'signed-out':
      return { error: { httpStatus: 401, code: 'UNAUTHORIZED', message: 'Token expired' } };
    case 'refused':
      return { error: { httpStatus: 400, code: 'BAD_REQUEST', message: 'Invalid input: answers.mood: Too big', fieldErrors: [{ path: 'answers.mood', message: 'Too big' }] } };
    case 'sent':
      return { data: result('none', input) };
    default:
      return { data: result(kind, input) };
  }
}

const meta: Meta<Args> = {
  title: 'Client/Check-in',
  component: 'care-check-in',
  args: { locale: 'en-US', theme: 'auto', dir: 'ltr', template: 'daily', answers: {}, submit: 'sent', clinicRegion: 'US', unverifiedTranslations: [] },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    template: { control: 'select', options: ['daily', 'phq9', 'gad7', 'bam'] },
    submit: { control: 'select', options: ['sent', 'urgent', 'elevated', 'offline', 'pending', 'refused', 'origin-not-allowed', 'signed-out'] },
  },
  render: (args) => {
    mockCareServer({
      'checkIn.templates': () => ({
        data: { region: args.clinicRegion, defaultLocale: 'en', templates: Object.values(TEMPLATES), unverifiedTranslations: args.unverifiedTranslations },
      }),
      'checkIn.submit': (input) => submitAnswer(args.submit, input),
      ...(args.submit === 'origin-not-allowed' ? { healthz: () => ({ data: { ok: true } }) } : {}),
    });
    // A fresh person per render keeps stories from sharing drafts or queued check-ins on the device.
    const token = mockToken(`story-${crypto.randomUUID()}`);
    return html`<care-check-in
      endpoint=${MOCK_ENDPOINT}
      token=${token}
      locale=${args.locale}
      theme=${args.theme}
      dir=${args.dir}
      template=${args.template}
      .answers=${args.answers}
    ></care-check-in>`;
  },
};
export default meta;

type Story = StoryObj<Args>;

const element = (canvas: HTMLElement) => canvas.querySelector('care-check-in') as CareCheckIn;
async function submitted(canvas: HTMLElement) {
  const el = element(canvas);
  await el.updateComplete;
  el.submit();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await el.updateComplete;
}

const expectText = (text: string) => ({ expectText: text });

export const Empty: Story = { parameters: expectText('Send check-in') };
export const Filled: Story = { args: { answers: filled }, parameters: expectText('17 of 2000 characters') };
export const Invalid: Story = {
  args: { answers: { craving: 3 } },
  parameters: expectText('Please answer this question.'),
  play: async ({ canvasElement }) => {
    const el = element(canvasElement);
    await el.updateComplete;
    await el.reportValidity();
  },
};
export const Submitting: Story = {
  args: { answers: filled, submit: 'pending' },
  parameters: expectText('Sending…'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const OfflineQueued: Story = {
  args: { answers: filled, submit: 'offline' },
  parameters: expectText('Saved on this device. It will be sent when your connection is back.'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const OriginNotAllowed: Story = {
  args: { answers: filled, submit: 'origin-not-allowed' },
  parameters: expectText("Your clinic's website is not set up to send check-ins yet"),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const SignedOutKept: Story = {
  args: { answers: filled, submit: 'signed-out' },
  parameters: expectText('will be sent as soon as you are signed in again'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const Sent: Story = {
  args: { answers: filled, submit: 'sent' },
  parameters: expectText('Check-in sent Thank you for taking a moment'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const ElevatedRisk: Story = {
  args: { answers: { ...filled, craving: 8 }, submit: 'elevated' },
  parameters: expectText('Your care team will see this'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const UrgentRisk: Story = {
  args: { answers: { ...filled, craving: 9, used: 'yes' }, submit: 'urgent' },
  parameters: expectText('Call 988 Suicide & Crisis Lifeline: 988'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const RefusedByServer: Story = {
  args: { answers: filled, submit: 'refused' },
  parameters: expectText('could not be saved'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const Spanish: Story = { args: { locale: 'es' }, parameters: expectText('Registro diario') };
export const SpanishUrgent: Story = {
  args: { locale: 'es-MX', clinicRegion: 'MX', answers: { ...filled, craving: 9, used: 'yes' }, submit: 'urgent' },
  parameters: expectText('Llame a Línea de la Vida: 8009112000'),
  play: ({ canvasElement }) => submitted(canvasElement),
};
export const RightToLeft: Story = { args: { dir: 'rtl', answers: filled }, parameters: expectText('17 of 2000 characters') };
export const Dark: Story = { args: { theme: 'dark', answers: filled }, parameters: expectText('17 of 2000 characters') };
export const PHQ9: Story = { args: { template: 'phq9' }, parameters: expectText('Mood questionnaire (PHQ-9)') };
export const GAD7: Story = { args: { template: 'gad7' }, parameters: expectText('Anxiety questionnaire (GAD-7)') };
/** Arabic has no checked PHQ-9 translation: the published English form, with one line in Arabic saying why. */
export const PHQ9EnglishFormForArabic: Story = {
  args: { template: 'phq9', locale: 'ar', dir: 'rtl' },
  parameters: expectText('يُعرض هذا الاستبيان باللغة الإنجليزية'),
};
/** The same for a newer language without any translation of the instrument. */
export const GAD7EnglishFormForVietnamese: Story = {
  args: { template: 'gad7', locale: 'vi' },
  parameters: expectText('Bảng câu hỏi này được hiển thị bằng tiếng Anh'),
};
/** The clinic turned the unverified Arabic PHQ-9 on knowingly: the Arabic items, no note (scores are marked for the care team). */
export const PHQ9ArabicTurnedOn: Story = {
  args: { template: 'phq9', locale: 'ar', dir: 'rtl', unverifiedTranslations: ['phq9:ar'] },
  parameters: expectText('قلة الاهتمام أو المتعة في القيام بالأشياء'),
};
export const BriefAddictionMonitor: Story = {
  args: { template: 'bam' },
  parameters: expectText('Recovery check-up (Brief Addiction Monitor)'),
};
/** The BAM is published by the VA in English only: a Spanish-speaking person sees the English form, with one line in Spanish. */
export const BamEnglishFormForSpanish: Story = {
  args: { template: 'bam', locale: 'es' },
  parameters: expectText('Este cuestionario se muestra en inglés'),
};
/** The clinic turned the unverified Spanish BAM on knowingly: the Spanish items, no note (scores are marked for the care team). */
export const BamSpanishTurnedOn: Story = {
  args: { template: 'bam', locale: 'es', unverifiedTranslations: ['bam:es'] },
  parameters: expectText('En los últimos 30 días, ¿diría usted que su salud física ha sido…?'),
};
/** BAM with item 6 above 0: items 7A–7G asked under the item 7 stem. */
export const BamDrugItems: Story = {
  args: { template: 'bam', answers: { q6: 3 } },
  parameters: expectText('how many days did you use any of the following drugs'),
};
/** BAM with item 4 above 0: item 5 (days with heavy drinking) asked right after it; at 0 it is skipped. */
export const BamHeavyDrinkingAsked: Story = {
  args: { template: 'bam', answers: { q4: 2 } },
  parameters: expectText('how many days did you have at least 5 drinks'),
};
