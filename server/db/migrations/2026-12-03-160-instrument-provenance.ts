import type { Kysely } from 'kysely';

/**
 * Instruments honest about their translations (issue 18, item 2):
 * - clinics.unverified_translations: JSON array of the instrument × language pairs the clinic shows
 *   although the translation is not the published form (`["phq9:ar"]`); NULL: none, every unverified
 *   translation is replaced by the published English form.
 * - check_ins.language: the person's own language (the widget's); NULL for check-ins sent before.
 * - check_ins.shown_language: the language the form was actually shown in (`en` when the English form
 *   replaced an unverified translation).
 * - check_ins.provenance: `published` | `unverified` for PHQ-9/GAD-7, derived by the server from
 *   locales/languages.json and the shown language (never the client's word); NULL for other forms.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clinics').addColumn('unverified_translations', 'text').execute();
  await db.schema.alterTable('check_ins').addColumn('language', 'varchar(20)').execute();
  await db.schema.alterTable('check_ins').addColumn('shown_language', 'varchar(20)').execute();
  await db.schema.alterTable('check_ins').addColumn('provenance', 'varchar(20)').execute();
}
