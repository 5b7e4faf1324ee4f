/**
 * `Store.merge` in SQL: one UPDATE that applies a request's changed top-level keys to the stored JSON
 * text, raises the version, moves the expiry and (when asked) the user, and returns the row. It
 * updates only a live row, so a session destroyed or revoked meanwhile is not brought back.
 *
 * Untouched members are copied as written, in place, so the result is the text the engine's own
 * key-by-key merge ({@link mergeJsonText}) writes:
 * - PostgreSQL: `json_each` over the `json` type (which keeps each value's text, unlike `jsonb`:
 *   `jsonb` sorts keys, adds spaces, turns `1e+21` into 22 digits the engine would read back as a
 *   bigint and `-0.0` into `0.0`), joined with the changes and aggregated back in document order.
 * - SQLite: `json_set` / `json_remove` (they keep number and string text as written). Not
 *   `json_patch`: it deletes a key set to `null` and merges an object value into the old one.
 *
 * What the SQL cannot hold exactly goes through {@link canMergeInSql} / {@link isRefusedJson} to the
 * store's compare-and-set fallback instead: `NaN`/`Infinity` tokens (not JSON; SQLite would turn
 * `NaN` into `null`), and in PostgreSQL a key or string with U+0000 or a lone surrogate (text and
 * `json_each` refuse them).
 */
import type { JsonChanges, MergeUpdate } from './store.ts'

/** The SQL dialect of a driver, for the few statements that differ. */
export type SqlDialect = 'postgres' | 'sqlite'

const RETURNING = 'RETURNING data, version, user_id, created_at, expires_at, absolute_expires_at'

/**
 * SQLite passes each key as its own path argument; past this many arguments (SQLite's default limit
 * is 127 per function) the fallback writes instead.
 */
const SQLITE_MAX_ARGUMENTS = 100

// Tokens that are not JSON (the exact codec writes them for Python); a match inside a string only
// sends the write to the fallback, never changes a result.
const NOT_JSON = /NaN|Infinity/

/** Whether the merge statement can apply `changes` exactly; otherwise the store's fallback does. */
export function canMergeInSql(dialect: SqlDialect, changes: JsonChanges): boolean {
  for (const value of changes.set.values()) if (NOT_JSON.test(value)) return false
  if (dialect === 'sqlite') return 2 * changes.set.size + changes.removed.length < SQLITE_MAX_ARGUMENTS
  // PostgreSQL text parameters cannot carry U+0000 or a lone surrogate (it would arrive as U+FFFD).
  for (const key of changes.set.keys()) if (!isPlainText(key)) return false
  return changes.removed.every(isPlainText)
}

// A surrogate not part of a pair: with the u flag, \p{Cs} matches only those.
const LONE_SURROGATE = /\p{Cs}/u

function isPlainText(key: string): boolean {
  return !key.includes('\u0000') && !LONE_SURROGATE.test(key)
}

/**
 * Whether `error` is the database refusing the stored text as JSON (PostgreSQL SQLSTATE class 22,
 * data exception: `NaN`, U+0000, a lone surrogate): the fallback can still merge it.
 */
export function isRefusedJson(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('22')
}

/** The merge statement of `table` for changes of this shape (SQLite writes one argument per key). */
export function mergeStatement(dialect: SqlDialect, table: string, changes: JsonChanges): string {
  const head = `UPDATE ${table} SET version = version + 1, expires_at = ?,
    user_id = CASE WHEN ? = 1 THEN ? ELSE user_id END, data = `
  if (dialect === 'postgres') {
    // A correlated subquery over the row's own `data`: when a concurrent write commits first,
    // PostgreSQL re-evaluates SET on the newest row version (READ COMMITTED), so nothing is lost.
    return `${head}(SELECT '{' || coalesce(string_agg(to_json(coalesce(e.key, c.k))::text || ':' ||
        coalesce(c.v, e.value::text), ',' ORDER BY e.o, c.o), '') || '}'
      FROM json_each(data::json) WITH ORDINALITY e(key, value, o)
      FULL JOIN unnest(?::text[], ?::text[]) WITH ORDINALITY c(k, v, o) ON c.k = e.key
      WHERE coalesce(e.key, c.k) <> ALL(?::text[]))
    WHERE id_hash = ? AND expires_at > ? ${RETURNING}`
  }
  let data = 'data'
  if (changes.set.size > 0) data = `json_set(data${', ?, json(?)'.repeat(changes.set.size)})`
  if (changes.removed.length > 0) data = `json_remove(${data}${', ?'.repeat(changes.removed.length)})`
  // json_valid(…, 1): RFC 8259 JSON only; a stored NaN (JSON5 to SQLite) leaves the row to the fallback.
  return `${head}${data} WHERE id_hash = ? AND expires_at > ? AND json_valid(data, 1) ${RETURNING}`
}

/** The parameters of {@link mergeStatement}, in its order. */
export function mergeParams(
  dialect: SqlDialect,
  key: string,
  changes: JsonChanges,
  update: MergeUpdate,
  now: number,
): unknown[] {
  const head = [update.expiresAt, update.userId === undefined ? 0 : 1, update.userId ?? null]
  if (dialect === 'postgres') {
    return [...head, [...changes.set.keys()], [...changes.set.values()], changes.removed, key, now]
  }
  const params = head
  // A path names the key as a JSON string, so any key (a dot, a quote, U+0000) is one member.
  for (const [name, value] of changes.set) params.push(`$.${JSON.stringify(name)}`, value)
  for (const name of changes.removed) params.push(`$.${JSON.stringify(name)}`)
  params.push(key, now)
  return params
}
