import { createContext } from '@lit/context';

export type ThemeMode = 'auto' | 'light' | 'dark' | 'high-contrast';

/** What <care-provider> shares with every widget inside it. */
export interface CareConfig {
  /** Base URL of the care server, e.g. https://care.example.org (tRPC lives at /trpc). */
  endpoint: string;
  /** JWT minted by the clinic's portal. */
  token: string | null;
  locale: string;
  theme: ThemeMode;
  /** ISO 3166 region for crisis lines; defaults from the locale. */
  region: string | null;
  /** Asks the host's `tokenProvider` for a fresh token (shared by every widget; null when none). Absent without one. */
  refreshToken?: () => Promise<string | null>;
  /** Tells the provider a call was refused and no fresh token could be had. */
  tokenExpired?: (token: string | null) => void;
}

export const careContext = createContext<CareConfig | undefined>(Symbol('care-config'));
