/**
 * What the React and Vue demo pages share: where the care server is, how the "portal backend"
 * mints a token, and two example answers to prefill the check-in through its `answers` property.
 */
import type { Answers } from '../../server/contract/check-in.js';

/** The care server: the page's own origin when it serves the demo, or `?endpoint=` (the browser tests). */
export const endpoint = new URLSearchParams(location.search).get('endpoint') ?? location.origin;

/** Stands in for the portal's backend: a real portal mints the JWT server-side with the clinic's secret. */
export async function fetchToken(sub: string, ttlSeconds = 3600): Promise<string> {
  const res = await fetch(`${endpoint}/demo/token?sub=${encodeURIComponent(sub)}&role=client&ttl=${ttlSeconds}`);
  if (!res.ok) throw new Error(`token: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** The signed-in person: `?sub=` or a fresh demo person per visit, so the demo starts clean. */
export const person = new URLSearchParams(location.search).get('sub') ?? `demo-${crypto.randomUUID().slice(0, 8)}`;

export const examples: Record<'calm' | 'hard', Answers> = {
  calm: { mood: 7, craving: 2, sleepHours: 7.5, medication: 'yes', used: 'no' },
  hard: { mood: 3, craving: 3, sleepHours: 5, medication: 'yes', used: 'yes' },
};

/** One line of the page's event log: what the framework received from the widget. */
export function describeEvent(event: Event): string {
  const detail = (event as CustomEvent<{ result?: { risk: { level: string } }; level?: string }>).detail;
  if (event.type === 'care-submitted') return `care-submitted: risk ${detail.result?.risk.level ?? 'unknown'}`;
  if (event.type === 'care-risk') return `care-risk: ${detail.level ?? 'unknown'}`;
  return event.type;
}
