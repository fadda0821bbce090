/**
 * Words in a check-in note that mean the person may be thinking of harming themselves. Short and
 * deliberately plain: a match makes the check-in urgent, so every entry must be something a care
 * team would want to hear about today. A note may be written in any language, whatever the
 * portal's, so every list applies to every note. Clinics add their own with `selfHarmTerms`.
 */
import { LRUCache } from 'lru-cache';

export const DEFAULT_SELF_HARM_TERMS: Readonly<Record<string, readonly string[]>> = {
  en: ['kill myself', 'killing myself', 'suicide', 'suicidal', 'end my life', 'hurt myself', 'harm myself', 'self-harm', 'self harm'],
  es: ['matarme', 'suicidio', 'suicidarme', 'quitarme la vida', 'hacerme daño', 'autolesión', 'autolesionarme'],
  fr: ['me tuer', 'suicide', 'me suicider', 'mettre fin à mes jours', 'me faire du mal', 'automutilation', "m'automutiler"],
  ar: ['أقتل نفسي', 'انتحار', 'الانتحار', 'أنتحر', 'أنهي حياتي', 'أؤذي نفسي', 'إيذاء النفس'],
  // Simplified, then Traditional (Taiwan, Hong Kong): the same words in the other script.
  zh: [
    '自杀', '自殺', '轻生', '结束生命', '结束我的生命', '伤害自己', '自残', '自我伤害',
    '輕生', '結束生命', '結束我的生命', '傷害自己', '自殘', '自我傷害', '不想活', '尋死', '寻死', '割腕',
  ],
  // Folding drops the tones, so the bare "tự tử" would also match "từ từ" (slowly) and "tự vẫn"
  // "tư vấn" (counselling): Vietnamese terms are phrases that only speak of suicide, and match
  // typed with or without tones (đ is folded to d).
  vi: [
    'muốn tự tử', 'định tự tử', 'sẽ tự tử', 'nghĩ đến tự tử', 'nghĩ đến việc tự tử', 'ý định tự tử', 'ý nghĩ tự tử', 'đã tự tử',
    'tự sát', 'tự kết liễu', 'kết liễu đời mình', 'kết thúc cuộc đời mình', 'tự làm hại bản thân', 'tự làm hại mình',
    'tự làm đau bản thân', 'tự làm đau mình', 'tôi muốn chết', 'muốn chết cho xong', 'không muốn sống nữa', 'chẳng muốn sống nữa',
    'rạch tay', 'cố ý uống quá liều', 'uống thuốc quá liều để chết',
  ],
  // Korean attaches particles and endings to words (자살하고, 죽고싶어요), so Hangul terms match
  // inside a run of letters, like the unspaced scripts.
  ko: [
    '자살', '자해', '죽고 싶', '죽고싶', '죽어버리고 싶', '죽어 버리고 싶', '살고 싶지 않', '살고싶지 않', '살기 싫',
    '목숨을 끊', '스스로 목숨', '극단적 선택', '극단적인 선택', '나를 해치', '내 몸을 해치', '손목을 긋', '약을 한꺼번에 먹고 죽',
  ],
  // Tagalog (and Filipino): the verb forms people write, as whole words.
  tl: [
    'magpakamatay', 'nagpakamatay', 'magpapakamatay', 'nagpapakamatay', 'pagpapakamatay', 'gusto ko nang mamatay',
    'gusto kong mamatay', 'sana mamatay na ako', 'mamatay na lang ako', 'ayoko nang mabuhay', 'ayaw ko nang mabuhay',
    'saktan ang sarili ko', 'sasaktan ko ang sarili ko', 'sinasaktan ko ang sarili ko', 'sinaktan ko ang sarili ko',
    'patayin ang sarili ko', 'papatayin ko ang sarili ko', 'wakasan ang buhay ko', 'tapusin ang buhay ko',
    'maglaslas', 'naglaslas', 'naglalaslas', 'sadyang mag-overdose',
  ],
  // Russian: whole words, so the common case forms are listed (ё and й fold to е and и).
  ru: [
    'суицид', 'суицида', 'суициде', 'суицидом', 'суицидальные', 'суицидальных', 'самоубийство', 'самоубийства', 'самоубийстве',
    'самоубийством', 'покончить с собой', 'покончу с собой', 'покончить с жизнью', 'убить себя', 'убью себя', 'хочу умереть',
    'хочется умереть', 'не хочу жить', 'не хочется жить', 'свести счёты с жизнью', 'причинить себе вред', 'навредить себе',
    'наврежу себе', 'порезать себя', 'режу себя', 'резать вены', 'вскрыть вены', 'селфхарм', 'самоповреждение', 'самоповреждения',
    'наглотаться таблеток', 'выпить все таблетки',
  ],
  // Portuguese (Brazil and elsewhere): phrases, so "esse calor vai me matar" style idioms and an
  // ordinary "me machucar" at the gym stay ordinary notes.
  pt: [
    'quero me matar', 'vou me matar', 'pensando em me matar', 'pensei em me matar', 'me suicidar', 'suicídio', 'suicida',
    'tirar minha vida', 'tirar a minha vida', 'acabar com a minha vida', 'acabar com minha vida', 'quero morrer',
    'não quero mais viver', 'quero me machucar', 'vontade de me machucar', 'me machucar de propósito', 'me cortar',
    'me mutilar', 'automutilação', 'autolesão', 'tomar todos os remédios', 'overdose de propósito',
  ],
  // Haitian Creole, with the short pronoun (m) as people write it; accents fold away.
  ht: [
    'touye tèt mwen', 'touye tèt m', 'swisid', 'mwen vle mouri', 'm vle mouri', 'mwen anvi mouri', 'm anvi mouri',
    'fè tèt mwen mal', 'pran lavi mwen', 'pran pwòp lavi mwen', 'mete fen nan lavi mwen', 'mwen pa vle viv ankò',
    'm pa vle viv ankò',
  ],
};

/**
 * Folds what a person may type differently into one form: compatibility forms (full-width letters),
 * accents, Vietnamese tones and Arabic hamza/diacritics (decomposed, marks dropped), Vietnamese đ as
 * d, typographic apostrophes, runs of spaces, and case.
 */
export function foldForMatching(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
    .replace(/[đĐ]/g, 'd')
    .replace(/\s+/gu, ' ')
    .toLowerCase()
    .trim();
}

const WORD = /[\p{L}\p{N}]/u;
/**
 * Scripts written without spaces between words, and Korean, whose words carry their particles and
 * endings: their terms match inside a run of letters.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}]/u;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function termPattern(term: string): string | null {
  const folded = foldForMatching(term);
  if (!folded) return null;
  const first = folded[0]!;
  const last = folded[folded.length - 1]!;
  const before = WORD.test(first) && !UNSPACED.test(first) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = WORD.test(last) && !UNSPACED.test(last) ? '(?![\\p{L}\\p{N}])' : '';
  return `${before}${escape(folded).replace(/ /g, '\\s+')}${after}`;
}

const MATCHERS_MAX = 100;
/** By the clinic's extra terms (JSON); `false` stands for "no terms at all" (lru-cache keeps no null). */
const matchers = new LRUCache<string, RegExp | false>({ max: MATCHERS_MAX });

/** One regular expression for the default terms plus the clinic's own, built once per distinct list. */
function matcherFor(extra: readonly string[]): RegExp | null {
  const key = JSON.stringify(extra);
  const known = matchers.get(key);
  if (known !== undefined) return known || null;
  const terms = [...Object.values(DEFAULT_SELF_HARM_TERMS).flat(), ...extra];
  const patterns = [...new Set(terms.map(termPattern).filter((p): p is string => p !== null))];
  const matcher = patterns.length > 0 ? new RegExp(patterns.join('|'), 'u') : null;
  matchers.set(key, matcher ?? false);
  return matcher;
}

/** Whether the note holds a self-harm term (defaults of every language, plus `extra`), whole words, any case. */
export function mentionsSelfHarm(note: string, extra: readonly string[] = []): boolean {
  return matcherFor(extra)?.test(foldForMatching(note)) ?? false;
}
