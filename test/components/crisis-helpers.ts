import type { SafetyPlanSections } from '../../server/contract/safety-plan.js';
import { careServer, tokenFor } from './helpers.js';

export const samplePlan = (overrides: Partial<SafetyPlanSections> = {}): SafetyPlanSections => ({
  warningSigns: [{ text: 'Not sleeping' }],
  copingStrategies: [{ text: 'Walk the dog' }],
  socialDistractions: [{ text: 'Library' }],
  helpContacts: [{ text: 'Maria', phone: '+1 202 555 0162' }],
  professionals: [{ text: 'Clinic nurse', phone: '(202) 555-0100' }],
  safeEnvironment: [{ text: 'No alcohol at home' }],
  reasonsForLiving: [{ text: 'My daughter' }],
  ...overrides,
});

async function trpc<T>(path: string, token: string, input?: unknown, method: 'GET' | 'POST' = 'GET'): Promise<{ status: number; data?: T }> {
  const { endpoint } = await careServer();
  const url =
    method === 'GET'
      ? `${endpoint}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
      : `${endpoint}/trpc/${path}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
  });
  const body = (await res.json()) as { result?: { data: T } };
  return { status: res.status, data: body.result?.data };
}

/** Saves a plan version as that person would (a clinician's becomes a suggestion). */
export async function savePlan(token: string, baseVersion: number | null, sections: SafetyPlanSections, clientId?: string) {
  return trpc<{ version: number }>('safetyPlan.save', token, { baseVersion, sections, ...(clientId ? { clientId } : {}) }, 'POST');
}

export async function planVersions(sub: string): Promise<{ version: number; kind: string }[]> {
  const res = await trpc<{ versions: { version: number; kind: string }[] }>('safetyPlan.get', await tokenFor('test-clinician', 'clinician'), { clientId: sub });
  return res.data?.versions ?? [];
}

/** Crisis alerts the server holds for a client, read as a clinician would. */
export async function crisisAlerts(clientId: string): Promise<{ id: string; source: string; level: string }[]> {
  const token = await tokenFor('test-clinician', 'clinician');
  const res = await trpc<{ items: { id: string; clientId: string; source: string; level: string }[] }>('alerts.list', token, { status: 'all', limit: 100 });
  return (res.data?.items ?? []).filter((a) => a.clientId === clientId && a.source === 'crisis');
}
