import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/admin/admin-groups.js';
import type { VideoConfigList, VideoConfigView } from '../server/contract/groups.js';
import type { GroupMemberRecord, GroupSummary } from '../server/contract/groups.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken, type MockAnswer } from './support/mock-care-server.js';

type Answer = 'data' | 'pending' | 'empty' | 'refused' | 'public-video' | 'forbidden';

interface Args {
  locale: string;
  theme: 'auto' | 'light' | 'dark';
  dir: 'ltr' | 'rtl';
  answer: Answer;
}

const hoursAhead = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const group = (id: string, name: string, overrides: Partial<GroupSummary> = {}): GroupSummary => ({
  id,
  name,
  topic: 'recovery',
  description: 'Peer support with a counsellor.',
  language: 'en',
  timeZone: 'America/Chicago',
  schedule: [
    { day: 'tue', start: '18:30', minutes: 90 },
    { day: 'thu', start: '12:00', minutes: 60 },
  ],
  capacity: 12,
  moderators: [{ name: 'Moderator' }],
  guidelines: { en: 'Keep what is shared here private.\nListen without judging.', es: 'Lo que se comparte aquí es privado.' },
  guidelinesVersion: 3,
  nextSession: { start: hoursAhead(20), end: hoursAhead(21.5) },
  upcoming: [],
  roomOpen: false,
  dialIn: null,
  video: { provider: 'self-hosted', domain: 'meet.harbor.example.org', mode: 'token', captions: false, publicTestRoom: false },
  membership: null,
  notices: [],
  ...overrides,
});

const GROUPS = [group('g1', 'Tuesday recovery circle'), group('g2', 'New parents', { topic: 'new_parents', schedule: [{ day: 'sat', start: '10:00', minutes: 60 }], guidelinesVersion: 1, guidelines: { en: 'Be kind.' } })];
const MEMBERS: GroupMemberRecord[] = [
  { userId: 'dr-rivera', name: 'Dr. Rivera', role: 'moderator', displayMode: 'name', alias: null, guidelinesAcceptedVersion: null, guidelinesAcceptedAt: null },
  { userId: 'client-17', name: null, role: 'member', displayMode: 'alias', alias: 'Morning Walker', guidelinesAcceptedVersion: 3, guidelinesAcceptedAt: hoursAhead(-30) },
  { userId: 'client-42', name: null, role: 'member', displayMode: 'alias', alias: 'Sunflower', guidelinesAcceptedVersion: 2, guidelinesAcceptedAt: hoursAhead(-400) },
  { userId: 'client-58', name: null, role: 'member', displayMode: 'alias', alias: null, guidelinesAcceptedVersion: null, guidelinesAcceptedAt: null },
];
const selfHosted: VideoConfigView = {
  groupId: null,
  provider: 'self-hosted',
  domain: 'meet.harbor.example.org',
  appId: 'harbor-care',
  keyId: null,
  tenant: null,
  hasSecret: true,
  publicKeyFingerprint: null,
  transcription: false,
  recording: false,
  livestreaming: false,
  outboundCall: false,
  publicOptIn: false,
  dialIn: null,
  mode: 'token',
  usable: true,
  updatedAt: '2026-12-01T10:00:00.000Z',
};
const VIDEO: VideoConfigList = { clinic: selfHosted, groups: [], demo: false };
const PUBLIC_VIDEO: VideoConfigList = { clinic: null, groups: [], demo: false };
const CLINIC = { id: 'demo-clinic', name: 'Harbor Recovery Clinic', timeZone: 'America/Chicago', defaultLocale: 'en' };
const REFUSED: MockAnswer = {
  error: { httpStatus: 400, code: 'BAD_REQUEST', message: 'Invalid input: timeZone: Must be an IANA time zone', fieldErrors: [{ path: 'timeZone', message: 'Must be an IANA time zone such as America/New_York or UTC' }] },
};

const meta: Meta<Args> = {
  title: 'Admin/Support groups',
  component: 'care-admin-groups',
  args: { locale: 'en-US', theme: 'auto', dir: 'ltr', answer: 'data' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
    answer: { control: 'select', options: ['data', 'pending', 'empty', 'refused', 'public-video', 'forbidden'] },
  },
  render: (args) => {
    mockCareServer({
      'groups.list': () =>
        args.answer === 'pending'
          ? 'pending'
          : args.answer === 'forbidden'
            ? { error: { httpStatus: 403, code: 'FORBIDDEN', message: 'This needs the admin role' } }
            : { data: { groups: args.answer === 'empty' ? [] : GROUPS } },
      'groups.videoConfig': () => ({ data: args.answer === 'public-video' || args.answer === 'empty' ? PUBLIC_VIDEO : VIDEO }),
      'admin.clinic': () => ({ data: CLINIC }),
      'groups.members': () => ({ data: { members: MEMBERS } }),
      'groups.update': () => (args.answer === 'refused' ? REFUSED : { data: { groupId: 'g1', changed: ['name'] } }),
      'groups.create': () => (args.answer === 'refused' ? REFUSED : { data: GROUPS[0] }),
    });
    const token = mockToken('dana', 'admin');
    return html`<care-admin-groups endpoint=${MOCK_ENDPOINT} token=${token} locale=${args.locale} theme=${args.theme} dir=${args.dir}></care-admin-groups>`;
  },
};
export default meta;
type Story = StoryObj<Args>;

const expectText = (text: string) => ({ expectText: text });
const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));
const root = (canvas: HTMLElement) => canvas.querySelector('care-admin-groups')!.shadowRoot!;
const openFirst = async (canvas: HTMLElement) => {
  await settle();
  root(canvas).querySelector<HTMLButtonElement>('ul.groups button')!.click();
  await settle();
};

export const Loaded: Story = { parameters: expectText('Tuesday recovery circle') };
export const Loading: Story = { args: { answer: 'pending' }, parameters: expectText('Loading the groups…') };
export const Empty: Story = { args: { answer: 'empty' }, parameters: expectText('The clinic has no support groups yet.') };
export const GroupOpen: Story = { parameters: expectText('Accepted version 2; must accept version 3'), play: ({ canvasElement }) => openFirst(canvasElement) };
export const Creating: Story = {
  parameters: expectText('Create group'),
  play: async ({ canvasElement }) => {
    await settle();
    root(canvasElement).querySelector<HTMLButtonElement>('#new-group')!.click();
    await settle();
  },
};
export const FieldError: Story = {
  args: { answer: 'refused' },
  parameters: expectText('Use an IANA time zone'),
  play: async ({ canvasElement }) => {
    await openFirst(canvasElement);
    root(canvasElement).querySelector<HTMLButtonElement>('[data-form="edit"] button[type="submit"]')!.click();
    await settle();
  },
};
export const PublicVideo: Story = { args: { answer: 'public-video' }, parameters: expectText('No video settings yet') };
export const Forbidden: Story = { args: { answer: 'forbidden' }, parameters: expectText("Only the clinic's admin can manage its groups.") };
export const Arabic: Story = { args: { locale: 'ar', dir: 'rtl' }, parameters: expectText('مجموعات الدعم'), play: ({ canvasElement }) => openFirst(canvasElement) };
