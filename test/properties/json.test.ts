/**
 * Properties of the exact JSON layer (src/codec/json.ts), with fast-check: `parseExact` agrees with
 * `JSON.parse` on JSON without big integers, `stringifyExact` writes what `JSON.stringify` does for
 * such data, and `stringifyPreserving` sends every member the request did not change back byte for
 * byte as its writer (Python's `json.dumps`, say) wrote it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  FORBIDDEN_KEYS,
  parseExact,
  parseSessionJson,
  rawMembers,
  stringifyExact,
  stringifyPreserving,
  stringifySession,
} from '../../src/codec/json.ts'
import { cases, check, sessionData, sessionKey } from '../support/properties.ts'

const RUNS = 500

/** No integer JSON.stringify would write in digits past 2^53 (parseExact reads those as bigint), no forbidden key. */
function ordinary(value: unknown): boolean {
  if (typeof value === 'number')
    return !Number.isInteger(value) || Number.isSafeInteger(value) || Math.abs(value) >= 1e21
  if (Array.isArray(value)) return value.every(ordinary)
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).every(([key, v]) => !FORBIDDEN_KEYS.has(key) && ordinary(v))
  }
  return true
}

const ordinaryJson = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).filter(ordinary)

/** JSON text as Python's `json.dumps` writes it: `", "` and `": "` separators, non-ASCII escaped. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonDumps(k)}: ${pythonDumps(v)}`)
      .join(', ')}}`
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
  }
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1e15) return `${value}.0` // a Python float
  return JSON.stringify(value)
}

describe('exact JSON: properties', () => {
  it(`parseExact agrees with JSON.parse on JSON without big integers, in any spacing (${cases(RUNS)})`, async () => {
    await check(
      fc.property(ordinaryJson, fc.constantFrom(0, 1, 2), (value, spacing) => {
        const text =
          spacing === 0
            ? JSON.stringify(value)
            : spacing === 1
              ? JSON.stringify(value, null, 2)
              : pythonDumps(value)
        assert.deepEqual(parseExact(text), JSON.parse(text))
      }),
      RUNS,
    )
  })

  it(`stringifyExact writes what JSON.stringify writes for such data (${cases(RUNS)})`, async () => {
    await check(
      fc.property(ordinaryJson, (value) => {
        fc.pre(
          !Object.is(value, -0) &&
            JSON.stringify(value) !== undefined &&
            !JSON.stringify(value).includes('-0'),
        )
        assert.equal(stringifyExact(JSON.parse(JSON.stringify(value))), JSON.stringify(value))
      }),
      RUNS,
    )
  })

  it(`stringifyPreserving keeps unchanged members byte-exact and writes the data (${cases(RUNS)})`, async () => {
    const edits = fc.record({
      changed: fc.dictionary(sessionKey, fc.jsonValue({ maxDepth: 2 }).filter(ordinary), { maxKeys: 3 }),
      removed: fc.array(fc.nat(), { maxLength: 3 }),
    })
    await check(
      fc.property(sessionData.filter(ordinary), edits, (original, { changed, removed }) => {
        const source = pythonDumps(original)
        const data = parseSessionJson(source)
        const keys = Object.keys(data)
        const gone = new Set(keys.length === 0 ? [] : removed.map((i) => keys[i % keys.length] as string))
        for (const key of gone) delete data[key]
        Object.assign(data, changed)
        const written = stringifyPreserving(data, source)
        assert.deepEqual(parseExact(written), parseExact(stringifySession(data)))
        const before = rawMembers(source) as Map<string, string>
        const after = rawMembers(written) as Map<string, string>
        for (const key of keys) {
          if (gone.has(key) || Object.hasOwn(changed, key)) continue
          assert.equal(after.get(key), before.get(key), `member ${JSON.stringify(key)} rewritten`)
        }
      }),
      RUNS,
    )
  })
})
