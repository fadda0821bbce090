import { TRPCError } from '@trpc/server';
import type { Command } from 'commander';
import type { Principal } from '../../auth/principal.js';
import { createGroupInput, type GroupSummary } from '../../contract/groups.js';
import type { Db } from '../../db/index.js';
import { fromJson } from '../../db/json.js';
import { actorLabel } from '../../domain/clinic-settings.js';
import { addGroupMember, membersOf, publishGuidelines, removeMember, setMemberRole } from '../../domain/group-admin.js';
import { createGroup, listGroups } from '../../domain/groups.js';
import { cliActor, readText } from '../admin.js';
import { withDatabase } from '../database.js';
import { print, Refusal, table, UsageError } from '../output.js';

/** The clinic named by `--clinic`, or a refusal naming `clinic`. */
async function clinicOf(db: Db, clinicId: string | undefined): Promise<{ id: string; timeZone: string; defaultLocale: string }> {
  if (!clinicId) throw new UsageError('this command needs --clinic <id>');
  const row = await db.selectFrom('clinics').select(['id', 'time_zone', 'default_locale']).where('id', '=', clinicId).executeTakeFirst();
  if (!row) throw new Refusal(`No clinic ${clinicId}`, 'clinic');
  return { id: row.id, timeZone: row.time_zone ?? 'UTC', defaultLocale: row.default_locale };
}

/** The command line acts as the clinic's admin, recorded as `cli:<os user>`. */
const cliPrincipal = (clinicId: string): Principal => ({ clinicId, userId: actorLabel(cliActor()), role: 'admin', name: null });

/** A domain refusal (tRPC error) as exit 1 naming the field; a group of another clinic is "no such group". */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const issues = (error.cause as { issues?: { path?: PropertyKey[]; message: string }[] } | undefined)?.issues;
    const issue = issues?.[0];
    if (error.code === 'BAD_REQUEST' && issue) {
      const field = (issue.path ?? []).map(String).join('.') || 'input';
      throw new Refusal(`${field}: ${issue.message}`, field);
    }
    if (error.code === 'NOT_FOUND') throw new Refusal(error.message, 'group');
    if (error.code === 'CONFLICT') throw new Refusal(error.message, 'guidelines');
    throw new Refusal(error.message);
  }
}

/** `mon 18:00 60,thu 09:30 90` → sessions; the values are checked by the server's schema. */
function parseSchedule(text: string): { day: string; start: string; minutes: number }[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((session, i) => {
      const parts = session.split(/\s+/);
      if (parts.length !== 3) throw new Refusal(`schedule.${i}: use "<day> <HH:MM> <minutes>", e.g. "mon 18:00 60" (got "${session}")`, `schedule.${i}`);
      return { day: parts[0]!.toLowerCase(), start: parts[1]!, minutes: Number(parts[2]) };
    });
}

function summary(group: GroupSummary) {
  return {
    id: group.id,
    name: group.name,
    topic: group.topic,
    language: group.language,
    timeZone: group.timeZone,
    schedule: group.schedule,
    capacity: group.capacity,
    guidelinesVersion: group.guidelinesVersion,
  };
}

const scheduleText = (schedule: GroupSummary['schedule']) => schedule.map((s) => `${s.day} ${s.start} ${s.minutes}m`).join(', ');

const JSON_SHAPES = `
With --json (stdout, one document):
  list        { clinicId, groups: [Group] }
  create      { group: Group }
  members     { groupId, guidelinesVersion, members: [{ userId, role, alias, displayMode, guidelinesAcceptedVersion, addedAt }], change? }
  guidelines  { groupId, version, guidelines: { <language>: text } }
  Group = { id, name, topic, language, timeZone, schedule: [{ day, start, minutes }], capacity, guidelinesVersion }
Errors (stderr with --json): { error: string, field?: string }. Exit 0 done, 1 refused (nothing changed), 2 usage.`;

interface CreateOptions {
  clinic?: string;
  name?: string;
  schedule?: string;
  timeZone?: string;
  capacity?: string;
  topic: string;
  language?: string;
  description: string;
  guidelinesFile?: string;
  moderators?: string;
}

export function register(program: Command): void {
  const group = program
    .command('group')
    .description("a clinic's support groups: list, create, members and moderators, guidelines")
    .addHelpText('after', JSON_SHAPES);

  group
    .command('list')
    .description("the clinic's groups with their schedules")
    .requiredOption('--clinic <id>', 'the clinic')
    .addHelpText('after', '\nExamples:\n  care group list --clinic riverside\n  care --json group list --clinic riverside')
    .action(async (options: { clinic: string }, command: Command) => {
      const groups = await withDatabase(command, async (db) => {
        const clinic = await clinicOf(db, options.clinic);
        return (await listGroups(db, cliPrincipal(clinic.id))).map(summary);
      });
      print(command, { clinicId: options.clinic, groups }, () =>
        table(groups.map((g) => ({ ...g, schedule: scheduleText(g.schedule) })), ['id', 'name', 'timeZone', 'schedule', 'capacity', 'guidelinesVersion']),
      );
    });

  group
    .command('create')
    .description('create a support group with its weekly schedule and first guidelines')
    .requiredOption('--clinic <id>', 'the clinic')
    .requiredOption('--name <name>', 'the group name members see')
    .requiredOption('--schedule <sessions>', 'weekly sessions, comma-separated "<day> <HH:MM> <minutes>" (e.g. "mon 18:00 60,thu 09:30 90")')
    .requiredOption('--guidelines-file <file>', 'the first guidelines, in the group language (plain text; - for stdin)')
    .option('--time-zone <zone>', "IANA zone of the schedule (default: the clinic's)")
    .option('--capacity <n>', 'most people in the live room at once (2-100)', '12')
    .option('--topic <topic>', 'recovery, diabetes, hypertension, new_parents, chronic_pain, mental_health, caregivers, other', 'recovery')
    .option('--language <code>', "language of the group (default: the clinic's default language)")
    .option('--description <text>', 'what the group is about', '')
    .option('--moderators <ids>', 'person ids of the first moderators, comma-separated')
    .addHelpText('after', '\nExamples:\n  care group create --clinic riverside --name "Tuesday circle" --schedule "tue 18:30 90" --guidelines-file rules.txt')
    .action(async (options: CreateOptions, command: Command) => {
      const guidelines = readText(options.guidelinesFile!);
      const result = await withDatabase(command, async (db) => {
        const clinic = await clinicOf(db, options.clinic);
        const language = options.language ?? (/^[a-z]{2,3}$/.test(clinic.defaultLocale) ? clinic.defaultLocale : 'en');
        const capacity = Number(options.capacity);
        const parsed = createGroupInput.safeParse({
          name: options.name,
          topic: options.topic,
          description: options.description,
          language,
          timeZone: options.timeZone ?? clinic.timeZone,
          schedule: parseSchedule(options.schedule ?? ''),
          capacity,
          guidelines: { [language]: guidelines.trim() },
          ...(options.moderators ? { moderatorIds: options.moderators.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = (issue?.path ?? []).map(String).join('.') || 'input';
          throw new Refusal(`${field}: ${issue?.message ?? 'is invalid'}`, field);
        }
        return summary(await createGroup(db, cliPrincipal(clinic.id), parsed.data, false, cliActor()));
      });
      print(command, { group: result }, () => `Group ${result.name} created (${result.id}).\n  ${scheduleText(result.schedule)} (${result.timeZone}), up to ${result.capacity} people.`);
    });

  group
    .command('members <group>')
    .description("a group's members and moderators; or one change: --add, --remove, --moderator, --member")
    .requiredOption('--clinic <id>', 'the clinic')
    .option('--add <person>', 'add this person id as a member')
    .option('--add-moderator <person>', 'add this person id as a moderator')
    .option('--remove <person>', 'take this person out of the group')
    .option('--moderator <person>', 'make this member a moderator')
    .option('--member <person>', 'make this moderator a member again')
    .addHelpText('after', '\nExamples:\n  care group members 3f1c… --clinic riverside\n  care group members 3f1c… --clinic riverside --add client-42\n  care group members 3f1c… --clinic riverside --moderator client-42')
    .action(async (groupId: string, options: { clinic: string; add?: string; addModerator?: string; remove?: string; moderator?: string; member?: string }, command: Command) => {
      const changes = (['add', 'addModerator', 'remove', 'moderator', 'member'] as const).filter((k) => options[k] !== undefined);
      if (changes.length > 1) throw new UsageError('give at most one of --add, --add-moderator, --remove, --moderator, --member');
      const result = await withDatabase(command, async (db) => {
        const clinic = await clinicOf(db, options.clinic);
        const actor = cliActor();
        let change: unknown;
        const kind = changes[0];
        if (kind === 'add' || kind === 'addModerator') {
          change = await refusing(() => addGroupMember(db, actor, clinic.id, { groupId, userId: options[kind]!, role: kind === 'add' ? 'member' : 'moderator' }));
        } else if (kind === 'remove') {
          change = await refusing(() => removeMember(db, actor, clinic.id, { groupId, userId: options.remove! }));
        } else if (kind === 'moderator' || kind === 'member') {
          change = await refusing(() => setMemberRole(db, actor, clinic.id, { groupId, userId: options[kind]!, role: kind }));
        }
        const list = await refusing(() => membersOf(db, actor, clinic.id, groupId));
        return change ? { ...list, change } : list;
      });
      print(command, result, () =>
        table(
          result.members.map((m) => ({ ...m, alias: m.alias ?? '', guidelines: m.guidelinesAcceptedVersion === null ? '-' : `v${m.guidelinesAcceptedVersion}` })),
          ['userId', 'role', 'alias', 'guidelines', 'addedAt'],
        ) + `\n(current guidelines: v${result.guidelinesVersion})`,
      );
    });

  group
    .command('guidelines <group>')
    .description("show a group's guidelines, or publish a new version (members accept it again)")
    .requiredOption('--clinic <id>', 'the clinic')
    .option('--file <file>', 'publish this text as the new version (plain text, or a JSON object of language → text; - for stdin)')
    .option('--language <code>', "language of a plain-text file (default: the group's language)")
    .addHelpText('after', '\nExamples:\n  care group guidelines 3f1c… --clinic riverside\n  care group guidelines 3f1c… --clinic riverside --file rules-v2.txt')
    .action(async (groupId: string, options: { clinic: string; file?: string; language?: string }, command: Command) => {
      const text = options.file === undefined ? null : readText(options.file);
      const result = await withDatabase(command, async (db) => {
        const clinic = await clinicOf(db, options.clinic);
        const row = await db.selectFrom('groups').select(['id', 'language', 'guidelines', 'guidelines_version']).where('clinic_id', '=', clinic.id).where('id', '=', groupId).executeTakeFirst();
        if (!row) throw new Refusal('No such group', 'group');
        if (text === null) return { groupId: row.id, version: row.guidelines_version, guidelines: fromJson(row.guidelines) };
        let guidelines: Record<string, string>;
        try {
          const parsed = JSON.parse(text) as unknown;
          guidelines = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, string>) : { [options.language ?? row.language]: text.trim() };
        } catch {
          guidelines = { [options.language ?? row.language]: text.trim() };
        }
        const published = await refusing(() => publishGuidelines(db, cliActor(), clinic.id, row.id, guidelines));
        return { ...published, guidelines };
      });
      print(command, result, () =>
        text === null
          ? [`Guidelines version ${result.version}:`, ...Object.entries(result.guidelines).map(([l, t]) => `\n[${l}]\n${t}`)].join('\n')
          : `Guidelines version ${result.version} published; members accept it again before their next session or post.`,
      );
    });
}
