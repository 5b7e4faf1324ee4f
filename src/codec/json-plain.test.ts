/**
 * The JSON fast paths answer what their slow definitions answer: `hasDigitRun` what `/\d{n}/` does,
 * and `stringifyPreserving` (which skips the member-by-member path when `isPlainJson` says it may)
 * what `stringifyMembers` writes, on texts written by JSON.stringify, by Python, and by hand.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { parseSessionJson, stringifyMembers, stringifyPreserving } from './json.ts'
import { hasDigitRun, isPlainJson } from './json-plain.ts'

const HAND_WRITTEN = [
  '{}',
  '{"a":1,"b":[1,2,3],"c":"x y","d":true,"e":false,"f":null}',
  '{"a":-0}',
  '{"a":-0.5}',
  '{"a":-10}',
  '{"a":1e5}',
  '{"a":1E5}',
  '{"a":1.0}',
  '{"a": 1}',
  '{"a":NaN}',
  '{"a":-Infinity}',
  '{"a":123456789012345}',
  '{"a":1234567890123456}',
  '{"a":12345678901234567890}',
  '{"s":"12345678901234567890"}',
  '{"s":"caf\\u00e9"}',
  '{"s":"a\\/b"}',
  '{"s":"\\ud83c"}',
  '{"s":"\ud83c\udf6a"}',
  '{"o":{"a":1,"a":2}}',
  '{"o":{"b":1,"1":2}}',
  '{"a":[{"b":1}]}',
  '{"a":1,"a":2}',
  '{"b":1,"1":2}',
  '{"true":[true,false,null],"e":"e1"}',
  '{"n":[1,-2,3]}',
]

/** What a handler may do to loaded data before the write. */
function change(data: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(data)
  if (keys.length > 0) delete data[keys[0] as string]
  data.added = [1, 'x']
  return data
}

describe('JSON fast paths', () => {
  it('hasDigitRun agrees with /\\d{n}/', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a"., -]{0,80}$/), fc.integer({ min: 1, max: 20 }), (text, n) => {
        assert.equal(hasDigitRun(text, n), new RegExp(`\\d{${n}}`).test(text), text)
      }),
      { numRuns: 2000, seed: 1 },
    )
  })

  it('stringifyPreserving writes what the member-by-member path writes, on hand-picked texts', () => {
    for (const text of HAND_WRITTEN) {
      const a = parseSessionJson(text)
      const b = parseSessionJson(text)
      assert.equal(stringifyPreserving(a, text), stringifyMembers(b, text), text)
      assert.equal(stringifyPreserving(change(a), text), stringifyMembers(change(b), text), text)
    }
    // The scan takes the common tessera cookie and leaves everything it cannot vouch for.
    assert.equal(isPlainJson('{"user":"alice","count":0,"cart":[12,7,33],"theme":"dark"}'), true)
    for (const text of ['{"a":1.0}', '{"a": 1}', '{"a":-0}', '{"o":{"a":1}}', '{"s":"\\/"}', '{"a":1e5}'])
      assert.equal(isPlainJson(text), false, text)
  })

  it('stringifyPreserving writes what the member-by-member path writes, on JSON of any shape', () => {
    const value = fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), {
      maxKeys: 5,
    })
    fc.assert(
      fc.property(value, fc.boolean(), (object, spaced) => {
        const text = spaced ? JSON.stringify(object, null, 1) : JSON.stringify(object)
        let a: Record<string, unknown>
        try {
          a = parseSessionJson(text)
        } catch {
          return // a forbidden key: never a session
        }
        const b = parseSessionJson(text)
        assert.equal(stringifyPreserving(a, text), stringifyMembers(b, text), text)
        assert.equal(stringifyPreserving(change(a), text), stringifyMembers(change(b), text), text)
      }),
      { numRuns: 1000, seed: 2 },
    )
  })
})
