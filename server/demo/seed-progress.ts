import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { Answers } from '../contract/index.js';
import { submitCheckIn, type CheckInServices } from '../domain/check-ins.js';

const DAY = 86_400_000;
const CLIENTS = ['client-1', 'client-2', 'client-3'] as const;

const GOALS: Record<(typeof CLIENTS)[number], { title: string; target: number; current: number }[]> = {
  'client-1': [
    { title: 'Go to 12 group meetings', target: 12, current: 7 },
    { title: 'Walk 20 minutes on 5 mornings', target: 5, current: 5 },
  ],
  'client-2': [
    { title: 'Call my sponsor every week for a month', target: 4, current: 2 },
    { title: 'Sleep 7 hours on 10 nights', target: 10, current: 3 },
  ],
  'client-3': [{ title: 'Finish the relapse-prevention workbook', target: 8, current: 6 }],
};

const MODULES = [
  { moduleId: 'welcome', title: 'Welcome to aftercare' },
  { moduleId: 'cravings', title: 'Coping with cravings' },
  { moduleId: 'sleep', title: 'Sleep and recovery' },
  { moduleId: 'relationships', title: 'Rebuilding relationships' },
];

const requestId = (person: number, day: number) => `00000000-0000-4000-8300-${String(person).padStart(4, '0')}${String(day).padStart(8, '0')}`;

/**
 * Demo data for <care-progress>: goals, modules the clinic recorded, support-group and telehealth
 * sessions attended, and GAD-7 scores alongside the PHQ-9s that seed.ts writes, so every chart and
 * headline number of the demo clients has something to show.
 */
export async function seedProgressDemo(services: CheckInServices, clinicId: string, days = 60): Promise<void> {
  const { db } = services;
  const now = Date.now();
  for (const [index, clientId] of CLIENTS.entries()) {
    const principal: Principal = { clinicId, userId: clientId, role: 'client', name: null };
    await db
      .insertInto('goals')
      .values(
        GOALS[clientId].map((g, i) => ({
          id: randomUUID(),
          clinic_id: clinicId,
          client_id: clientId,
          title: g.title,
          target: g.target,
          current: g.current,
          archived: 0,
          created_at: new Date(now - (40 - i) * DAY).toISOString(),
          updated_at: new Date(now - 2 * DAY).toISOString(),
        })),
      )
      .execute();
    await db
      .insertInto('modules_completed')
      .values(
        MODULES.slice(0, 4 - index).map((m, i) => ({
          id: randomUUID(),
          clinic_id: clinicId,
          client_id: clientId,
          module_id: m.moduleId,
          title: m.title,
          completed_at: new Date(now - (50 - i * 12) * DAY).toISOString(),
          recorded_by: 'clinician-1',
          recorded_at: new Date(now - (50 - i * 12) * DAY).toISOString(),
        })),
      )
      .execute();
    // A weekly support group (missing a few) and a telehealth visit every four weeks.
    const sessions = [];
    for (let week = 8; week >= 1; week--) {
      if ((week + index) % 4 === 0) continue;
      const at = new Date(now - week * 7 * DAY);
      at.setUTCHours(23, 0, 0, 0);
      sessions.push({ id: randomUUID(), clinic_id: clinicId, client_id: clientId, kind: 'group' as const, source_id: 'demo-group', joined_at: at.toISOString(), left_at: new Date(at.getTime() + 3_600_000).toISOString() });
    }
    for (const ago of [54, 26]) {
      const at = new Date(now - ago * DAY);
      at.setUTCHours(16, 0, 0, 0);
      sessions.push({ id: randomUUID(), clinic_id: clinicId, client_id: clientId, kind: 'telehealth' as const, source_id: `visit-${clientId}-${ago}`, joined_at: at.toISOString(), left_at: new Date(at.getTime() + 1_800_000).toISOString() });
    }
    await db.insertInto('sessions_attended').values(sessions).execute();

    // GAD-7 every two weeks, a week apart from the PHQ-9s, easing over the period.
    for (let day = days - 7; day >= 1; day -= 14) {
      const level = Math.max(0, Math.min(3, Math.round(2 - ((days - day) / days) * 2 + (index === 1 ? 0.6 : 0))));
      const answers: Answers = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`q${i + 1}`, i < 4 ? level : Math.max(0, level - 1)]));
      const at = new Date(now - day * DAY);
      at.setUTCHours(20, 30, 0, 0);
      await submitCheckIn(services, principal, { clientRequestId: requestId(index, day), templateId: 'gad7', answers, submittedAt: at.toISOString() });
    }
  }
}
