import type { Db } from '../db/index.js';
import type { GroupSession } from '../contract/groups.js';
import { nameSkeleton } from '../domain/confusable-names.js';
import { emptyVideoRow } from '../video/admin.js';
import { PUBLIC_DEMO_DOMAIN } from '../video/providers.js';

const RECOVERY_GUIDELINES = {
  en: [
    'What is shared here stays here. Do not record, screenshot or repeat what others say.',
    'Speak from your own experience; listen without judging or giving orders.',
    'Use the name you are comfortable with. You may use an alias.',
    'Come to the session sober and say so if you are struggling: the moderator can help.',
    'No selling, no sharing of other people’s details, no hateful words.',
    'This group is not for emergencies. If you are in danger, call 988 or 911.',
  ].join('\n'),
  es: [
    'Lo que se comparte aquí se queda aquí. No grabe, no haga capturas ni repita lo que dicen otras personas.',
    'Hable desde su propia experiencia; escuche sin juzgar ni dar órdenes.',
    'Use el nombre con el que se sienta cómodo. Puede usar un alias.',
    'Venga a la sesión sobrio y díganos si está pasando un mal momento: la persona moderadora puede ayudarle.',
    'No se permite vender, compartir datos de otras personas ni usar palabras de odio.',
    'Este grupo no es para emergencias. Si está en peligro, llame al 988 o al 911.',
  ].join('\n'),
};

const PARENTS_GUIDELINES = {
  en: [
    'Every family is different: share what works for you without judging others.',
    'Keep what others share private.',
    'General information here is not medical advice for your baby. For a sick baby, call the clinic or 911.',
    'Babies are welcome on camera; please mute when they need you.',
  ].join('\n'),
  es: [
    'Cada familia es distinta: comparta lo que le funciona sin juzgar a los demás.',
    'Mantenga en privado lo que comparten los demás.',
    'La información general de aquí no es consejo médico para su bebé. Si su bebé está enfermo, llame a la clínica o al 911.',
    'Los bebés son bienvenidos en cámara; silencie su micrófono cuando le necesiten.',
  ].join('\n'),
};

/** The hour `date` falls in, on the wall clock of `timeZone`, as HH:00. */
const hourIn = (date: Date, timeZone: string) =>
  `${String(Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(date)) % 24).padStart(2, '0')}:00`;
const RECOVERY_ZONE = 'America/New_York';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * Two groups for demo-clinic: a recovery group and a family-medicine "new parents" group. The
 * clinic's video provider is public-demo (meet.jit.si, allowed in demo mode only): staff see that
 * notice and members that the room is a public test room. The
 * recovery group also has a daily drop-in from the hour the demo started, so the room can be tried.
 * Safe to run again.
 */
export async function seedGroupsDemo(db: Db, clinicId: string): Promise<void> {
  // Also for a demo database from before video providers were explicit (it had no row then).
  await db
    .insertInto('video_configs')
    .values({ ...emptyVideoRow(clinicId, '', 'public-demo'), domain: PUBLIC_DEMO_DOMAIN })
    .onConflict((oc) => oc.columns(['clinic_id', 'group_id']).doNothing())
    .execute();
  const exists = await db.selectFrom('groups').select('id').where('clinic_id', '=', clinicId).executeTakeFirst();
  if (exists) return;
  const now = new Date();
  const at = now.toISOString();
  const dropIn = new Date(now.getTime() - 30 * 60_000);
  const recoverySchedule: GroupSession[] = [
    { day: 'mon', start: '18:30', minutes: 90 },
    { day: 'thu', start: '18:30', minutes: 90 },
    ...DAYS.map((day) => ({ day, start: hourIn(dropIn, RECOVERY_ZONE), minutes: 240 })),
  ];
  const groups = [
    {
      id: 'demo-group-recovery',
      clinic_id: clinicId,
      name: 'Evening recovery circle',
      topic: 'recovery',
      description: 'A peer support group for people in recovery from alcohol or drug use, with a counsellor moderating. Come as you are.',
      language: 'en',
      time_zone: RECOVERY_ZONE,
      schedule: JSON.stringify(recoverySchedule),
      capacity: 12,
      guidelines: JSON.stringify(RECOVERY_GUIDELINES),
      guidelines_version: 1,
      room_slug: 'care-demo-recovery-circle-7f3a9c',
      dial_in: JSON.stringify({ number: '+1 202 555 0199', pin: '482913#' }),
      created_at: at,
    },
    {
      id: 'demo-group-new-parents',
      clinic_id: clinicId,
      name: 'New parents group',
      topic: 'new_parents',
      description: 'For parents of babies under one year: sleep, feeding, coping and everything in between, with a family physician.',
      language: 'en',
      time_zone: 'America/Chicago',
      schedule: JSON.stringify([{ day: 'tue', start: '10:00', minutes: 60 }] satisfies GroupSession[]),
      capacity: 10,
      guidelines: JSON.stringify(PARENTS_GUIDELINES),
      guidelines_version: 1,
      room_slug: 'care-demo-new-parents-41bd2e',
      dial_in: null,
      created_at: at,
    },
  ];
  await db.insertInto('groups').values(groups).execute();
  // Dr. Rivera chose to show their name; the others use an alias or have not chosen yet (a neutral label).
  type Appearance = { alias: string } | 'own name' | 'not chosen';
  const member = (group_id: string, user_id: string, role: 'member' | 'moderator', appearance: Appearance, accepted: boolean) => ({
    clinic_id: clinicId,
    group_id,
    user_id,
    role,
    display_mode: appearance === 'own name' ? ('name' as const) : ('alias' as const),
    alias: typeof appearance === 'object' ? appearance.alias : null,
    alias_skeleton: typeof appearance === 'object' ? nameSkeleton(appearance.alias) : null,
    guidelines_version: accepted ? 1 : null,
    guidelines_accepted_at: accepted ? at : null,
    added_at: at,
  });
  await db
    .insertInto('group_members')
    .values([
      member('demo-group-recovery', 'clinician-1', 'moderator', 'own name', true),
      member('demo-group-recovery', 'client-1', 'member', 'not chosen', false),
      member('demo-group-recovery', 'client-2', 'member', { alias: 'Sunny' }, true),
      member('demo-group-recovery', 'client-3', 'member', 'not chosen', false),
      member('demo-group-new-parents', 'clinician-1', 'moderator', 'own name', true),
      member('demo-group-new-parents', 'client-2', 'member', { alias: 'Sunny' }, true),
      member('demo-group-new-parents', 'client-3', 'member', 'not chosen', false),
    ])
    .execute();
  const post = (id: string, parent_id: string | null, author_id: string, author_label: string, moderator: boolean, body: string, minutesAgo: number) => ({
    id,
    clinic_id: clinicId,
    group_id: 'demo-group-recovery',
    parent_id,
    author_id,
    author_label,
    author_is_moderator: moderator ? 1 : 0,
    body,
    created_at: new Date(now.getTime() - minutesAgo * 60_000).toISOString(),
    hidden_at: null,
    hidden_by: null,
    hidden_reason: null,
  });
  await db
    .insertInto('group_posts')
    .values([
      post('demo-post-1', null, 'clinician-1', 'Dr. Rivera', true, 'Welcome! If you cannot make it to the live session, share how your week went here.', 2 * 24 * 60),
      post('demo-post-2', 'demo-post-1', 'client-2', 'Sunny', false, 'Thirty days today. The evening walks really help.', 26 * 60),
      post('demo-post-3', null, 'client-2', 'Sunny', false, 'Does anyone have tips for getting through weekends?', 3 * 60),
    ])
    .execute();
}
