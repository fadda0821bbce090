import { randomUUID } from 'node:crypto';
import type { CheckInsTable } from './schema.js';

export interface PastCheckIn {
  clinicId: string;
  clientId: string;
  templateId: string;
  answers: object;
  score?: object | null;
  submittedAt: string;
  /** Defaults to submittedAt. */
  receivedAt?: string;
  riskLevel?: CheckInsTable['risk_level'];
  riskReasons?: string[];
}

/**
 * A check_ins row written directly, for history loaded in bulk (demo data, benchmarks, tests of
 * time windows): `checkIn.submit` scores and checks risk itself and refuses check-ins older than 60
 * days, so these rows carry their score and risk as given.
 */
export function checkInRow(c: PastCheckIn): CheckInsTable {
  return {
    id: randomUUID(),
    clinic_id: c.clinicId,
    client_id: c.clientId,
    client_request_id: randomUUID(),
    template_id: c.templateId,
    template_version: 1,
    answers: JSON.stringify(c.answers),
    score: c.score ? JSON.stringify(c.score) : null,
    risk_level: c.riskLevel ?? 'none',
    risk_reasons: JSON.stringify(c.riskReasons ?? []),
    submitted_at: c.submittedAt,
    received_at: c.receivedAt ?? c.submittedAt,
  };
}
