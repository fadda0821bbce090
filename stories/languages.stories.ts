import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { languageWidgets } from './support/languages.js';

/**
 * The client widgets (check-in, progress, crisis button, safety plan, support room) together in each
 * of the languages added by issue 18. The other five languages have stories of their own in each
 * widget's file (Spanish, Arabic…); test/components/languages-layout.test.ts checks all twelve.
 */
interface Args {
  locale: string;
}

const meta: Meta<Args> = {
  title: 'Client/Languages',
  args: { locale: 'vi-VN' },
  render: (args) => languageWidgets(args.locale),
};
export default meta;

type Story = StoryObj<Args>;
/** Each story names its daily check-in title and its progress title, so a story in the wrong language fails. */
const expectText = (text: string) => ({ expectText: text });

export const Vietnamese: Story = { args: { locale: 'vi-VN' }, parameters: expectText('Tự đánh giá hằng ngày') };
export const Korean: Story = { args: { locale: 'ko-KR' }, parameters: expectText('매일 체크인') };
export const Tagalog: Story = { args: { locale: 'fil-PH' }, parameters: expectText('Araw-araw na check-in') };
export const Russian: Story = { args: { locale: 'ru-RU' }, parameters: expectText('Ежедневная отметка') };
export const BrazilianPortuguese: Story = { args: { locale: 'pt-BR' }, parameters: expectText('Registro diário') };
export const HaitianCreole: Story = { args: { locale: 'ht-HT' }, parameters: expectText('Rapò chak jou') };
export const TraditionalChinese: Story = { args: { locale: 'zh-TW' }, parameters: expectText('每日自評') };
