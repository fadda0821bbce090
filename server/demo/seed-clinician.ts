import { randomUUID } from 'node:crypto';
import { FEEDBACK_BARRIERS, type Answers } from '../contract/index.js';
import type { Db } from '../db/index.js';
import { checkInRow } from '../db/check-in-row.js';
import type { CheckInsTable } from '../db/schema.js';
import { phq9Severity } from '../domain/scoring.js';

const NAMES = [
  'Avery M.', 'Bianca L.', 'Carlos D.', 'Dana W.', 'Elijah K.', 'Fatima S.', 'Gabriel O.', 'Hana P.', 'Isaac B.', 'Jasmine R.',
  'Kofi A.', 'Lucia G.', 'Marcus T.', 'Nadia F.', 'Owen H.', 'Priya N.', 'Quinn E.', 'Rosa V.', 'Samuel J.', 'Tara C.',
  'Uriel Z.', 'Valeria I.', 'Wesley U.', 'Ximena Q.', 'Yusuf Y.', 'Zoe X.', 'Andre P.', 'Beatriz M.', 'Connor F.', 'Delia R.',
  'Emeka O.', 'Francesca B.', 'Grace W.', 'Hector L.', 'Ines T.', 'Jamal S.', 'Keira D.', 'Leon K.', 'Maya G.', 'Nico H.',
];

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const DAY = 86_400_000;
const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(n)));

/**
 * Forty more people for the staff page: varied engagement (steady, on and off, rare, and people
 * who stopped after a few weeks) over the last six months, PHQ-9s, monthly feedback, group and
 * telehealth sessions, and a few open alerts. Written in one transaction so demo start-up stays quick.
 */
export async function seedClinicianDemo(db: Db, clinicId: string, now = new Date()): Promise<void> {
  const next = random(2026);
  const users: { clinic_id: string; id: string; role: 'client'; display_name: string; created_at: string; recovery_start_date: string | null }[] = [];
  const checkIns: CheckInsTable[] = [];
  const sessions: { id: string; clinic_id: string; client_id: string; kind: 'group' | 'telehealth'; source_id: string | null; joined_at: string; left_at: string | null }[] = [];
  const received = now.toISOString();
  const checkIn = (clientId: string, at: Date, templateId: string, answers: Answers, score: object | null) =>
    checkIns.push(
      checkInRow({
        clinicId,
        clientId,
        templateId,
        answers,
        score,
        submittedAt: at.toISOString(),
        receivedAt: received,
        ...(answers.used === 'yes' ? { riskLevel: 'elevated', riskReasons: ['reported_use'] } : {}),
      }),
    );

  NAMES.forEach((name, i) => {
    const id = `demo-client-${String(i + 1).padStart(2, '0')}`;
    const joinedDaysAgo = 3 + ((i * 37) % 175);
    const tier = i % 4; // 0 steady, 1 on and off, 2 rare, 3 stopped after a few weeks
    const adherence = [0.85, 0.55, 0.2, 0.8][tier]!;
    const stopsAfter = tier === 3 ? 20 + ((i * 7) % 25) : Infinity;
    users.push({
      clinic_id: clinicId,
      id,
      role: 'client',
      display_name: name,
      created_at: new Date(now.getTime() - joinedDaysAgo * DAY).toISOString(),
      recovery_start_date: new Date(now.getTime() - (joinedDaysAgo + 14) * DAY).toISOString().slice(0, 10),
    });
    const baseMood = 4 + next() * 3;
    const baseCraving = 2 + next() * 5;
    for (let ago = joinedDaysAgo; ago >= 0; ago--) {
      const sinceJoin = joinedDaysAgo - ago;
      if (sinceJoin > stopsAfter) break;
      const at = new Date(now.getTime() - ago * DAY);
      at.setUTCHours(14 + Math.floor(next() * 8), Math.floor(next() * 60), 0, 0);
      if (at > now) at.setTime(now.getTime() - 60_000);
      const progress = Math.min(1, sinceJoin / 120);
      if (next() < adherence) {
        checkIn(id, at, 'daily', {
          mood: clamp(baseMood + progress * 2 + (next() - 0.5) * 3, 0, 10),
          craving: clamp(baseCraving - progress * 2 + (next() - 0.5) * 3, 0, 10),
          sleepHours: clamp((6 + next() * 2) * 2, 0, 48) / 2,
          medication: next() < 0.85 ? 'yes' : 'not_prescribed',
          warningSigns: next() < 0.2 ? ['stress'] : [],
          used: next() < 0.04 ? 'yes' : 'no',
        }, null);
      }
      if (sinceJoin % 14 === 7 && tier < 2) {
        const total = clamp(14 - progress * 8 + (next() - 0.5) * 6, 0, 27);
        const items = Array.from({ length: 9 }, (_, k) => (k < 8 ? Math.min(3, Math.max(0, Math.round(total / 8))) : 0));
        checkIn(id, at, 'phq9', Object.fromEntries(items.map((v, k) => [`q${k + 1}`, v])), {
          instrument: 'phq9',
          total,
          max: 27,
          severity: phq9Severity(total),
        });
      }
      if (sinceJoin % 30 === 25 && next() < 0.7) {
        const barriers = FEEDBACK_BARRIERS.filter(() => next() < 0.12);
        checkIn(id, at, 'feedback', {
          satisfaction: clamp(3 + next() * 2.4 - (tier === 2 ? 1 : 0), 1, 5),
          usefulness: clamp(2.6 + next() * 2.4, 1, 5),
          barriers,
        }, null);
      }
      if (at.getUTCDay() === 3 && next() < adherence * 0.8) {
        sessions.push({ id: randomUUID(), clinic_id: clinicId, client_id: id, kind: 'group', source_id: 'demo-group', joined_at: at.toISOString(), left_at: new Date(at.getTime() + 3_600_000).toISOString() });
      }
      if (sinceJoin % 28 === 10) {
        sessions.push({ id: randomUUID(), clinic_id: clinicId, client_id: id, kind: 'telehealth', source_id: `visit-${i}-${ago}`, joined_at: at.toISOString(), left_at: new Date(at.getTime() + 1_800_000).toISOString() });
      }
    }
  });

  const openAlerts = [
    { client: 2, level: 'urgent' as const, reasons: ['high_craving', 'reported_use'], hoursAgo: 1 },
    { client: 7, level: 'elevated' as const, reasons: ['mood_drop'], hoursAgo: 5 },
    { client: 11, level: 'elevated' as const, reasons: ['high_craving'], hoursAgo: 20 },
    { client: 19, level: 'urgent' as const, reasons: ['self_harm_warning_sign'], hoursAgo: 30 },
    { client: 26, level: 'elevated' as const, reasons: ['phq9_severe'], hoursAgo: 44 },
  ];

  await db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(users).onConflict((oc) => oc.columns(['clinic_id', 'id']).doNothing()).execute();
    for (let i = 0; i < checkIns.length; i += 500) await trx.insertInto('check_ins').values(checkIns.slice(i, i + 500)).execute();
    for (let i = 0; i < sessions.length; i += 500) await trx.insertInto('sessions_attended').values(sessions.slice(i, i + 500)).execute();
    await trx
      .insertInto('alerts')
      .values(
        openAlerts.map((a) => ({
          id: randomUUID(),
          clinic_id: clinicId,
          client_id: `demo-client-${String(a.client).padStart(2, '0')}`,
          check_in_id: null,
          source: 'check_in' as const,
          level: a.level,
          reasons: JSON.stringify(a.reasons),
          created_at: new Date(now.getTime() - a.hoursAgo * 3_600_000).toISOString(),
          acknowledged_at: null,
          acknowledged_by: null,
          ack_note: null,
        })),
      )
      .execute();
  });
}
