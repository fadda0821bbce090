/**
 * Crisis lines per country. Shipped inside the widgets so the crisis path never waits on the
 * network. `lastChecked` is the date the entry was compared with its `source`; clinics should
 * review entries for their region before launch.
 */
export interface CrisisLine {
  name: string;
  /** Digits as dialled in that country, for tel:/sms: links. */
  call?: string;
  /** The call number as people in that country write it, e.g. `116 123`; defaults to `call`. */
  callDisplay?: string;
  text?: string;
  chat?: string;
  languages: string[];
  /** `24/7`, or the hours in words. */
  hours: string;
  source: string;
  lastChecked: string;
  /** True for a line the clinic added itself (served after the region's lines; `source` is `clinic`). */
  addedByClinic?: boolean;
}

export interface RegionCrisisInfo {
  region: string;
  emergency: string;
  lines: CrisisLine[];
}

const CHECKED = '2026-11-25';

export const CRISIS_LINES: Record<string, RegionCrisisInfo> = {
  US: {
    region: 'US',
    emergency: '911',
    lines: [
      { name: '988 Suicide & Crisis Lifeline', call: '988', text: '988', chat: 'https://988lifeline.org/chat/', languages: ['en', 'es'], hours: '24/7', source: 'https://988lifeline.org', lastChecked: CHECKED },
    ],
  },
  CA: {
    region: 'CA',
    emergency: '911',
    lines: [{ name: '9-8-8 Suicide Crisis Helpline', call: '988', text: '988', languages: ['en', 'fr'], hours: '24/7', source: 'https://988.ca', lastChecked: CHECKED }],
  },
  GB: {
    region: 'GB',
    emergency: '999',
    lines: [
      { name: 'Samaritans', call: '116123', callDisplay: '116 123', languages: ['en'], hours: '24/7', source: 'https://www.samaritans.org', lastChecked: CHECKED },
      { name: 'Shout', text: '85258', languages: ['en'], hours: '24/7', source: 'https://giveusashout.org', lastChecked: CHECKED },
    ],
  },
  IE: {
    region: 'IE',
    emergency: '112',
    lines: [
      { name: 'Samaritans', call: '116123', callDisplay: '116 123', languages: ['en'], hours: '24/7', source: 'https://www.samaritans.org/ireland', lastChecked: CHECKED },
      { name: '50808', text: '50808', languages: ['en'], hours: '24/7', source: 'https://text50808.ie', lastChecked: CHECKED },
    ],
  },
  AU: {
    region: 'AU',
    emergency: '000',
    lines: [{ name: 'Lifeline', call: '131114', callDisplay: '13 11 14', text: '0477131114', chat: 'https://www.lifeline.org.au/crisis-chat/', languages: ['en'], hours: '24/7', source: 'https://www.lifeline.org.au', lastChecked: CHECKED }],
  },
  ES: {
    region: 'ES',
    emergency: '112',
    lines: [{ name: 'Línea 024', call: '024', languages: ['es'], hours: '24/7', source: 'https://www.sanidad.gob.es/linea024/', lastChecked: CHECKED }],
  },
  FR: {
    region: 'FR',
    emergency: '112',
    lines: [{ name: '3114 – Numéro national de prévention du suicide', call: '3114', languages: ['fr'], hours: '24/7', source: 'https://3114.fr', lastChecked: CHECKED }],
  },
  MX: {
    region: 'MX',
    emergency: '911',
    lines: [{ name: 'Línea de la Vida', call: '8009112000', callDisplay: '800 911 2000', languages: ['es'], hours: '24/7', source: 'https://www.gob.mx/salud/conadic', lastChecked: CHECKED }],
  },
  DE: {
    region: 'DE',
    emergency: '112',
    lines: [
      { name: 'TelefonSeelsorge', call: '08001110111', callDisplay: '0800 111 0 111', languages: ['de'], hours: '24/7', source: 'https://www.telefonseelsorge.de', lastChecked: CHECKED },
      { name: 'TelefonSeelsorge', call: '08001110222', callDisplay: '0800 111 0 222', languages: ['de'], hours: '24/7', source: 'https://www.telefonseelsorge.de', lastChecked: CHECKED },
    ],
  },
};

/** Region when none is configured: the locale's own region, else the language's most likely one. */
const LANGUAGE_DEFAULT_REGION: Record<string, string> = { en: 'US', es: 'US', fr: 'FR', de: 'DE' };

export function regionFor(locale: string, explicitRegion?: string | null): string {
  const wanted = (explicitRegion ?? '').toUpperCase();
  if (wanted && CRISIS_LINES[wanted]) return wanted;
  const [language = 'en', localeRegion] = locale.split('-');
  const fromLocale = localeRegion?.toUpperCase();
  if (fromLocale && CRISIS_LINES[fromLocale]) return fromLocale;
  return LANGUAGE_DEFAULT_REGION[language.toLowerCase()] ?? 'US';
}

export function crisisInfoFor(locale: string, explicitRegion?: string | null): RegionCrisisInfo {
  return CRISIS_LINES[regionFor(locale, explicitRegion)] ?? (CRISIS_LINES.US as RegionCrisisInfo);
}
