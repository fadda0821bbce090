import * as z from 'zod/mini';

/**
 * The Stanley-Brown Safety Planning Intervention (Stanley & Brown, 2012), in its seven steps. Step
 * order is the order a person works through the plan; the widget shows them in this order.
 */
export const SAFETY_PLAN_SECTIONS = [
  'warningSigns',
  'copingStrategies',
  'socialDistractions',
  'helpContacts',
  'professionals',
  'safeEnvironment',
  'reasonsForLiving',
] as const;
export type SafetyPlanSectionId = (typeof SAFETY_PLAN_SECTIONS)[number];

/** Sections whose items are people or places that may have a phone number. */
export const CONTACT_SECTIONS = ['socialDistractions', 'helpContacts', 'professionals'] as const satisfies readonly SafetyPlanSectionId[];
export type ContactSectionId = (typeof CONTACT_SECTIONS)[number];
export const isContactSection = (id: SafetyPlanSectionId): id is ContactSectionId =>
  (CONTACT_SECTIONS as readonly string[]).includes(id);

export const MAX_ITEMS_PER_SECTION = 20;
export const MAX_ITEM_LENGTH = 500;

/** A phone number as people write it: digits with optional +, spaces, dots, dashes and brackets; 3–15 digits. */
export const PHONE_PATTERN = /^\+?[0-9(][0-9 ().-]{1,24}$/;
const phone = z.string().check(
  z.trim(),
  z.maxLength(25),
  z.regex(PHONE_PATTERN, 'Use digits, spaces and an optional leading +'),
  z.refine((value) => {
    const digits = value.replace(/\D/g, '').length;
    return digits >= 3 && digits <= 15;
  }, 'Use 3 to 15 digits'),
);
const itemText = z.string().check(z.trim(), z.minLength(1, 'Write something or remove this item'), z.maxLength(MAX_ITEM_LENGTH));

export const textItemSchema = z.strictObject({ text: itemText });
export const contactItemSchema = z.strictObject({ text: itemText, phone: z.optional(phone) });
export type SafetyPlanItem = { text: string; phone?: string };

const textList = z.array(textItemSchema).check(z.maxLength(MAX_ITEMS_PER_SECTION));
const contactList = z.array(contactItemSchema).check(z.maxLength(MAX_ITEMS_PER_SECTION));

export const safetyPlanSectionsSchema = z.strictObject({
  warningSigns: textList,
  copingStrategies: textList,
  socialDistractions: contactList,
  helpContacts: contactList,
  professionals: contactList,
  safeEnvironment: textList,
  reasonsForLiving: textList,
});
export type SafetyPlanSections = Record<SafetyPlanSectionId, SafetyPlanItem[]>;

export const emptySafetyPlan = (): SafetyPlanSections =>
  Object.fromEntries(SAFETY_PLAN_SECTIONS.map((id) => [id, []])) as unknown as SafetyPlanSections;

const clientId = z.string().check(z.minLength(1), z.maxLength(200));

export const getSafetyPlanInput = z.optional(
  z.strictObject({
    /** Staff must name the client; a client may leave it out or name themselves. */
    clientId: z.optional(clientId),
    /** A specific earlier version; the latest when left out. */
    version: z.optional(z.int().check(z.gte(1))),
  }),
);
export type GetSafetyPlanInput = z.infer<typeof getSafetyPlanInput>;

export const saveSafetyPlanInput = z.strictObject({
  clientId: z.optional(clientId),
  /** The latest version the editor started from; null when there was none. A stale base is a CONFLICT. */
  baseVersion: z.nullable(z.int().check(z.gte(1))),
  sections: safetyPlanSectionsSchema,
});
export type SaveSafetyPlanInput = z.infer<typeof saveSafetyPlanInput>;

/** `plan`: written by the client (their plan). `suggestion`: written by a clinician for the client to accept. */
export type SafetyPlanKind = 'plan' | 'suggestion';

export interface SafetyPlanVersion {
  clientId: string;
  version: number;
  kind: SafetyPlanKind;
  authorRole: 'client' | 'clinician' | 'admin';
  authorName: string | null;
  /** The version the author was editing from. */
  baseVersion: number | null;
  sections: SafetyPlanSections;
  createdAt: string;
}

export interface SafetyPlanVersionSummary {
  version: number;
  kind: SafetyPlanKind;
  authorRole: 'client' | 'clinician' | 'admin';
  createdAt: string;
}

export interface SafetyPlanView {
  clientId: string;
  /** The newest version of any kind: what a save must name as its baseVersion. */
  latestVersion: number | null;
  /** The client's own plan (newest `plan` version), or the version asked for. */
  plan: SafetyPlanVersion | null;
  /** A clinician's suggestion newer than the client's plan, waiting to be looked at. */
  suggestion: SafetyPlanVersion | null;
  /** Every version, newest first. */
  versions: SafetyPlanVersionSummary[];
}

/** A person from the plan the crisis dialog offers to call or text. */
export interface SafetyPlanContact {
  name: string;
  phone: string;
  section: ContactSectionId;
}

export function contactsOf(sections: SafetyPlanSections): SafetyPlanContact[] {
  // People to ask for help first, then professionals, then people for distraction.
  const order: ContactSectionId[] = ['helpContacts', 'professionals', 'socialDistractions'];
  return order.flatMap((section) =>
    (sections[section] ?? []).filter((item) => item.phone).map((item) => ({ name: item.text, phone: item.phone!, section })),
  );
}

/** The digits and leading + of a phone number, for tel: and sms: links. */
export const dialable = (phoneNumber: string): string => phoneNumber.trim().replace(/(?!^\+)[^0-9]/g, '');
