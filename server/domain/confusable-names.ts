import unhomoglyph from 'unhomoglyph';

/** NFKC, then case folding (upper then lower folds ß to ss and ς to σ, as full case folding does). */
const fold = (text: string): string => text.normalize('NFKC').toUpperCase().toLowerCase();

/** UTS #39 skeleton: NFD, each character replaced by its prototype in confusables.txt, NFD again. */
const skeleton = (text: string): string => unhomoglyph(text.normalize('NFD')).normalize('NFD');

/**
 * What a name looks like, for comparison only (never for display): two names with the same value
 * are confusable ("Sunny", "SUNNY", "Ѕunny" with a Cyrillic Ѕ). The name is folded before and after
 * the skeleton, because some prototypes are capitals (ᗅ → A).
 */
export function nameSkeleton(name: string): string {
  return skeleton(fold(skeleton(fold(name))));
}

const HONORIFICS = new Set(['dr', 'doctor', 'nurse', 'counselor', 'counsellor', 'therapist', 'prof', 'professor', 'mr', 'mrs', 'ms', 'mx'].map(nameSkeleton));

/** The words of a name as skeletons, without leading honorifics ("Dr. Ana Rivera" → ana, rivera). */
function nameWords(name: string): string[] {
  const words = name
    .split(/[\s.]+/u)
    .filter(Boolean)
    .map(nameSkeleton);
  while (words.length > 1 && HONORIFICS.has(words[0]!)) words.shift();
  return words;
}

/**
 * True when `alias`, honorifics aside, looks like `fullName` or its family name (any run of its
 * last words: "Rivera" for "Ana Rivera", "Garcia Lopez" or "Lopez" for "Maria Garcia Lopez").
 */
export function looksLikeName(alias: string, fullName: string): boolean {
  const aliasWords = nameWords(alias).join(' ');
  const words = nameWords(fullName);
  if (aliasWords === '' || words.length === 0) return false;
  return words.some((_, i) => words.slice(i).join(' ') === aliasWords);
}
