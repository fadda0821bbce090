/**
 * Crisis lines per country. Shipped inside the widgets so the crisis path never waits on the
 * network. `lastChecked` is the date the entry was compared with its `source`; clinics should
 * review entries for their region before launch.
 */
/** A choice the line's menu offers after the call connects (988: press 1 for veterans, 2 for Spanish). */
export interface CrisisLineOption {
  /** The key to press. */
  press: string;
  /** What it reaches; worded per language in locales (`crisis.options.<for>`). */
  for: 'veterans' | 'spanish';
  /** Languages whose readers see this option first. */
  languages: string[];
}

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
  /** Menu choices after the call connects. */
  options?: CrisisLineOption[];
  source: string;
  lastChecked: string;
  /** True for a line the clinic added itself (served after the region's lines; `source` is `clinic`). */
  addedByClinic?: boolean;
}

export interface RegionCrisisInfo {
  region: string;
  emergency: string;
  /** Where the emergency number was checked. */
  emergencySource?: string;
  /**
   * Set where no national crisis line is known (`lines` is empty): the international directory of
   * helplines, shown with the emergency number and a plain sentence saying so.
   */
  directory?: string;
  lines: CrisisLine[];
}

const CHECKED = '2026-11-25';
const CHECKED_DEC = '2026-12-03';
/** Throughline's international directory of crisis lines (used by IASP), for countries without a known national line. */
export const INTERNATIONAL_DIRECTORY = 'https://findahelpline.com';

export const CRISIS_LINES: Record<string, RegionCrisisInfo> = {
  US: {
    region: 'US',
    emergency: '911',
    lines: [
      {
        name: '988 Suicide & Crisis Lifeline',
        call: '988',
        text: '988',
        chat: 'https://988lifeline.org/chat/',
        languages: ['en', 'es'],
        hours: '24/7',
        // After the call connects the Lifeline's menu offers the Veterans Crisis Line (1) and Spanish (2).
        options: [
          { press: '1', for: 'veterans', languages: [] },
          { press: '2', for: 'spanish', languages: ['es'] },
        ],
        source: 'https://988lifeline.org (press 1: https://www.veteranscrisisline.net, press 2: https://988lifeline.org/es/)',
        lastChecked: CHECKED_DEC,
      },
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
  BR: {
    region: 'BR',
    emergency: '192',
    emergencySource: 'SAMU 192 (medical emergencies); well-established national number, not compared with a stored page',
    lines: [{ name: 'CVV – Centro de Valorização da Vida', call: '188', chat: 'https://cvv.org.br/chat/', languages: ['pt'], hours: '24/7', source: 'https://cvv.org.br (188: well-established national number)', lastChecked: CHECKED_DEC }],
  },
  KR: {
    region: 'KR',
    emergency: '119',
    emergencySource: '119 fire and ambulance; well-established national number, not compared with a stored page',
    lines: [
      {
        name: '자살예방상담전화 109',
        call: '109',
        languages: ['ko'],
        hours: '24/7',
        source: 'Ministry of Health and Welfare: 1393 and other lines merged into 109 on 2024-01-01 (https://m.hankookilbo.com/News/Read/Amp/A2024010316570003218; http://koreabizwire.com/?p=303235)',
        lastChecked: CHECKED_DEC,
      },
    ],
  },
  TW: {
    region: 'TW',
    emergency: '119',
    emergencySource: '119 fire and ambulance; well-established national number, not compared with a stored page',
    lines: [{ name: '安心專線 1925', call: '1925', languages: ['zh'], hours: '24/7', source: 'Ministry of Health and Welfare 安心專線 1925 (well-established national number, not compared with a stored page)', lastChecked: CHECKED_DEC }],
  },
  HK: {
    region: 'HK',
    emergency: '999',
    emergencySource: 'https://csrp.hku.hk/getting-help/ (999)',
    lines: [
      { name: 'The Samaritans Hong Kong', call: '28960000', callDisplay: '2896 0000', languages: ['en', 'zh'], hours: '24/7', source: 'https://samaritans.org.hk; https://csrp.hku.hk/getting-help/ (2896 0000, English/Cantonese/Mandarin/other)', lastChecked: CHECKED_DEC },
      { name: '香港撒瑪利亞防止自殺會 Samaritan Befrienders Hong Kong', call: '23892222', callDisplay: '2389 2222', languages: ['zh'], hours: '24/7', source: 'https://csrp.hku.hk/getting-help/ (2389 2222, Cantonese/English)', lastChecked: CHECKED_DEC },
    ],
  },
  PH: {
    region: 'PH',
    emergency: '911',
    emergencySource: 'Emergency 911 national hotline; well-established national number, not compared with a stored page',
    lines: [
      {
        name: 'NCMH Crisis Hotline',
        call: '1553',
        languages: ['tl', 'en'],
        hours: '24/7',
        source: 'DOH/NCMH: hotlines 1553, 0919 057 1553, 0917 899 8727 (PNA via https://www.sunstar.com.ph/cebu/nearly-700-call-ncmh-during-the-holidays; https://doh.gov.ph/press-release/launch-of-the-ncmh-crisis-hotline/)',
        lastChecked: CHECKED_DEC,
      },
      { name: 'NCMH Crisis Hotline', call: '09178998727', callDisplay: '0917 899 8727', languages: ['tl', 'en'], hours: '24/7', source: 'https://doh.gov.ph/press-release/launch-of-the-ncmh-crisis-hotline/', lastChecked: CHECKED_DEC },
    ],
  },
  // No national crisis line is known for these: the emergency number and the international directory.
  VN: {
    region: 'VN',
    emergency: '115',
    emergencySource: '115 medical emergency; 113 police, 114 fire, 112 rescue (https://kienthucykhoa.edu.vn/113-la-so-dien-thoai-gi/)',
    directory: INTERNATIONAL_DIRECTORY,
    lines: [],
  },
  RU: {
    region: 'RU',
    emergency: '112',
    emergencySource: 'Единая служба 112; well-established national number, not compared with a stored page',
    directory: INTERNATIONAL_DIRECTORY,
    lines: [],
  },
  HT: {
    region: 'HT',
    emergency: '116',
    emergencySource: 'Centre Ambulancier National, line 116 (http://mediaterre.org/iles/actu,20120206051357,8.html)',
    directory: INTERNATIONAL_DIRECTORY,
    lines: [],
  },
};

/** Region when none is configured: the locale's own region, else the language's most likely one. */
const LANGUAGE_DEFAULT_REGION: Record<string, string> = {
  en: 'US',
  es: 'US',
  fr: 'FR',
  de: 'DE',
  vi: 'VN',
  ko: 'KR',
  tl: 'PH',
  fil: 'PH',
  ru: 'RU',
  pt: 'BR',
  ht: 'HT',
  'zh-hant': 'TW',
};

export function regionFor(locale: string, explicitRegion?: string | null): string {
  const wanted = (explicitRegion ?? '').toUpperCase();
  if (wanted && CRISIS_LINES[wanted]) return wanted;
  const [language = 'en', ...rest] = locale.split(/[-_]/);
  const fromLocale = rest.find((part) => /^[A-Za-z]{2}$/.test(part))?.toUpperCase();
  if (fromLocale && CRISIS_LINES[fromLocale]) return fromLocale;
  // A script subtag names the written form, not a country: zh-Hant is read in Taiwan and Hong Kong.
  const script = rest.find((part) => /^[A-Za-z]{4}$/.test(part));
  const scripted = script ? LANGUAGE_DEFAULT_REGION[`${language.toLowerCase()}-${script.toLowerCase()}`] : undefined;
  return scripted ?? LANGUAGE_DEFAULT_REGION[language.toLowerCase()] ?? 'US';
}

export function crisisInfoFor(locale: string, explicitRegion?: string | null): RegionCrisisInfo {
  return CRISIS_LINES[regionFor(locale, explicitRegion)] ?? (CRISIS_LINES.US as RegionCrisisInfo);
}
