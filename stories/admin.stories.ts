import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/admin/index.js';
import type { AdminChange } from '../server/contract/admin.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

type Answer = 'data' | 'pending' | 'saving' | 'refused' | 'refused-unlisted' | 'empty-audit';

interface Args {
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  answer: Answer;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const CLINIC = {
  id: 'demo-clinic',
  name: 'Harbor Recovery Clinic',
  region: 'US',
  timeZone: 'America/Chicago',
  defaultLocale: 'en',
  languages: ['en', 'es'],
  templates: ['daily', 'phq9', 'gad7'],
  maxTokenLifetimeS: 43_200,
  keys: 'hs256',
  jwksUrl: null,
  previousSecretValidUntil: hoursAgo(-48),
  origins: ['https://portal.harbor.example.org', 'http://localhost:5173'],
  createdAt: hoursAgo(2000),
};
const EFFECTIVE = { cravingElevated: 8, moodDropPoints: 4, phq9Item9Urgent: true, phq9TotalElevated: 20, gad7TotalElevated: 15, reportedUseUrgentWithCraving: true, notesNeedAttention: true, selfHarmTerms: [] };
const AUDIT: AdminChange[] = [
  { id: 'c3', at: hoursAgo(2), actor: 'admin:dana', action: 'clinic.rules.set', before: { cravingElevated: 8 }, after: { cravingElevated: 7 } },
  { id: 'c2', at: hoursAgo(30), actor: 'cli:root', action: 'clinic.origins.add', before: { origins: [] }, after: { origins: ['https://portal.harbor.example.org'] } },
  { id: 'c1', at: hoursAgo(900), actor: 'cli:root', action: 'clinic.create', before: null, after: { name: 'Harbor Recovery Clinic' } },
];
const PREVIEW = {
  clinicId: 'demo-clinic',
  from: hoursAgo(720),
  to: hoursAgo(0),
  checkIns: 212,
  flagged: { none: 180, elevated: 28, urgent: 4, reasons: { high_craving: 19, reported_use: 6, mood_drop: 5, note: 3, phq9_item9: 2 } },
  wouldFlag: { none: 168, elevated: 40, urgent: 4, reasons: { high_craving: 31, reported_use: 6, mood_drop: 5, note: 3, phq9_item9: 2 } },
  levelChanged: 12,
};
const REFUSED: MockAnswer = {
  error: { httpStatus: 400, code: 'BAD_REQUEST', message: 'Invalid input: timeZone: must be an IANA time zone', fieldErrors: [{ path: 'timeZone', message: 'must be an IANA time zone such as Europe/Paris' }] },
};

/** A refusal naming a value the profile form has no control for (a newer server's field). */
const REFUSED_UNLISTED: MockAnswer = {
  error: { httpStatus: 400, code: 'BAD_REQUEST', message: 'Invalid input: retentionDays: must be at least 30', fieldErrors: [{ path: 'retentionDays', message: 'must be at least 30' }] },
};

const meta: Meta<Args> = {
  title: 'Admin/Clinic settings',
  component: 'care-admin',
  args: { locale: 'en-US', theme: 'auto', dir: 'ltr', answer: 'data' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    answer: { control: 'select', options: ['data', 'pending', 'saving', 'refused', 'refused-unlisted', 'empty-audit'] },
  },
  render: (args) => {
    mockCareServer({
      'admin.clinic': () => (args.answer === 'pending' ? 'pending' : { data: CLINIC }),
      'admin.rules': () => ({ data: { stored: null, effective: EFFECTIVE, defaults: EFFECTIVE } }),
      'admin.audit': () => ({ data: { items: args.answer === 'empty-audit' ? [] : AUDIT, nextCursor: null } }),
      'admin.setClinic': () => (args.answer === 'saving' ? 'pending' : args.answer === 'refused' ? REFUSED : args.answer === 'refused-unlisted' ? REFUSED_UNLISTED : { data: { clinic: CLINIC, changed: { before: {}, after: {} } } }),
      'admin.previewRules': () => ({ data: PREVIEW }),
      'admin.setRules': () => ({ data: { stored: EFFECTIVE, effective: EFFECTIVE } }),
    });
    const token = mockToken('dana', 'admin');
    return html`<care-admin endpoint=${MOCK_ENDPOINT} token=${token} locale=${args.locale} theme=${args.theme} dir=${args.dir}></care-admin>`;
  },
};
export default meta;
type Story = StoryObj<Args>;

const expectText = (text: string) => ({ expectText: text });
const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));
const root = (canvas: HTMLElement) => canvas.querySelector('care-admin')!.shadowRoot!;
const submitProfile = async (canvas: HTMLElement) => {
  await settle();
  root(canvas).querySelector<HTMLButtonElement>('[data-section="profile"] button[type="submit"]')!.click();
  await settle();
};

export const Loaded: Story = { parameters: expectText('Allowed portal origins') };
export const Loading: Story = { args: { answer: 'pending' }, parameters: expectText('Loading clinic settings…') };
export const Saving: Story = { args: { answer: 'saving' }, parameters: expectText('Saving…'), play: ({ canvasElement }) => submitProfile(canvasElement) };
export const FieldError: Story = { args: { answer: 'refused' }, parameters: expectText('Enter a time zone the server knows'), play: ({ canvasElement }) => submitProfile(canvasElement) };
export const FieldErrorWithoutControl: Story = {
  args: { answer: 'refused-unlisted' },
  parameters: expectText('The server refused a value: must be at least 30'),
  play: ({ canvasElement }) => submitProfile(canvasElement),
};
export const PreviewShown: Story = {
  parameters: expectText('would change level'),
  play: async ({ canvasElement }) => {
    await settle();
    root(canvasElement).querySelector<HTMLButtonElement>('#preview-rules')!.click();
    await settle();
  },
};
export const EmptyAudit: Story = { args: { answer: 'empty-audit' }, parameters: expectText('No changes have been made yet.') };
export const Arabic: Story = { args: { locale: 'ar', dir: 'rtl' }, parameters: expectText('إعدادات العيادة') };
