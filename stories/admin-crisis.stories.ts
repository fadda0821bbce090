import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/admin/admin-crisis.js';
import type { AdminCrisisView, AdminHotlines, AdminWebhookTestResult } from '../server/contract/admin.js';
import { CRISIS_LINES } from '../server/contract/hotlines.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

type Answer = 'data' | 'pending' | 'no-webhook' | 'test-ok' | 'test-error' | 'test-timeout' | 'refused' | 'secret';

interface Args {
  locale: string;
  dir: 'ltr' | 'rtl';
  answer: Answer;
}

const CRISIS: AdminCrisisView = {
  onCallHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, { days: [6], start: '10:00', end: '14:00' }],
  onCallTimeZone: 'America/Chicago',
  onCallPhone: '+1 312 555 0100',
  webhookUrl: 'https://pager.harbor.example.org/care',
  webhookSecretSet: true,
};
const HOTLINES: AdminHotlines = {
  region: 'US',
  emergency: '911',
  regionLines: CRISIS_LINES.US!.lines,
  clinicLines: [{ id: 'h1', name: 'Harbor night line', call: '+1 312 555 0177', text: null, url: null, hours: '20:00–08:00', language: 'en', createdAt: '2026-11-30T10:00:00.000Z' }],
};
const result = (over: Partial<AdminWebhookTestResult>): AdminWebhookTestResult => ({
  ok: true, url: CRISIS.webhookUrl!, statusCode: 202, bodyExcerpt: '{"received":true,"queued":"on-call nurse"}', error: null, errorMessage: null, durationMs: 184, deliveryId: 'd1', sentAt: '2026-12-03T08:00:00.000Z', ...over,
});
const REFUSED: MockAnswer = { error: { httpStatus: 400, code: 'BAD_REQUEST', message: 'onCallPhone must be a phone number', fieldErrors: [{ path: 'onCallPhone', message: 'must be a phone number' }] } };

const meta: Meta<Args> = {
  title: 'Admin/Crisis set-up',
  component: 'care-admin-crisis',
  args: { locale: 'en-US', dir: 'ltr', answer: 'data' },
  argTypes: {
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    answer: { control: 'select', options: ['data', 'pending', 'no-webhook', 'test-ok', 'test-error', 'test-timeout', 'refused', 'secret'] },
  },
  render: (args) => {
    mockCareServer({
      'admin.crisis': () => (args.answer === 'pending' ? 'pending' : { data: args.answer === 'no-webhook' ? { ...CRISIS, webhookUrl: null, webhookSecretSet: false } : CRISIS }),
      'admin.hotlines': () => ({ data: HOTLINES }),
      'admin.setCrisis': () => (args.answer === 'refused' ? REFUSED : { data: { crisis: CRISIS, changed: { before: {}, after: {} }, webhookSecret: null } }),
      'admin.testCrisisWebhook': () => ({
        data:
          args.answer === 'test-error'
            ? result({ ok: false, statusCode: 503, bodyExcerpt: 'pager maintenance until 09:00' })
            : args.answer === 'test-timeout'
              ? result({ ok: false, statusCode: null, bodyExcerpt: null, error: 'timeout', errorMessage: 'no answer within 5 s', durationMs: 5002 })
              : result({}),
      }),
      'admin.rotateCrisisSecret': () => ({ data: { secret: 'Xq3v9bT0sN8cW1yZ-4hJ_k2LmP7rD5fG6aE0uB9iC3o', crisis: CRISIS } }),
    });
    return html`<care-admin-crisis endpoint=${MOCK_ENDPOINT} token=${mockToken('dana', 'admin')} locale=${args.locale} dir=${args.dir}></care-admin-crisis>`;
  },
};
export default meta;
type Story = StoryObj<Args>;

const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));
const click = (selector: string) => async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  await settle();
  canvasElement.querySelector('care-admin-crisis')!.shadowRoot!.querySelector<HTMLButtonElement>(selector)!.click();
  await settle();
};

export const Loaded: Story = { parameters: { expectText: 'Harbor night line' } };
export const Loading: Story = { args: { answer: 'pending' }, parameters: { expectText: 'Loading clinic settings…' } };
export const NoWebhook: Story = { args: { answer: 'no-webhook' }, parameters: { expectText: 'No webhook' } };
export const TestDelivered: Story = { args: { answer: 'test-ok' }, parameters: { expectText: 'the receiver answered 202' }, play: click('#test-webhook') };
export const TestRefusedByReceiver: Story = { args: { answer: 'test-error' }, parameters: { expectText: 'answered 503' }, play: click('#test-webhook') };
export const TestTimedOut: Story = { args: { answer: 'test-timeout' }, parameters: { expectText: 'did not answer in time' }, play: click('#test-webhook') };
export const FieldError: Story = { args: { answer: 'refused' }, parameters: { expectText: 'Enter a phone number' }, play: click('[data-section="crisis"] button[type="submit"]') };
export const SecretShownOnce: Story = { args: { answer: 'secret' }, parameters: { expectText: 'shown only now' }, play: click('#rotate-secret') };
export const Arabic: Story = { args: { locale: 'ar', dir: 'rtl' }, parameters: { expectText: 'إعداد الأزمات' } };
