import type { Selectable } from 'kysely';
import type { Answers, GroupSession, RiskReason, SafetyPlanSections, Score } from '../contract/index.js';
import { emptySafetyPlan, SAFETY_PLAN_SECTIONS } from '../contract/index.js';
import { fromJson, fromJsonOrNull } from './json.js';
import type { CheckInsTable, GroupsTable, SafetyPlansTable } from './schema.js';

/**
 * The row mappers: the one place each table's JSON columns are read. They take the columns a query
 * selected (a whole row or the few a report needs) and work on SQLite and PostgreSQL alike (see
 * fromJson). Writes go through `toJson` (server/db/json.ts).
 */

/** check_ins: the JSON columns of a row. */
export const checkInJson = {
  answers: (row: Pick<CheckInsTable, 'answers'>): Answers => fromJson(row.answers),
  score: (row: Pick<CheckInsTable, 'score'>): Score | null => fromJsonOrNull(row.score),
  riskReasons: (row: Pick<CheckInsTable, 'risk_reasons'>): RiskReason[] => fromJson(row.risk_reasons),
};

/** A groups row with its schedule, guidelines and dial-in read once. */
export type GroupRecord = Omit<Selectable<GroupsTable>, 'schedule' | 'guidelines' | 'dial_in'> & {
  schedule: GroupSession[];
  guidelines: Record<string, string>;
  dialIn: { number: string; pin: string | null } | null;
};

export function groupFromRow(row: Selectable<GroupsTable>): GroupRecord {
  const { schedule, guidelines, dial_in, ...rest } = row;
  const dialIn = fromJsonOrNull(dial_in);
  return {
    ...rest,
    schedule: fromJson(schedule),
    guidelines: fromJson(guidelines),
    dialIn: dialIn ? { number: dialIn.number, pin: dialIn.pin ?? null } : null,
  };
}

/** safety_plans: the sections, every one present (a plan saved before a section existed has it empty). */
export function safetyPlanSections(row: Pick<Selectable<SafetyPlansTable>, 'sections'>): SafetyPlanSections {
  const parsed = fromJson(row.sections);
  const sections = emptySafetyPlan();
  for (const id of SAFETY_PLAN_SECTIONS) sections[id] = parsed[id] ?? [];
  return sections;
}
