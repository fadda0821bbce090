import type { Principal } from '../auth/principal.js';
import type { OnCallWindow, SafetyPlanSections } from '../contract/index.js';
import type { Db } from '../db/index.js';
import { saveSafetyPlan } from '../domain/safety-plans.js';

const WEEKDAYS_9_TO_5: OnCallWindow[] = [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }];

/** Demo phone numbers from the 555-01xx range, reserved for fiction. */
const ALEX_PLAN: SafetyPlanSections = {
  warningSigns: [{ text: 'Sleeping badly for more than two nights' }, { text: 'Skipping meetings and staying in my room' }],
  copingStrategies: [{ text: 'Walk around the block and breathe slowly' }, { text: 'Play guitar for twenty minutes' }],
  socialDistractions: [{ text: 'Coffee at the community centre' }, { text: 'Jamie (neighbour)', phone: '+1 202 555 0143' }],
  helpContacts: [{ text: 'Sam, my sponsor', phone: '+1 202 555 0187' }, { text: 'My sister Maria', phone: '+1 202 555 0162' }],
  professionals: [{ text: 'Dr. Rivera, Demo Recovery Clinic', phone: '+1 202 555 0100' }],
  safeEnvironment: [{ text: 'Keep no alcohol at home' }, { text: 'Give extra medication to the pharmacy to hold' }],
  reasonsForLiving: [{ text: 'My daughter' }, { text: 'Finishing my carpentry course' }],
};

/** On-call hours (no webhook: the demo has no pager) and a safety plan for client-1. Safe to run again. */
export async function seedCrisisDemo(db: Db, clinicId: string): Promise<void> {
  await db
    .updateTable('clinics')
    .set({ on_call_hours: JSON.stringify(WEEKDAYS_9_TO_5), on_call_time_zone: 'America/New_York', on_call_phone: '+1 202 555 0100', crisis_webhook_url: null, crisis_webhook_secret: null })
    .where('id', '=', clinicId)
    .execute();
  const existing = await db
    .selectFrom('safety_plans')
    .select('id')
    .where('clinic_id', '=', clinicId)
    .where('client_id', '=', 'client-1')
    .executeTakeFirst();
  if (existing) return;
  const alex: Principal = { clinicId, userId: 'client-1', role: 'client', name: 'Alex R.' };
  await saveSafetyPlan(db, alex, 'client-1', { baseVersion: null, sections: ALEX_PLAN });
}
