import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import { crisisInfoForReader, type CrisisResources } from '../server/contract/index.js';
import { TEMPLATES } from '../server/contract/templates.js';
import { MOCK_ENDPOINT, mockCareServer, mockToken } from './support/mock-care-server.js';

/**
 * The same widgets in each built-in theme (light, dark, high-contrast) and themed as two
 * different clinics with nothing but design tokens and ::part rules (demo/themes.css).
 */
interface Args {
  theme: 'auto' | 'light' | 'dark' | 'high-contrast';
  clinic: 'none' | 'harbour' | 'meadow';
  locale: string;
}

function resources(locale: string): CrisisResources {
  return { ...crisisInfoForReader(locale, null, 'US'), language: 'en', contacts: [], onCall: null, fetchedAt: new Date().toISOString() };
}

/** The same stylesheet the demo page uses (Vite copies it into a Storybook build). */
const clinicThemes = new URL('../demo/themes.css', import.meta.url).href;

const meta: Meta<Args> = {
  title: 'Theming/Themes',
  args: { theme: 'light', clinic: 'none', locale: 'en-US' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark', 'high-contrast'] },
    clinic: { control: 'inline-radio', options: ['none', 'harbour', 'meadow'] },
  },
  render: (args) => {
    mockCareServer({
      'checkIn.templates': () => ({ data: { region: 'US', defaultLocale: 'en', templates: Object.values(TEMPLATES) } }),
      'crisis.resources': () => ({ data: resources(args.locale) }),
    });
    const token = mockToken(`story-${crypto.randomUUID()}`);
    return html`<link rel="stylesheet" href=${clinicThemes} />
      <care-provider class=${args.clinic === 'none' ? '' : `clinic-${args.clinic}`} endpoint=${MOCK_ENDPOINT} token=${token} locale=${args.locale} theme=${args.theme}>
        <care-check-in template="daily"></care-check-in>
        <care-crisis-button></care-crisis-button>
      </care-provider>`;
  },
};
export default meta;

type Story = StoryObj<Args>;
const expectText = (text: string) => ({ expectText: text });

export const Light: Story = { args: { theme: 'light' }, parameters: expectText('Daily check-in') };
export const Dark: Story = { args: { theme: 'dark' }, parameters: expectText('How is your mood today?') };
export const HighContrast: Story = { args: { theme: 'high-contrast' }, parameters: expectText('Get help now') };
export const HarbourFamilyPractice: Story = { args: { clinic: 'harbour' }, parameters: expectText('Daily check-in') };
export const HarbourDark: Story = { args: { clinic: 'harbour', theme: 'dark' }, parameters: expectText('Daily check-in') };
export const MeadowRecoveryCenter: Story = { args: { clinic: 'meadow' }, parameters: expectText('Daily check-in') };
export const MeadowHighContrast: Story = { args: { clinic: 'meadow', theme: 'high-contrast' }, parameters: expectText('Daily check-in') };
