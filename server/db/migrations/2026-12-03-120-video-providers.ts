import { sql, type Kysely } from 'kysely';

/**
 * Video providers, explicitly (issue 19): `video_configs` replaces `group_video_config`.
 * - One row per clinic (`group_id` = '': the clinic's default) and per group that overrides it.
 * - `provider`: 'self-hosted' (domain, app id, HS256 app secret, tenant), 'jaas' (8x8 JaaS: app id,
 *   key id, RS256 private key PEM), 'public-demo' (meet.jit.si: only in demo mode, or for one group
 *   whose row says `public_opt_in` = 1), 'none' (a group with no video room: board and dial-in only).
 * - Feature flags (0/1): `transcription` (captions offered), `recording`, `livestreaming`,
 *   `outbound_call` (JaaS token features); `dial_in` JSON { number, pin? } shown to members.
 * Existing rows: domain meet.jit.si → 'public-demo' at clinic scope (used only in demo mode, so
 * outside it such a clinic has no video room until an admin sets a provider); any other domain →
 * 'self-hosted' with its app id, secret and tenant, transcription off (captions are offered only
 * when the deployment declares it can transcribe).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('video_configs')
    .addColumn('clinic_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('group_id', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .addColumn('provider', 'varchar(20)', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('app_id', 'text')
    .addColumn('key_id', 'text')
    .addColumn('app_secret', 'text')
    .addColumn('private_key', 'text')
    .addColumn('tenant', 'text')
    .addColumn('transcription', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recording', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('livestreaming', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('outbound_call', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('public_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dial_in', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('video_configs_pk', ['clinic_id', 'group_id'])
    .execute();

  await sql`
    insert into video_configs (clinic_id, group_id, provider, domain, app_id, app_secret, tenant, updated_at)
    select clinic_id, '',
      case when lower(domain) = 'meet.jit.si' then 'public-demo' else 'self-hosted' end,
      lower(domain),
      case when lower(domain) = 'meet.jit.si' then null else app_id end,
      case when lower(domain) = 'meet.jit.si' then null else app_secret end,
      case when lower(domain) = 'meet.jit.si' then null else tenant end,
      updated_at
    from group_video_config
  `.execute(db);
  await db.schema.dropTable('group_video_config').execute();
}
