import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import {
  DANGER_FLAGS_PER_HOUR,
  DANGER_MODERATOR_DAYS,
  DANGER_NOTICE_DAYS,
  type DangerFlagInfo,
  type DangerNotices,
  type DangerNoticesInput,
  type FlagDangerInput,
  type FlagDangerResult,
} from '../contract/index.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/index.js';
import { publishAlertChange } from '../live/bus.js';
import type { Services } from '../services.js';
import { accessTo, labelFor, participant } from './groups.js';
import { ensureUser, lockUser } from './users.js';
import { resolveForGroups } from '../video/providers.js';
import { pseudonym, pseudonymKey } from '../video/tokens.js';

/**
 * "May be in danger" flags (issue 19, item 3). A member (or moderator) of a group flags a post's
 * author or a participant of the live room. The care team gets an urgent alert naming the person
 * (alerts.source 'danger_flag', and the clinic's on-call webhook when it has one); the group's
 * moderators see the alias only (`groups.dangerNotices`); the flagged person sees crisis resources
 * privately, never who flagged them. Rate-limited per flagger and recorded in the audit log.
 */
export type DangerFlagServices = Pick<Services, 'db' | 'users' | 'bus' | 'webhooks' | 'log'>;

const AUDIT_ACTION = 'groups.flagDanger';
const TARGETS = ['postId', 'participantId', 'participantAlias'] as const;
const EXCERPT_MAX = 280;

const badField = (field: string, message: string) => new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: ${field}: ${message}` });
const notFound = (message: string) => new TRPCError({ code: 'NOT_FOUND', message });

interface Target {
  userId: string;
  label: string;
  via: 'post' | 'participant';
  postId: string | null;
  field: (typeof TARGETS)[number];
}

/** Lower-cased, spaces collapsed: how an alias typed or read from the room is compared. */
const comparable = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

async function groupMembers(db: Db, clinicId: string, groupId: string) {
  return db
    .selectFrom('group_members')
    .leftJoin('users', (join) => join.onRef('users.clinic_id', '=', 'group_members.clinic_id').onRef('users.id', '=', 'group_members.user_id'))
    .select(['group_members.user_id', 'group_members.role', 'group_members.alias', 'group_members.display_mode', 'users.display_name', 'users.role as user_role'])
    .where('group_members.clinic_id', '=', clinicId)
    .where('group_members.group_id', '=', groupId)
    .execute();
}

async function resolveTarget(services: DangerFlagServices, principal: Principal, groupId: string, input: FlagDangerInput, moderator: boolean, demo: boolean): Promise<Target> {
  const { db } = services;
  if (input.postId !== undefined) {
    const post = await db.selectFrom('group_posts').selectAll().where('clinic_id', '=', principal.clinicId).where('id', '=', input.postId).executeTakeFirst();
    // Another group's post, or a hidden one a member cannot see, does not exist for the caller.
    if (!post || post.group_id !== groupId || (post.hidden_at && !moderator)) throw notFound('No such post');
    return { userId: post.author_id, label: post.author_label, via: 'post', postId: post.id, field: 'postId' };
  }
  const members = await groupMembers(db, principal.clinicId, groupId);
  if (input.participantId !== undefined) {
    const video = (await resolveForGroups(db, principal.clinicId, [groupId], demo)).get(groupId);
    const key = pseudonymKey(video?.row ?? null, principal.clinicId);
    const found = members.find((m) => pseudonym(key, principal.clinicId, groupId, m.user_id) === input.participantId);
    if (!found) throw notFound('No such participant');
    return { userId: found.user_id, label: labelFor(found, found.display_name), via: 'participant', postId: null, field: 'participantId' };
  }
  const wanted = comparable(input.participantAlias!);
  const found = members.filter((m) => comparable(labelFor(m, m.display_name)) === wanted);
  if (found.length === 0) throw notFound('No one in this group appears under that name');
  if (found.length > 1) throw badField('participantAlias', 'More than one person in this group appears under that name; flag one of their posts instead');
  const member = found[0]!;
  return { userId: member.user_id, label: labelFor(member, member.display_name), via: 'participant', postId: null, field: 'participantAlias' };
}

async function roleOfUser(db: Db, clinicId: string, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('role').where('clinic_id', '=', clinicId).where('id', '=', userId).executeTakeFirst();
  return row?.role ?? null;
}

async function webhookOf(db: Db, clinicId: string): Promise<{ url: string; secret: string } | null> {
  const clinic = await db.selectFrom('clinics').select(['crisis_webhook_url', 'crisis_webhook_secret']).where('id', '=', clinicId).executeTakeFirst();
  return clinic?.crisis_webhook_url && clinic.crisis_webhook_secret ? { url: clinic.crisis_webhook_url, secret: clinic.crisis_webhook_secret } : null;
}

/**
 * Flags the person behind a post or a participant of the group as maybe in danger. Refused with
 * nothing stored: no target or more than one (400 naming the field), the caller themselves (400),
 * staff (400), a post or person the caller cannot see or another clinic's group (404), a member who
 * has not accepted the guidelines (412), more than DANGER_FLAGS_PER_HOUR in an hour (429).
 */
export async function flagDanger(services: DangerFlagServices, principal: Principal, input: FlagDangerInput, demo = false): Promise<FlagDangerResult> {
  const { db, bus, webhooks, log } = services;
  const given = TARGETS.filter((key) => input[key] !== undefined);
  if (given.length === 0) throw badField('postId', 'Say whom you are worried about: give postId, participantId or participantAlias');
  if (given.length > 1) throw badField(given[1]!, `Give only one of postId, participantId or participantAlias (also given: ${given[0]})`);
  const { group, moderator } = await participant(services, principal, input.groupId);
  const target = await resolveTarget(services, principal, group.id, input, moderator, demo);
  if (target.userId === principal.userId) {
    throw badField(target.field, 'That is you. If you need help now, please use the crisis help button');
  }
  const role = await roleOfUser(db, principal.clinicId, target.userId);
  if (role === 'clinician' || role === 'admin') throw badField(target.field, 'That is a member of staff; flags are for group members');
  const note = input.note ? input.note : null;
  const now = new Date();
  const at = now.toISOString();
  const alertId = randomUUID();
  const flagId = randomUUID();
  const webhook = await webhookOf(db, principal.clinicId);
  await db.transaction().execute(async (trx) => {
    await ensureUser(trx, principal);
    // Count and insert under one lock on the flagger, or concurrent flags all pass the count.
    await lockUser(trx, principal);
    const recent = await trx
      .selectFrom('danger_flags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('clinic_id', '=', principal.clinicId)
      .where('flagger_id', '=', principal.userId)
      .where('created_at', '>', new Date(now.getTime() - 3_600_000).toISOString())
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= DANGER_FLAGS_PER_HOUR) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `You can flag ${DANGER_FLAGS_PER_HOUR} times an hour. If someone is in danger right now, call the emergency number or use the crisis help button`,
      });
    }
    await trx
      .insertInto('alerts')
      .values({
        id: alertId,
        clinic_id: principal.clinicId,
        client_id: target.userId,
        check_in_id: null,
        source: 'danger_flag',
        level: 'urgent',
        reasons: '[]',
        created_at: at,
        acknowledged_at: null,
        acknowledged_by: null,
        ack_note: null,
        last_requested_at: null,
      })
      .execute();
    await trx
      .insertInto('danger_flags')
      .values({
        id: flagId,
        clinic_id: principal.clinicId,
        group_id: group.id,
        flagger_id: principal.userId,
        flagged_id: target.userId,
        via: target.via,
        post_id: target.postId,
        flagged_label: target.label,
        note,
        alert_id: alertId,
        created_at: at,
        seen_at: null,
        // Pending until delivered or given up; a page a stopped server left pending is resumed at start-up.
        webhook_status: webhook ? 'pending' : 'not_configured',
      })
      .execute();
    // Who flagged whom: in the audit log (the flagged person's export does not name the flagger).
    await trx
      .insertInto('audit_log')
      .values({ id: randomUUID(), clinic_id: principal.clinicId, actor_id: principal.userId, actor_role: principal.role, action: AUDIT_ACTION, subject_id: target.userId, at })
      .execute();
  });
  publishAlertChange(bus, principal.clinicId, alertId, 'created');
  if (webhook) {
    // Ids only, as for a crisis press: the on-call system looks the person up in the clinic's records.
    webhooks.deliverInBackground(
      { kind: 'danger_flag', clinicId: principal.clinicId, alertId, ...webhook },
      { type: 'crisis.alert', source: 'danger_flag', alertId, clinicId: principal.clinicId, clientId: target.userId, level: 'urgent', createdAt: at, requestedAt: null },
    );
  }
  log.info({ alertId, flagId, via: target.via, paged: webhook !== null }, 'danger flag raised');
  return { flagged: true, label: target.label, via: target.via };
}

/**
 * The caller's notices in a group: their own private notice (someone flagged them; never who), and
 * for moderators the group's recent flags by alias.
 */
export async function dangerNotices(services: Pick<Services, 'db' | 'users'>, principal: Principal, input: DangerNoticesInput): Promise<DangerNotices> {
  const { db } = services;
  const { group, moderator } = await accessTo(services, principal, input.groupId);
  const now = Date.now();
  const mine = await db
    .selectFrom('danger_flags')
    .select('created_at')
    .where('clinic_id', '=', principal.clinicId)
    .where('group_id', '=', group.id)
    .where('flagged_id', '=', principal.userId)
    .where('seen_at', 'is', null)
    .where('created_at', '>', new Date(now - DANGER_NOTICE_DAYS * 86_400_000).toISOString())
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const moderation = moderator
    ? await db
        .selectFrom('danger_flags')
        .select(['id', 'flagged_label', 'via', 'created_at'])
        .where('clinic_id', '=', principal.clinicId)
        .where('group_id', '=', group.id)
        .where('created_at', '>', new Date(now - DANGER_MODERATOR_DAYS * 86_400_000).toISOString())
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(20)
        .execute()
    : [];
  return {
    mine: mine ? { flaggedAt: mine.created_at } : null,
    moderation: moderation.map((f) => ({ id: f.id, label: f.flagged_label, via: f.via, createdAt: f.created_at })),
  };
}

/** The flagged person closes their private notice (it stays in the care team's alert). */
export async function dismissDangerNotice(services: Pick<Services, 'db' | 'users'>, principal: Principal, input: DangerNoticesInput): Promise<{ dismissed: number }> {
  const { db } = services;
  const { group } = await accessTo(services, principal, input.groupId);
  const result = await db
    .updateTable('danger_flags')
    .set({ seen_at: new Date().toISOString() })
    .where('clinic_id', '=', principal.clinicId)
    .where('group_id', '=', group.id)
    .where('flagged_id', '=', principal.userId)
    .where('seen_at', 'is', null)
    .executeTakeFirst();
  return { dismissed: Number(result.numUpdatedRows) };
}

/** The flag behind each `danger_flag` alert of `alertIds` (for alerts.list / acknowledge). */
export async function dangerFlagsOf(db: Db, clinicId: string, alertIds: string[]): Promise<Map<string, DangerFlagInfo>> {
  const found = new Map<string, DangerFlagInfo>();
  if (alertIds.length === 0) return found;
  const rows = await db
    .selectFrom('danger_flags as f')
    .leftJoin('groups as g', (join) => join.onRef('g.clinic_id', '=', 'f.clinic_id').onRef('g.id', '=', 'f.group_id'))
    .leftJoin('group_posts as p', (join) => join.onRef('p.clinic_id', '=', 'f.clinic_id').onRef('p.id', '=', 'f.post_id'))
    .select(['f.alert_id', 'f.group_id', 'g.name as group_name', 'f.via', 'f.flagged_label', 'f.note', 'p.body'])
    .where('f.clinic_id', '=', clinicId)
    .where('f.alert_id', 'in', alertIds)
    .execute();
  for (const r of rows) {
    found.set(r.alert_id, {
      groupId: r.group_id,
      groupName: r.group_name ?? null,
      via: r.via,
      label: r.flagged_label,
      note: r.note,
      postExcerpt: r.body ? r.body.slice(0, EXCERPT_MAX) : null,
    });
  }
  return found;
}
