/**
 * Where each BAM item's English wording and its scoring come from, and what could not be checked.
 * Not imported by the widgets (data for tests, the README and people reviewing the form).
 *
 * Sources:
 * - `va-form`: the VA's "Brief Addiction Monitor (BAM)" pages of "VOLUME 6: Patient Resources", as
 *   held in github.com/jjcurtin/arc_measures, BAM/BAM.pdf (text layer read 2026-12-03). Answer
 *   options there are day bands (0, 1-3, 4-8, 9-15, 16-30); we ask the number of days and band it.
 * - `self-report`: the widely reproduced VA self-report wording (OpenEMR transcription), used where
 *   the VA form above is worded for an interviewer; not compared with an official copy.
 * - `cacciola-2013`: Cacciola et al., J Subst Abuse Treat 2013;44(3):256-263 (arc_measures,
 *   BAM/CacciolaJ2013a.pdf): items 5 and 7 are contingent on items 4 and 6.
 * - `scoring-summaries`: the subscales (Use 4, 5, 6; Risk 1, 2, 3, 8, 11, 15; Protective 9, 10, 12,
 *   13, 14, 16; item 17 and 7A-7G in none; items 0-4, higher Use/Risk worse, higher Protective
 *   better) as public summaries of the VA/CESATE manual give them (Blueprint's BAM help page, a
 *   scoring summary on flutter.super.site). The manual itself (DePhilippis et al., CESATE, draft
 *   2014) was not available in full: its scoring page is not verified word for word.
 */
export type BamSource = 'va-form' | 'self-report' | 'cacciola-2013' | 'scoring-summaries';

export interface BamItemSource {
  /** Where the English wording comes from. */
  wording: BamSource;
  /** The VA form's text where we checked it word for word (null: not compared). */
  form: string | null;
  /** How our text differs from `form`, and why; absent when identical. */
  differs?: string;
}

const VA = (form: string, differs?: string): BamItemSource => ({ wording: 'va-form', form, ...(differs ? { differs } : {}) });

/** Items 7D–17 checked against the VA form; 1–7C were checked when 7A–7G were added (README). */
export const BAM_SOURCES: Readonly<Record<string, BamItemSource>> = {
  q5: {
    wording: 'self-report',
    form: null,
    differs:
      'The VA form words it for an interviewer ("at least5 drinks (4 if patient is female or over 65)? (This question may be filled using information from the prior drinking questions)"); we keep the self-report wording with the size of one drink.',
  },
  q7d: VA('Other Stimulants (e.g., amphetamine, methamphetamine, Dexedrine, Ritalin, Adderall, “speed”, "crystal meth", “ice”, etc.)?', 'The form mixes straight and curly quotes; ours are all curly.'),
  q7e: VA(
    'Opiates (e.g., Heroin, Morphine, Dilaudid, Demerol, Oxcycontin, oxcy, codeine (Tylenol 2,3,4), Percocet, Vicodin, Fentanyl, etc.)?',
    'The form misspells "Oxycontin, oxy" as "Oxcycontin, oxcy"; we keep the drug names spelt correctly so people recognise them.',
  ),
  q7f: VA('Inhalants (glues/adhesives, nail polish remover, paint thinner, etc.)?'),
  q7g: VA('Other drugs (steroids, non-prescription sleep/diet pills, Benadryl, Ephedra, other over-the-counter/unknown medications)?'),
  q8: VA('In the past 30 days, how much were you bothered by cravings or urges to drink alcohol or use drugs?'),
  q9: VA('How confident are you in your ability to be completely abstinent (clean) from alcohol and drugs in the next 30 days?'),
  q10: VA('In the past 30 days, how many days did you attend self-help meetings like AA or NA to support your recovery?'),
  q11: VA(
    'In the past 30 days, how many days were you in any situations or with any people that might put you at an increased risk for using alcohol or drugs (i.e., around risky people, places or things)?',
    'The text layer of the form has no quotes around people, places or things; whether the printed form has them (as the self-report version does, “people, places or things”) could not be seen. We keep the quotes.',
  ),
  q12: VA('Does your religion or spirituality help support your recovery?'),
  q13: VA('In the past 30 days, how many days did you spend much of the time at work, school, or doing volunteer work?'),
  q14: VA('Do you have enough income (from legal sources) to pay for necessities such as housing, transportation, food and clothing for yourself and your dependents?'),
  q15: VA('In the past 30 days, how much have you been bothered by arguments or problems getting along with any family members or friends?'),
  q16: VA('In the past 30 days, how many days were you in contact or spend time with any family members or friends who are supportive of your recovery?'),
  q17: VA('How satisfied are you with your progress toward achieving your recovery goals?'),
};

/** The VA form's answer labels of the 5-point items (1: health; 8, 9, 12, 15, 17: how much) and item 14. */
export const BAM_FORM_OPTIONS = {
  health5: ['Excellent', 'Very Good', 'Good', 'Fair', 'Poor'],
  howMuch: ['Not at all', 'Slightly', 'Moderately', 'Considerably', 'Extremely'],
  q14: ['No', 'Yes'],
} as const;
