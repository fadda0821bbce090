declare const jsonOf: unique symbol;

/**
 * The text of a JSON column holding a `T`. The columns are `text` on SQLite and on PostgreSQL (see
 * the migrations), so both drivers return the JSON as a string: the brand only remembers what the
 * string holds. Read it with `fromJson`, write it with `toJson`.
 */
export type JsonText<T> = string & { readonly [jsonOf]?: T };

/**
 * A JSON column, typed by what it holds. Not Kysely's `JSONColumnType<T>`: that types selects as the
 * parsed `T`, which is true only where the driver parses (PostgreSQL json/jsonb columns); ours are
 * text on both drivers, so a select returns the string and `row.answers.mood` would compile and be
 * undefined at run time. Selects give `JsonText<T>` (read with `fromJson`); inserts and updates take
 * a string, as JSONColumnType's do (`toJson` makes one from a typed value; a `JsonText` of another
 * type is refused).
 */
export type JsonColumn<T> = JsonText<T>;

/**
 * The value a JSON column holds. Accepts the text (SQLite, PostgreSQL text) and also an already
 * parsed value, so a column later migrated to json/jsonb on PostgreSQL keeps working.
 */
export function fromJson<T>(stored: JsonText<T> | T): T {
  return typeof stored === 'string' ? (JSON.parse(stored) as T) : stored;
}

/** `fromJson` for a nullable column: null stays null. */
export function fromJsonOrNull<T>(stored: JsonText<T> | T | null | undefined): T | null {
  return stored === null || stored === undefined ? null : fromJson(stored);
}

export function toJson<T>(value: T): JsonText<T> {
  return JSON.stringify(value);
}
