import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import type { CareCrisisButton } from '../components/crisis/crisis-button.js';
import { crisisInfoForReader, type CrisisAlertResult, type CrisisResources, type OnCallInfo } from '../server/contract/index.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

interface Args {
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  variant: 'inline' | 'floating';
  /** Whether the story's person has a token (signed in to the portal). */
  signedIn: boolean;
  contacts: boolean;
  onCall: 'open' | 'closed' | 'none';
  alert: 'sent' | 'paged' | 'offline' | 'pending' | 'refused';
}

const WEEKDAYS: OnCallInfo['windows'] = [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }];

function onCallFor(kind: Args['onCall']): OnCallInfo | null {
  if (kind === 'none') return null;
  return {
    timeZone: 'America/New_York',
    windows: WEEKDAYS,
    phone: '+1 202 555 0100',
    openNow: kind === 'open',
    nextOpenAt: kind === 'closed' ? '2026-11-30T14:00:00.000Z' : null,
  };
}

function resources(args: Args): CrisisResources {
  const info = crisisInfoForReader(args.locale, null, 'US');
  return {
    ...info,
    language: args.locale.split('-')[0] ?? 'en',
    contacts: args.contacts
      ? [
          { name: 'Maria (sister)', phone: '+1 202 555 0162', section: 'helpContacts' },
          { name: 'Dr. Rivera', phone: '+1 202 555 0100', section: 'professionals' },
        ]
      : [],
    onCall: onCallFor(args.onCall),
    fetchedAt: new Date().toISOString(),
  };
}

function alertAnswer(args: Args, input: unknown): MockAnswer {
  const { clientRequestId } = input as { clientRequestId: string };
  switch (args.alert) {
    case 'offline':
    case 'pending':
      return args.alert;
    case 'refused':
      return { error: { httpStatus: 403, code: 'FORBIDDEN', message: 'This needs the client role' } };
    default: {
      const result: CrisisAlertResult = {
        alertId: 'story-alert',
        clientRequestId,
        createdAt: new Date().toISOString(),
        paged: args.alert === 'paged',
        onCall: onCallFor(args.onCall),
      };
      return { data: result };
    }
  }
}

const meta: Meta<Args> = {
  title: 'Client/Crisis button',
  component: 'care-crisis-button',
  args: { locale: 'en-US', theme: 'auto', dir: 'ltr', variant: 'inline', signedIn: true, contacts: true, onCall: 'open', alert: 'sent' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    variant: { control: 'inline-radio', options: ['inline', 'floating'] },
    onCall: { control: 'inline-radio', options: ['open', 'closed', 'none'] },
    alert: { control: 'select', options: ['sent', 'paged', 'offline', 'pending', 'refused'] },
  },
  render: (args) => {
    mockCareServer({
      'crisis.resources': () => ({ data: resources(args) }),
      'crisis.alert': (input) => alertAnswer(args, input),
    });
    // A fresh person per render keeps stories from sharing the device cache or queue.
    const token = args.signedIn ? mockToken(`story-${crypto.randomUUID()}`) : '';
    return html`<care-crisis-button
      endpoint=${MOCK_ENDPOINT}
      token=${token}
      locale=${args.locale}
      theme=${args.theme}
      dir=${args.dir}
      variant=${args.variant}
    ></care-crisis-button>`;
  },
};
export default meta;

type Story = StoryObj<Args>;

const element = (canvas: HTMLElement) => canvas.querySelector('care-crisis-button') as CareCrisisButton;
async function opened(canvas: HTMLElement) {
  const el = element(canvas);
  await el.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the mock resources arrive
  el.show();
  await el.updateComplete;
}
async function alerted(canvas: HTMLElement) {
  await opened(canvas);
  const el = element(canvas);
  el.shadowRoot!.querySelector<HTMLButtonElement>('[part="alert-button"]')!.click();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await el.updateComplete;
}

const expectText = (text: string) => ({ expectText: text });

export const Inline: Story = { parameters: expectText('Get help now') };
export const Floating: Story = { args: { variant: 'floating' }, parameters: expectText('Get help now') };
export const Open: Story = { parameters: expectText('Call 988 Suicide & Crisis Lifeline: 988'), play: ({ canvasElement }) => opened(canvasElement) };
export const OpenWithContacts: Story = { parameters: expectText('Maria (sister)'), play: ({ canvasElement }) => opened(canvasElement) };
export const OpenNoContacts: Story = {
  args: { contacts: false },
  parameters: expectText('People you add to your safety plan with a phone number will appear here.'),
  play: ({ canvasElement }) => opened(canvasElement),
};
export const OpenUnitedKingdom: Story = { args: { locale: 'en-GB' }, parameters: expectText('Call Samaritans: 116 123'), play: ({ canvasElement }) => opened(canvasElement) };
export const OpenSpain: Story = { args: { locale: 'es-ES' }, parameters: expectText('Llame a Línea 024: 024'), play: ({ canvasElement }) => opened(canvasElement) };
export const OpenFrance: Story = { args: { locale: 'fr-FR' }, parameters: expectText('3114'), play: ({ canvasElement }) => opened(canvasElement) };
export const Sending: Story = { args: { alert: 'pending' }, parameters: expectText('Letting your care team know…'), play: ({ canvasElement }) => alerted(canvasElement) };
export const SentOnCallOpen: Story = { args: { alert: 'sent', onCall: 'open' }, parameters: expectText('someone is there now'), play: ({ canvasElement }) => alerted(canvasElement) };
export const SentAfterHours: Story = {
  args: { alert: 'sent', onCall: 'closed' },
  parameters: expectText('It is closed now and opens again'),
  play: ({ canvasElement }) => alerted(canvasElement),
};
export const PagedNoHours: Story = {
  args: { alert: 'paged', onCall: 'none' },
  parameters: expectText("The clinic's on-call staff were alerted right away."),
  play: ({ canvasElement }) => alerted(canvasElement),
};
export const InboxOnly: Story = {
  args: { alert: 'sent', onCall: 'none' },
  parameters: expectText('which may not be right away'),
  play: ({ canvasElement }) => alerted(canvasElement),
};
export const QueuedOffline: Story = {
  args: { alert: 'offline' },
  parameters: expectText('has not reached your care team yet'),
  play: ({ canvasElement }) => alerted(canvasElement),
};
export const Refused: Story = { args: { alert: 'refused' }, parameters: expectText('We could not send this to your care team.'), play: ({ canvasElement }) => alerted(canvasElement) };
export const SignedOut: Story = { args: { signedIn: false }, parameters: expectText('your sign-in has expired'), play: ({ canvasElement }) => alerted(canvasElement) };
export const Spanish: Story = { args: { locale: 'es-US' }, parameters: expectText('Avisar ahora a mi equipo de atención'), play: ({ canvasElement }) => opened(canvasElement) };
export const Dark: Story = { args: { theme: 'dark' }, parameters: expectText('Maria (sister)'), play: ({ canvasElement }) => opened(canvasElement) };
export const RightToLeft: Story = { args: { dir: 'rtl' }, parameters: expectText('Maria (sister)'), play: ({ canvasElement }) => opened(canvasElement) };
/** 988's menu for US readers in Spanish: press 2 (Spanish) first, then press 1 (Veterans Crisis Line). */
export const Open988Spanish: Story = { args: { locale: 'es-US' }, parameters: expectText('En español: llame al 988 y marque el 2'), play: ({ canvasElement }) => opened(canvasElement) };
/** A country without a known national crisis line: said plainly, with the emergency number and the international directory. */
export const OpenNoNationalLine: Story = { args: { locale: 'vi-VN' }, parameters: expectText('Chúng tôi không biết đường dây khủng hoảng quốc gia nào ở nước này'), play: ({ canvasElement }) => opened(canvasElement) };
