import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import type { CareSafetyPlan } from '../components/crisis/safety-plan.js';
import { emptySafetyPlan, type SafetyPlanSections, type SafetyPlanVersion, type SafetyPlanView } from '../server/contract/index.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

interface Args {
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  role: 'client' | 'clinician';
  load: 'plan' | 'empty' | 'suggestion' | 'pending' | 'offline' | 'forbidden';
  save: 'ok' | 'conflict' | 'offline' | 'pending';
}

const SECTIONS: SafetyPlanSections = {
  warningSigns: [{ text: 'Sleeping badly for more than two nights' }, { text: 'Skipping meetings' }],
  copingStrategies: [{ text: 'Walk around the block and breathe slowly' }],
  socialDistractions: [{ text: 'Coffee at the community centre' }, { text: 'Jamie (neighbour)', phone: '+1 202 555 0143' }],
  helpContacts: [{ text: 'Maria (sister)', phone: '+1 202 555 0162' }],
  professionals: [{ text: 'Dr. Rivera, Demo Recovery Clinic', phone: '+1 202 555 0100' }],
  safeEnvironment: [{ text: 'Keep no alcohol at home' }],
  reasonsForLiving: [{ text: 'My daughter' }, { text: 'Finishing my carpentry course' }],
};

const version = (n: number, kind: 'plan' | 'suggestion', sections: SafetyPlanSections = SECTIONS): SafetyPlanVersion => ({
  clientId: 'story-client',
  version: n,
  kind,
  authorRole: kind === 'plan' ? 'client' : 'clinician',
  authorName: kind === 'plan' ? 'Alex R.' : 'Dr. Rivera',
  baseVersion: n > 1 ? n - 1 : null,
  sections,
  createdAt: '2026-11-20T15:30:00.000Z',
});

function viewFor(load: Args['load'], latest = 3): SafetyPlanView {
  if (load === 'empty') return { clientId: 'story-client', latestVersion: null, plan: null, suggestion: null, versions: [] };
  const plan = version(latest, 'plan');
  const suggestion = load === 'suggestion' ? version(latest + 1, 'suggestion', { ...SECTIONS, copingStrategies: [{ text: 'Breathing exercise 4-7-8' }] }) : null;
  const versions = [...(suggestion ? [suggestion] : []), plan].map((v) => ({ version: v.version, kind: v.kind, authorRole: v.authorRole, createdAt: v.createdAt }));
  return { clientId: 'story-client', latestVersion: suggestion?.version ?? latest, plan, suggestion, versions };
}

function getAnswer(args: Args, calls: number): MockAnswer {
  switch (args.load) {
    case 'pending':
    case 'offline':
      return args.load;
    case 'forbidden':
      return { error: { httpStatus: 404, code: 'NOT_FOUND', message: 'No such client' } };
    default:
      // After a conflict the newer version is what the server has.
      return { data: viewFor(args.load, calls > 1 && args.save === 'conflict' ? 4 : 3) };
  }
}

function saveAnswer(args: Args, input: unknown): MockAnswer {
  const { sections, baseVersion } = input as { sections: SafetyPlanSections; baseVersion: number | null };
  switch (args.save) {
    case 'offline':
    case 'pending':
      return args.save;
    case 'conflict':
      return { error: { httpStatus: 409, code: 'CONFLICT', message: 'The safety plan changed since you opened it' } };
    default:
      return { data: { ...version((baseVersion ?? 0) + 1, args.role === 'client' ? 'plan' : 'suggestion', sections) } };
  }
}

const meta: Meta<Args> = {
  title: 'Client/Safety plan',
  component: 'care-safety-plan',
  args: { locale: 'en-US', theme: 'auto', dir: 'ltr', role: 'client', load: 'plan', save: 'ok' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    role: { control: 'inline-radio', options: ['client', 'clinician'] },
    load: { control: 'select', options: ['plan', 'empty', 'suggestion', 'pending', 'offline', 'forbidden'] },
    save: { control: 'select', options: ['ok', 'conflict', 'offline', 'pending'] },
  },
  render: (args) => {
    let calls = 0;
    mockCareServer({
      'safetyPlan.get': () => getAnswer(args, ++calls),
      'safetyPlan.save': (input) => saveAnswer(args, input),
    });
    const token = mockToken(`story-${crypto.randomUUID()}`, args.role);
    return html`<care-safety-plan
      endpoint=${MOCK_ENDPOINT}
      token=${token}
      locale=${args.locale}
      theme=${args.theme}
      dir=${args.dir}
      client-id=${args.role === 'clinician' ? 'story-client' : ''}
    ></care-safety-plan>`;
  },
};
export default meta;

type Story = StoryObj<Args>;

const element = (canvas: HTMLElement) => canvas.querySelector('care-safety-plan') as CareSafetyPlan;
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));
async function editing(canvas: HTMLElement, from?: SafetyPlanSections) {
  const el = element(canvas);
  await settle();
  el.edit(from);
  await el.updateComplete;
}
async function saved(canvas: HTMLElement, from?: SafetyPlanSections) {
  await editing(canvas, from);
  const el = element(canvas);
  el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
  await settle();
  await el.updateComplete;
}

const expectText = (text: string) => ({ expectText: text });

export const Loading: Story = { args: { load: 'pending' }, parameters: expectText('Loading…') };
export const Empty: Story = { args: { load: 'empty' }, parameters: expectText("You haven't written a safety plan yet.") };
export const Viewing: Story = { parameters: expectText('Version 3, saved') };
export const Editing: Story = { parameters: expectText('Save my plan'), play: ({ canvasElement }) => editing(canvasElement) };
export const EditingEmpty: Story = { args: { load: 'empty' }, parameters: expectText('My reasons for living'), play: ({ canvasElement }) => editing(canvasElement) };
export const Invalid: Story = {
  parameters: expectText('Please enter a phone number'),
  play: ({ canvasElement }) => saved(canvasElement, { ...emptySafetyPlan(), helpContacts: [{ text: 'Maria', phone: 'call me' }] }),
};
export const Saving: Story = { args: { save: 'pending' }, parameters: expectText('Saving…'), play: ({ canvasElement }) => saved(canvasElement) };
export const Saved: Story = { parameters: expectText('Saved, version 4.'), play: ({ canvasElement }) => saved(canvasElement) };
export const SaveFailedOffline: Story = {
  args: { save: 'offline' },
  parameters: expectText('Not saved: we could not reach the server.'),
  play: ({ canvasElement }) => saved(canvasElement),
};
export const Conflict: Story = { args: { save: 'conflict' }, parameters: expectText('Your plan was changed somewhere else'), play: ({ canvasElement }) => saved(canvasElement) };
export const WithSuggestion: Story = { args: { load: 'suggestion' }, parameters: expectText('Dr. Rivera suggested changes') };
export const ClinicianView: Story = { args: { role: 'clinician' }, parameters: expectText("Client's safety plan") };
export const ClinicianSuggestionSaved: Story = {
  args: { role: 'clinician' },
  parameters: expectText('Suggestion saved as version 4.'),
  play: ({ canvasElement }) => saved(canvasElement),
};
export const OfflineNoCopy: Story = { args: { load: 'offline' }, parameters: expectText("We couldn't load the safety plan right now.") };
export const NotAvailable: Story = { args: { load: 'forbidden' }, parameters: expectText('This safety plan is not available.') };
export const Spanish: Story = { args: { locale: 'es' }, parameters: expectText('Mi plan de seguridad') };
export const Dark: Story = { args: { theme: 'dark' }, parameters: expectText('Maria (sister)') };
export const RightToLeft: Story = { args: { dir: 'rtl' }, parameters: expectText('Name or place 1 of 2'), play: ({ canvasElement }) => editing(canvasElement) };
export const RightToLeftViewing: Story = { args: { dir: 'rtl' }, parameters: expectText('Maria (sister)') };
