export const ROLES = ['client', 'clinician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, taken only from a verified token. Every query is scoped by `clinicId`. */
export interface Principal {
  clinicId: string;
  userId: string;
  role: Role;
  name: string | null;
  /** When the token it came from expires (ms since epoch); absent for principals the server makes itself (demo data). */
  expiresAt?: number;
}

export const isStaff = (p: Principal) => p.role === 'clinician' || p.role === 'admin';
