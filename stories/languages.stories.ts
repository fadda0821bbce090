import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { languageWidgets, untilShown } from './support/languages.js';

/**
 * The client widgets (check-in, progress, crisis button, safety plan, support room) side by side in each
 * of the languages added by issue 18. The other five languages have stories of their own in each
 * widget's file (Spanish, Arabic…); test/components/languages-layout.test.ts checks all twelve.
 */
interface Args {
  locale: string;
}

const meta: Meta<Args> = {
  title: 'Client/Languages',
  args: { locale: 'vi-VN' },
  render: (args) => languageWidgets(args.locale, { provider: false }),
};
export default meta;

type Story = StoryObj<Args>;
/** Each story names its daily check-in title, so a story in the wrong language fails. */
const expectText = (text: string) => ({ expectText: text });
/** The story's check-in title: shown once the language's strings have loaded. */
const shown = (title: string): Pick<Story, 'parameters' | 'play'> => ({ parameters: expectText(title), play: ({ canvasElement }) => untilShown(canvasElement, title) });

export const Vietnamese: Story = { args: { locale: 'vi-VN' }, ...shown('Tự đánh giá hằng ngày') };
export const Korean: Story = { args: { locale: 'ko-KR' }, ...shown('매일 체크인') };
export const Tagalog: Story = { args: { locale: 'fil-PH' }, ...shown('Araw-araw na check-in') };
export const Russian: Story = { args: { locale: 'ru-RU' }, ...shown('Ежедневная отметка') };
export const BrazilianPortuguese: Story = { args: { locale: 'pt-BR' }, ...shown('Registro diário') };
export const HaitianCreole: Story = { args: { locale: 'ht-HT' }, ...shown('Rapò chak jou') };
export const TraditionalChinese: Story = { args: { locale: 'zh-TW' }, ...shown('每日自評') };
