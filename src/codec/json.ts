/**
 * Session JSON, exact both ways with Python's `json` module.
 *
 * `JSON.parse` rounds integers past 2^53 (a 64-bit user id written by FastAPI comes back as another
 * number) and refuses the `NaN`/`Infinity` tokens Python writes for non-finite floats. So text that
 * may hold either goes through {@link parseExact} instead, which gives:
 * - integers outside `Number.isSafeInteger` as `bigint` (never a silently rounded `number`);
 * - `NaN`, `Infinity` and `-Infinity` as the JavaScript numbers of the same name.
 * {@link stringifySession} writes both back the way Python reads them. Everything else is plain JSON.
 */
import { BadPayload } from '../errors.ts'
import { FORBIDDEN_KEYS, parseExact, rawMembers, type SessionData } from './json-exact.ts'
import { hasDigitRun, isPlainJson } from './json-plain.ts'

export { FORBIDDEN_KEYS, parseExact, rawMembers, type SessionData }

/**
 * Sixteen digits in a row may be an integer JSON.parse would round (2^53 has 16 digits); NaN and
 * Infinity are not JSON. Either sends the text to the exact parser. A match inside a string only
 * costs the slower parse, never a different result. The definition is `/\d{16}|NaN|Infinity/`;
 * `includes` and a strided digit scan answer the same (json-plain.test.ts) for less (profile of a Hono
 * write, callgrind: regular expressions 5.9k instructions per request before, with cookieSize's; 0 after).
 */
function needsExact(text: string): boolean {
  return text.includes('NaN') || text.includes('Infinity') || hasDigitRun(text, 16)
}

/** An escape could spell a forbidden key; without one, the names must appear literally. */
function mayHideKey(text: string): boolean {
  return (
    text.includes('\\') ||
    text.includes('__proto__') ||
    text.includes('constructor') ||
    text.includes('prototype')
  )
}

function refuseForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new BadPayload(`forbidden key "${key}" in session data`)
  return value
}

/**
 * The last text {@link parseSessionJson} found to need neither the exact parser nor the forbidden-key
 * check, and the last source {@link stringifyPreserving} found JSON.stringify writes exactly. A
 * returning cookie's JSON is the same string request after request (the verified cache hands out its
 * entry), so its scans run once, not per request; any other text is scanned as before. What either
 * function gives depends on the text alone, so remembering one text changes no result
 * (json.test.ts pins both to the scans). Hono hot path, callgrind, per request: read 95,846 -> 93,834,
 * write 148,227 -> 142,559 instructions (bench/results/instructions-refactor-ab.md).
 */
let lastSimple: string | undefined
let lastPlainSource: string | undefined

/**
 * Parses session JSON from a verified cookie or a store.
 * @throws {BadPayload} when the text is not JSON, not an object, or holds a forbidden key.
 */
export function parseSessionJson(text: string): SessionData {
  let data: unknown
  const simple = text === lastSimple
  if (!simple && needsExact(text)) {
    data = parseExact(text)
  } else {
    try {
      if (simple) data = JSON.parse(text)
      else if (mayHideKey(text)) data = JSON.parse(text, refuseForbiddenKeys)
      else {
        data = JSON.parse(text)
        lastSimple = text
      }
    } catch (error) {
      if (error instanceof BadPayload) throw error
      throw new BadPayload('session payload is not valid JSON')
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BadPayload('session payload is not a JSON object')
  }
  return data as SessionData
}

/** Serializes session data; `undefined` values are dropped, as JSON does. */
export function stringifySession(data: SessionData): string {
  try {
    return JSON.stringify(data)
  } catch (error) {
    // JSON.stringify refuses bigint; anything else (a cycle) is the caller's bug.
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error
    return stringifyExact(data) as string
  }
}

/**
 * Like {@link stringifySession}, and also writes non-finite numbers as Python does (`NaN`,
 * `Infinity`) instead of `null`: for data that came from {@link parseExact}.
 */
export function stringifyExact(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') {
    // JSON.stringify writes -0 as 0; Python keeps the sign of a float zero.
    if (Object.is(value, -0)) return '-0.0'
    if (Number.isFinite(value)) return JSON.stringify(value)
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
  }
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return stringifyExact((value as { toJSON(): unknown }).toJSON())
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => stringifyExact(item) ?? 'null').join(',')}]`
  }
  const members: string[] = []
  for (const key of Object.keys(value)) {
    const text = stringifyExact((value as SessionData)[key])
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`)
  }
  return `{${members.join(',')}}`
}

/**
 * Serializes `data`, writing each top-level value that is unchanged from `source` (JSON text another
 * program may have written) exactly as it was there: a value Python wrote as `1.0`, `-0.0` or
 * `12345678901234567890` reaches Python again as that, not as what JavaScript would write for it.
 */
export function stringifyPreserving(data: SessionData, source: string): string {
  // Fast paths: a source whose members JSON.stringify itself would write (any tessera cookie) holds
  // nothing JavaScript would write differently, so the plain serialization is already exact. The
  // one-pass scan first (JSON.parse + JSON.stringify per Hono write, callgrind profile: 35.1k -> 14.9k
  // instructions), then the parse-and-stringify check (47k less than the member-by-member path).
  if (source === lastPlainSource) return stringifySession(data)
  if (isPlainJson(source) || isCanonical(source)) {
    lastPlainSource = source
    return stringifySession(data)
  }
  return stringifyMembers(data, source)
}

/**
 * {@link stringifyPreserving} without its fast paths: member by member, unchanged members as `source`
 * wrote them. Exported for the tests that pin the fast paths to it.
 */
export function stringifyMembers(data: SessionData, source: string): string {
  const raw = rawMembers(source)
  if (raw === undefined || raw.size === 0) return stringifySession(data)
  const members: string[] = []
  for (const key of Object.keys(data)) {
    const text = stringifyValue(data[key])
    if (text === undefined) continue
    const original = raw.get(key)
    const same =
      original !== undefined && (original === text || stringifyValue(parseExact(original)) === text)
    members.push(`${JSON.stringify(key)}:${same ? original : text}`)
  }
  return `{${members.join(',')}}`
}

/** Whether `text` is exactly what JSON.stringify writes for what JSON.parse reads from it. */
function isCanonical(text: string): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === text
  } catch {
    return false // NaN, Infinity: only the exact path writes them back
  }
}

function stringifyValue(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error
    return stringifyExact(value)
  }
}
