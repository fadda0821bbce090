import type { Principal } from '../auth/principal.js';
import { TEMPLATE_IDS, type Answers } from '../contract/index.js';
import { submitCheckIn, type CheckInServices } from '../domain/check-ins.js';
import { seedClinicianDemo } from './seed-clinician.js';
import { seedCrisisDemo } from './seed-crisis.js';
import { seedEarlierBamDemo } from './seed-earlier-bam.js';
import { seedGroupsDemo } from './seed-groups.js';
import { seedProgressDemo } from './seed-progress.js';

export const DEMO_CLINIC_ID = 'demo-clinic';
/** Published on purpose: demo mode only. Real clinics get their own secret (see README). */
export const DEMO_SECRET = 'demo-clinic-dev-secret-not-for-production-use';

export const DEMO_PEOPLE = [
  { id: 'client-1', role: 'client', name: 'Alex R.', baseMood: 6, baseCraving: 4 },
  { id: 'client-2', role: 'client', name: 'Sam T.', baseMood: 5, baseCraving: 6 },
  { id: 'client-3', role: 'client', name: 'Jordan P.', baseMood: 7, baseCraving: 2 },
  { id: 'clinician-1', role: 'clinician', name: 'Dr. Rivera', baseMood: 0, baseCraving: 0 },
] as const;

/** Deterministic so the demo looks the same on every machine. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A note to the care team on one check-in each of two demo clients: the staff page shows notes. */
const DEMO_NOTES: Record<string, { day: number; note: string }> = {
  'client-1': { day: 2, note: 'Work was stressful this week, but I called my sponsor. Could we talk about it on Thursday?' },
  'client-3': { day: 5, note: 'Starting a new job on Monday, so I might check in later in the day.' },
};

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(n)));
const requestId = (person: number, day: number, kind: number) =>
  `00000000-0000-4000-8${kind}00-${String(person).padStart(4, '0')}${String(day).padStart(8, '0')}`;

/** Check-ins go through submitCheckIn, so the demo needs the check-in services, not only the database. */
export async function seedDemo(services: CheckInServices, days = 60): Promise<void> {
  const { db } = services;
  const exists = await db.selectFrom('clinics').select('id').where('id', '=', DEMO_CLINIC_ID).executeTakeFirst();
  if (exists) return;
  const now = new Date();
  await db
    .insertInto('clinics')
    .values({
      id: DEMO_CLINIC_ID,
      name: 'Demo Recovery Clinic',
      hs256_secret: DEMO_SECRET,
      jwks_url: null,
      region: 'US',
      default_locale: 'en',
      risk_rules: null,
      enabled_templates: JSON.stringify(TEMPLATE_IDS),
      created_at: now.toISOString(),
    })
    .execute();
  await db
    .insertInto('users')
    .values(
      DEMO_PEOPLE.map((p) => ({
        clinic_id: DEMO_CLINIC_ID,
        id: p.id,
        role: p.role,
        display_name: p.name,
        created_at: new Date(now.getTime() - (days + 5) * 86_400_000).toISOString(),
        recovery_start_date: new Date(now.getTime() - (days + 30) * 86_400_000).toISOString().slice(0, 10),
      })),
    )
    .execute();
  await seedCrisisDemo(db, DEMO_CLINIC_ID);
  await seedGroupsDemo(db, DEMO_CLINIC_ID);

  for (const [index, person] of DEMO_PEOPLE.entries()) {
    if (person.role !== 'client') continue;
    const next = random(index + 7);
    const principal: Principal = { clinicId: DEMO_CLINIC_ID, userId: person.id, role: 'client', name: person.name };
    for (let day = days; day >= 1; day--) {
      if (next() < 0.12) continue; // missed days make streaks honest
      const at = new Date(now.getTime() - day * 86_400_000);
      at.setUTCHours(20, Math.floor(next() * 60), 0, 0);
      const trend = (days - day) / days; // gentle improvement over the period
      const mood = clamp(person.baseMood + trend * 2 + (next() - 0.5) * 3, 0, 10);
      const craving = clamp(person.baseCraving - trend * 2 + (next() - 0.5) * 3, 0, 10);
      const answers: Answers = {
        mood,
        craving,
        sleepHours: clamp((6 + trend + next() * 2) * 2, 0, 48) / 2,
        medication: index === 2 ? 'not_prescribed' : next() < 0.9 ? 'yes' : 'no',
        warningSigns: next() < 0.3 ? ['stress'] : [],
        used: next() < 0.03 ? 'yes' : 'no',
        ...(DEMO_NOTES[person.id]?.day === day ? { note: DEMO_NOTES[person.id]!.note } : {}),
      };
      await submitCheckIn(services, principal, {
        clientRequestId: requestId(index, day, 1),
        templateId: 'daily',
        answers,
        submittedAt: at.toISOString(),
      });
      if (day % 14 === 0) {
        const level = clamp(2 - trend * 2 + next(), 0, 3);
        const phq: Answers = Object.fromEntries(
          Array.from({ length: 9 }, (_, i) => [`q${i + 1}`, i === 8 ? 0 : clamp(level + (next() - 0.5), 0, 3)]),
        );
        await submitCheckIn(services, principal, {
          clientRequestId: requestId(index, day, 2),
          templateId: 'phq9',
          answers: phq,
          submittedAt: at.toISOString(),
        });
      }
    }
  }
  await seedProgressDemo(services, DEMO_CLINIC_ID, days);
  await seedClinicianDemo(db, DEMO_CLINIC_ID);
  await seedEarlierBamDemo(db, DEMO_CLINIC_ID);
}
