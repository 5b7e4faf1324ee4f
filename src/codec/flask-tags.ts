/**
 * Flask's tagged JSON (`flask.json.tag.TaggedJSONSerializer`), as tessera shows it to TypeScript.
 *
 * Flask writes the Python values JSON cannot hold as one-key objects whose key starts with a space:
 * `{" t": [...]}` a tuple, `{" b": "<base64>"}` bytes, `{" m": "<html>"}` Markup, `{" u": "<hex>"}` a
 * UUID, `{" d": "<HTTP date>"}` a datetime, and `{" di": {"<tag>__": value}}` a dict whose only key
 * happens to be one of those tags. tessera keeps these objects as they are in the session data:
 * nothing is converted on read or write, so every value, tagged or not, reaches Flask again exactly
 * as Flask wrote it (a tuple stays a tuple, a datetime a datetime), and a value set in TypeScript in
 * the tagged form is what Flask reads as the Python type. {@link flaskTag} builds the tagged forms,
 * {@link untagFlask} turns a tagged value into the natural JavaScript one (for reading only).
 */
import { decodeBase64, encodeBase64 } from '#base64'

/** The tag keys Flask registers by default. */
export const FLASK_TAGS: ReadonlySet<string> = new Set([' di', ' t', ' b', ' m', ' u', ' d'])

/** Builders of Flask's tagged values, for data a Flask app reads as the Python type. */
export const flaskTag = Object.freeze({
  /** A Python `tuple`. */
  tuple: (items: readonly unknown[]): { ' t': unknown[] } => ({ ' t': [...items] }),
  /** Python `bytes`, as standard base64. */
  bytes: (bytes: Uint8Array): { ' b': string } => ({ ' b': encodeBase64(bytes) }),
  /** `markupsafe.Markup`: HTML Flask's templates will not escape again. */
  markup: (html: string): { ' m': string } => ({ ' m': html }),
  /** A `uuid.UUID`, written as Flask writes it: 32 lowercase hex digits. */
  uuid: (uuid: string): { ' u': string } => ({ ' u': uuid.replaceAll('-', '').toLowerCase() }),
  /** A `datetime`, to the second, in UTC (Flask writes `werkzeug.http.http_date`). */
  datetime: (date: Date): { ' d': string } => ({ ' d': date.toUTCString() }),
  /** A dict with one key, escaped as Flask escapes it when that key is a tag (`" t"` -> `" t__"`). */
  dict: (key: string, value: unknown): Record<string, unknown> =>
    FLASK_TAGS.has(key) ? { ' di': { [`${key}__`]: value } } : { [key]: value },
})

/**
 * A value read from a Flask session as plain JavaScript: tuples become arrays, bytes a
 * `Uint8Array`, Markup and UUIDs strings (a UUID in its dashed form), datetimes `Date`s, escaped
 * dicts their original key; nested values too. Write values back with {@link flaskTag}, not this.
 */
export function untagFlask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untagFlask)
  if (typeof value !== 'object' || value === null) return value
  const keys = Object.keys(value)
  const record = value as Record<string, unknown>
  const only = keys.length === 1 ? (keys[0] as string) : undefined
  if (only !== undefined && FLASK_TAGS.has(only)) {
    const inner = record[only]
    switch (only) {
      case ' t':
        return Array.isArray(inner) ? inner.map(untagFlask) : inner
      case ' b': {
        const bytes = typeof inner === 'string' ? decodeBase64(inner) : undefined
        // A copy: on Node the decoder gives a Buffer, a view of a shared pool.
        return bytes === undefined ? inner : new Uint8Array(bytes)
      }
      case ' m':
        return inner
      case ' u':
        return typeof inner === 'string' && /^[0-9a-f]{32}$/i.test(inner)
          ? inner.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5').toLowerCase()
          : inner
      case ' d':
        return typeof inner === 'string' ? new Date(inner) : inner
      case ' di': {
        const [escaped] = typeof inner === 'object' && inner !== null ? Object.keys(inner) : []
        if (escaped === undefined || !escaped.endsWith('__')) return inner
        return { [escaped.slice(0, -2)]: untagFlask((inner as Record<string, unknown>)[escaped]) }
      }
    }
  }
  const plain: Record<string, unknown> = {}
  for (const key of keys) plain[key] = untagFlask(record[key])
  return plain
}
