import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import {
  FEEDBACK_BARRIERS,
  OUTCOMES_MAX_MONTHS,
  type Answers,
  type FeedbackBarrier,
  type OutcomesMonth,
  type OutcomesReport,
  type OutcomesReportInput,
  type RetentionCell,
} from '../contract/index.js';
import type { Db } from '../db/index.js';
import { checkInJson } from '../db/rows.js';
import { addDays, addMonths, daysBetween, firstDayOf, lastDayOf, localDay, monthOf, startOfLocalDay } from './local-time.js';
import { refreshClinic } from './roster-stats.js';

/**
 * Outcome metrics per calendar month in the clinic's time zone. Definitions (also in the README):
 * - Join day: the local date the client's record was created.
 * - Engagement: a month's window runs from its first day to its last day, or to today for the
 *   running month. A client's exposure is the number of days of the window on or after their join
 *   day. Clients with at least 7 days of exposure are eligible; an eligible client is engaged when
 *   they checked in on at least floor(exposure / 7) distinct days of the window (once a week on
 *   average). Engagement rate = engaged / eligible.
 * - Retention at N days (30, 90), for the clients who joined in the month: retained when they
 *   checked in on some day at least N days after their join day (join day = day 0). A client is
 *   measured once day N has come (join day + N ≤ today); rate = retained / measured.
 * - Relapse occurrences: client-days in the month with at least one daily check-in answering
 *   "used" = yes; clients = how many people reported use in the month.
 * - Attendance: sessions_attended rows that started in the month (group and telehealth).
 * - Feedback: feedback check-ins submitted in the month: count, mean satisfaction and usefulness
 *   (1–5, one decimal), and how often each barrier was chosen. Comments are never read.
 * - Instruments: PHQ-9 and GAD-7 check-ins submitted in the month, and of them those answered in an
 *   unverified translation (check_ins.provenance = 'unverified'): not validated scores.
 * - BAM: Brief Addiction Monitor check-ins submitted in the month, the people who sent them, and the
 *   mean of each subscale (Use 0–12, Risk factors 0–24: higher is worse; Protective factors 0–24:
 *   higher is better), one decimal, and how many were answered in an unverified translation (the BAM
 *   is published in English only).
 */
export const ELIGIBLE_AFTER_DAYS = 7;
export const RETENTION_DAYS = [30, 90] as const;

const badInput = (field: string, message: string) =>
  new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: ${field}: ${message}` });

const round1 = (n: number) => Math.round(n * 10) / 10;
const emptyBarriers = () => Object.fromEntries(FEEDBACK_BARRIERS.map((b) => [b, 0])) as Record<FeedbackBarrier, number>;

export async function outcomesReport(db: Db, clinicId: string, input: NonNullable<OutcomesReportInput>, now = new Date()): Promise<OutcomesReport> {
  const { clinicName, timeZone, today } = await refreshClinic(db, clinicId, now);
  const currentMonth = monthOf(today);
  const to = input.to ?? currentMonth;
  const from = input.from ?? addMonths(to, -5);
  if (to > currentMonth) throw badInput('to', `Must not be after the current month (${currentMonth})`);
  if (from > to) throw badInput('from', 'Must not be after to');
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  if (months.length > OUTCOMES_MAX_MONTHS) throw badInput('from', `Reports cover at most ${OUTCOMES_MAX_MONTHS} months`);

  const rangeStart = firstDayOf(from);
  const rangeEnd = to === currentMonth ? today : lastDayOf(to);
  const startInstant = startOfLocalDay(rangeStart, timeZone).toISOString();
  const endInstant = startOfLocalDay(addDays(rangeEnd, 1), timeZone).toISOString();

  const [clients, dayCounts, relapses, sessions, feedback, instrumentRows, bamRows] = await Promise.all([
    db
      .selectFrom('users as u')
      .leftJoin('roster_stats as s', (j) => j.onRef('s.clinic_id', '=', 'u.clinic_id').onRef('s.client_id', '=', 'u.id'))
      .select(['u.id', 'u.created_at', 's.last_day'])
      .where('u.clinic_id', '=', clinicId)
      .where('u.role', '=', 'client')
      .execute(),
    db
      .selectFrom('check_in_days')
      .select(['client_id', sql<string>`substr(day, 1, 7)`.as('month'), (eb) => eb.fn.countAll<number>().as('days')])
      .where('clinic_id', '=', clinicId)
      .where('day', '>=', rangeStart)
      .where('day', '<=', rangeEnd)
      .groupBy(['client_id', sql`substr(day, 1, 7)`])
      .execute(),
    db
      .selectFrom('check_in_days')
      .select([
        sql<string>`substr(day, 1, 7)`.as('month'),
        (eb) => eb.fn.countAll<number>().as('occurrences'),
        (eb) => eb.fn.count<number>('client_id').distinct().as('clients'),
      ])
      .where('clinic_id', '=', clinicId)
      .where('reported_use', '>', 0)
      .where('day', '>=', rangeStart)
      .where('day', '<=', rangeEnd)
      .groupBy(sql`substr(day, 1, 7)`)
      .execute(),
    db
      .selectFrom('sessions_attended')
      .select(['client_id', 'kind', 'joined_at'])
      .where('clinic_id', '=', clinicId)
      .where('joined_at', '>=', startInstant)
      .where('joined_at', '<', endInstant)
      .execute(),
    db
      .selectFrom('check_ins')
      .select(['answers', 'submitted_at'])
      .where('clinic_id', '=', clinicId)
      .where('template_id', '=', 'feedback')
      .where('submitted_at', '>=', startInstant)
      .where('submitted_at', '<', endInstant)
      .execute(),
    db
      .selectFrom('check_ins')
      .select(['template_id', 'provenance', 'submitted_at'])
      .where('clinic_id', '=', clinicId)
      .where('template_id', 'in', ['phq9', 'gad7'])
      .where('submitted_at', '>=', startInstant)
      .where('submitted_at', '<', endInstant)
      .execute(),
    db
      .selectFrom('check_ins')
      .select(['client_id', 'score', 'submitted_at', 'provenance'])
      .where('clinic_id', '=', clinicId)
      .where('template_id', '=', 'bam')
      .where('submitted_at', '>=', startInstant)
      .where('submitted_at', '<', endInstant)
      .execute(),
  ]);

  const daysIn = new Map<string, number>(dayCounts.map((r) => [`${r.client_id}|${r.month}`, Number(r.days)]));
  const joined = clients.map((c) => ({ id: c.id, joinDay: localDay(c.created_at, timeZone), lastDay: c.last_day ?? null }));

  const result: OutcomesMonth[] = months.map((month) => {
    const windowStart = firstDayOf(month);
    const windowEnd = month === currentMonth ? today : lastDayOf(month);
    let eligible = 0;
    let engaged = 0;
    for (const c of joined) {
      if (c.joinDay > windowEnd) continue;
      const exposure = daysBetween(c.joinDay > windowStart ? c.joinDay : windowStart, windowEnd) + 1;
      if (exposure < ELIGIBLE_AFTER_DAYS) continue;
      eligible++;
      if ((daysIn.get(`${c.id}|${month}`) ?? 0) >= Math.floor(exposure / 7)) engaged++;
    }
    const cohort = joined.filter((c) => monthOf(c.joinDay) === month);
    const retention = (n: number): RetentionCell => {
      const measured = cohort.filter((c) => addDays(c.joinDay, n) <= today);
      const retained = measured.filter((c) => c.lastDay !== null && c.lastDay >= addDays(c.joinDay, n)).length;
      return { cohort: cohort.length, measured: measured.length, retained, rate: measured.length ? retained / measured.length : null };
    };
    const relapse = relapses.find((r) => r.month === month);
    return {
      month,
      partial: month === currentMonth,
      engagement: { eligible, engaged, rate: eligible ? engaged / eligible : null },
      retention: { d30: retention(30), d90: retention(90) },
      relapse: { occurrences: Number(relapse?.occurrences ?? 0), clients: Number(relapse?.clients ?? 0) },
      attendance: { sessions: 0, clients: 0, group: 0, telehealth: 0 },
      feedback: { responses: 0, satisfaction: null, usefulness: null, barriers: emptyBarriers() },
      instruments: { phq9: { scores: 0, unverifiedTranslation: 0 }, gad7: { scores: 0, unverifiedTranslation: 0 } },
      bam: { scores: 0, clients: 0, use: null, risk: null, protective: null, unverifiedTranslation: 0 },
    };
  });
  const byMonth = new Map(result.map((m) => [m.month, m]));

  const attendees = new Map<string, Set<string>>();
  for (const s of sessions) {
    const month = monthOf(localDay(s.joined_at, timeZone));
    const row = byMonth.get(month);
    if (!row) continue;
    row.attendance.sessions++;
    if (s.kind === 'group') row.attendance.group++;
    else row.attendance.telehealth++;
    const set = attendees.get(month) ?? new Set<string>();
    set.add(s.client_id);
    attendees.set(month, set);
  }
  for (const [month, set] of attendees) byMonth.get(month)!.attendance.clients = set.size;

  for (const r of instrumentRows) {
    const row = byMonth.get(monthOf(localDay(r.submitted_at, timeZone)));
    if (!row || (r.template_id !== 'phq9' && r.template_id !== 'gad7')) continue;
    row.instruments[r.template_id].scores++;
    if (r.provenance === 'unverified') row.instruments[r.template_id].unverifiedTranslation++;
  }

  const bamSums = new Map<string, { use: number; risk: number; protective: number; clients: Set<string> }>();
  for (const r of bamRows) {
    const row = byMonth.get(monthOf(localDay(r.submitted_at, timeZone)));
    let score: ReturnType<typeof checkInJson.score>;
    try {
      score = checkInJson.score(r);
    } catch {
      continue;
    }
    if (!row || score?.instrument !== 'bam') continue;
    const s = bamSums.get(row.month) ?? { use: 0, risk: 0, protective: 0, clients: new Set<string>() };
    s.use += score.use;
    s.risk += score.risk;
    s.protective += score.protective;
    s.clients.add(r.client_id);
    bamSums.set(row.month, s);
    row.bam.scores++;
    if (r.provenance === 'unverified') row.bam.unverifiedTranslation++;
  }
  for (const [month, s] of bamSums) {
    const row = byMonth.get(month)!;
    const n = row.bam.scores;
    row.bam = { ...row.bam, clients: s.clients.size, use: round1(s.use / n), risk: round1(s.risk / n), protective: round1(s.protective / n) };
  }

  const sums = new Map<string, { satisfaction: number[]; usefulness: number[] }>();
  for (const f of feedback) {
    const row = byMonth.get(monthOf(localDay(f.submitted_at, timeZone)));
    if (!row) continue;
    let answers: Answers;
    try {
      answers = checkInJson.answers(f);
    } catch {
      continue;
    }
    row.feedback.responses++;
    const s = sums.get(row.month) ?? { satisfaction: [], usefulness: [] };
    if (typeof answers.satisfaction === 'number') s.satisfaction.push(answers.satisfaction);
    if (typeof answers.usefulness === 'number') s.usefulness.push(answers.usefulness);
    sums.set(row.month, s);
    for (const b of Array.isArray(answers.barriers) ? answers.barriers : []) {
      if ((FEEDBACK_BARRIERS as readonly string[]).includes(b)) row.feedback.barriers[b as FeedbackBarrier]++;
    }
  }
  const mean = (values: number[]) => (values.length ? round1(values.reduce((a, b) => a + b, 0) / values.length) : null);
  for (const [month, s] of sums) {
    const row = byMonth.get(month)!;
    row.feedback.satisfaction = mean(s.satisfaction);
    row.feedback.usefulness = mean(s.usefulness);
  }

  return { clinicName, timeZone, today, generatedAt: now.toISOString(), months: result };
}

/** A spreadsheet must never run a cell: text starting with = + - @ or a control character gets a leading apostrophe. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  if (typeof value !== 'number' && /^[=+\-@\t\r\n]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const percent = (rate: number | null) => (rate === null ? null : round1(rate * 100));

export function outcomesCsv(report: OutcomesReport): string {
  const header = [
    'clinic',
    'time_zone',
    'month',
    'partial_month',
    'eligible_clients',
    'engaged_clients',
    'engagement_rate_percent',
    'retention_30d_cohort',
    'retention_30d_measured',
    'retention_30d_retained',
    'retention_30d_percent',
    'retention_90d_cohort',
    'retention_90d_measured',
    'retention_90d_retained',
    'retention_90d_percent',
    'relapse_occurrences',
    'clients_reporting_use',
    'sessions_attended',
    'clients_attending',
    'group_sessions',
    'telehealth_sessions',
    'feedback_responses',
    'mean_satisfaction',
    'mean_usefulness',
    ...FEEDBACK_BARRIERS.map((b) => `barrier_${b}`),
    'phq9_scores',
    'phq9_unverified_translation',
    'gad7_scores',
    'gad7_unverified_translation',
    'bam_scores',
    'bam_clients',
    'bam_mean_use',
    'bam_mean_risk_factors',
    'bam_mean_protective_factors',
    'bam_unverified_translation',
  ];
  const rows = report.months.map((m) => [
    report.clinicName,
    report.timeZone,
    m.month,
    m.partial ? 'yes' : 'no',
    m.engagement.eligible,
    m.engagement.engaged,
    percent(m.engagement.rate),
    m.retention.d30.cohort,
    m.retention.d30.measured,
    m.retention.d30.retained,
    percent(m.retention.d30.rate),
    m.retention.d90.cohort,
    m.retention.d90.measured,
    m.retention.d90.retained,
    percent(m.retention.d90.rate),
    m.relapse.occurrences,
    m.relapse.clients,
    m.attendance.sessions,
    m.attendance.clients,
    m.attendance.group,
    m.attendance.telehealth,
    m.feedback.responses,
    m.feedback.satisfaction,
    m.feedback.usefulness,
    ...FEEDBACK_BARRIERS.map((b) => m.feedback.barriers[b]),
    m.instruments.phq9.scores,
    m.instruments.phq9.unverifiedTranslation,
    m.instruments.gad7.scores,
    m.instruments.gad7.unverifiedTranslation,
    m.bam.scores,
    m.bam.clients,
    m.bam.use,
    m.bam.risk,
    m.bam.protective,
    m.bam.unverifiedTranslation,
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
