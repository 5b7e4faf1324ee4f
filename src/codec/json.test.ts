import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BadPayload } from '../errors.ts'
import {
  parseExact,
  parseSessionJson,
  rawMembers,
  stringifyExact,
  stringifyMembers,
  stringifyPreserving,
  stringifySession,
} from './json.ts'

describe('session JSON, exact with Python', () => {
  it('parses integers past 2^53 as bigint, and safe ones as numbers', () => {
    const data = parseSessionJson(
      '{"a": 9007199254740993, "b": 9007199254740991, "c": -10000000000000000000000}',
    )
    assert.deepEqual(data, { a: 9007199254740993n, b: 9007199254740991, c: -10000000000000000000000n })
  })

  it('parses NaN and Infinity, which JSON.parse refuses', () => {
    const data = parseSessionJson('{"n": NaN, "i": Infinity, "m": -Infinity}')
    assert.ok(Number.isNaN(data.n))
    assert.equal(data.i, Number.POSITIVE_INFINITY)
    assert.equal(data.m, Number.NEGATIVE_INFINITY)
  })

  it('gives the same result as JSON.parse on ordinary JSON, digits in strings included', () => {
    for (const text of [
      '{"a":[1,2.5,-0.5e3,true,false,null,{"b":"\\u00e9\\ud83c\\udf6a"}],"s":"12345678901234567890"}',
      '{"x": {"y": [ ] , "z": { } }}',
    ]) {
      assert.deepEqual(parseExact(text), JSON.parse(text))
    }
  })

  it('refuses what is not JSON, forbidden keys and absurd nesting', () => {
    for (const text of [
      '{"a": 12345678901234567890',
      '{"a": 12345678901234567890,}',
      '{"__proto__": 12345678901234567890}',
      '[1234567890123456789]',
    ]) {
      assert.throws(() => parseSessionJson(text), BadPayload, text)
    }
    const deep = `{"a":${'['.repeat(600)}1234567890123456789${']'.repeat(600)}}`
    assert.throws(() => parseSessionJson(deep), BadPayload)
  })

  it('writes bigints as digits and, for exact data, non-finite numbers and -0 as Python does', () => {
    assert.equal(stringifySession({ a: 2n ** 64n, b: 1 }), '{"a":18446744073709551616,"b":1}')
    assert.equal(
      stringifyExact({ n: Number.NaN, i: -Infinity, z: -0, u: undefined }),
      '{"n":NaN,"i":-Infinity,"z":-0.0}',
    )
  })

  it('keeps the raw text of unchanged members, and writes changed ones anew', () => {
    const python = '{"f": 1.0, "z": -0.0, "big": 12345678901234567890, "cart": ["a"], "old": 1}'
    const data = parseSessionJson(python)
    ;(data.cart as string[]).push('b')
    delete data.old
    data.added = 'x'
    assert.equal(
      stringifyPreserving(data, python),
      '{"f":1.0,"z":-0.0,"big":12345678901234567890,"cart":["a","b"],"added":"x"}',
    )
    assert.deepEqual(
      rawMembers('{"a" : {"b": [1, 2]} , "c":"}"}'),
      new Map([
        ['a', '{"b": [1, 2]}'],
        ['c', '"}"'],
      ]),
    )
  })

  it('takes the fast path only where it writes what the member-by-member path writes', () => {
    // A tessera-written source: the fast path. A Python-written one (spaces, 1.0): the exact path.
    const data = { a: 1, cart: ['x', 'y'], f: 1, s: 'caf\u00e9' }
    assert.equal(stringifyPreserving(data, '{"a":1,"cart":["x"],"f":1,"s":"café"}'), stringifySession(data))
    assert.equal(
      stringifyPreserving(data, '{"a": 1, "cart": ["x"], "f": 1.0, "s": "caf\\u00e9"}'),
      '{"a":1,"cart":["x","y"],"f":1.0,"s":"caf\\u00e9"}',
    )
    // Integers JSON.parse would round are never mistaken for canonical text.
    assert.equal(
      stringifyPreserving({ n: 12345678901234567890n }, '{"n":12345678901234567890}'),
      '{"n":12345678901234567890}',
    )
  })

  it('gives the same results for a text seen just before (the remembered one) as for any other', () => {
    const simple = '{"user":"alice","count":0,"cart":[12,7,33]}'
    const texts = [
      simple,
      '{"a": 9007199254740993, "n": NaN}',
      '{"user":"alice","count":0,"cart":[12,7,33]}'.replace('alice', 'bob'),
      '{"\\u005f_proto__": 1}',
      '{"f": 1.0, "cart": ["a"]}',
    ]
    // Each text right after itself (remembered), after another one, and rebuilt from its pieces
    // (the same characters in another string object).
    for (const text of [...texts, ...texts.toReversed(), ...texts.map((t) => [...t].join(''))]) {
      const expected = (() => {
        try {
          return { data: parseExact(text) }
        } catch {
          return { error: true }
        }
      })()
      for (let round = 0; round < 2; round++) {
        if ('error' in expected) {
          assert.throws(() => parseSessionJson(text), BadPayload, text)
          continue
        }
        const first = parseSessionJson(text)
        const second = parseSessionJson(text)
        assert.deepEqual(first, expected.data, text)
        assert.deepEqual(second, expected.data, text)
        // Every call gets its own data: a request changing its session never reaches the next one.
        assert.notEqual(first, second)
      }
      const data = { added: 1 }
      for (let round = 0; round < 2; round++) {
        if ('error' in expected) continue
        assert.equal(stringifyPreserving(data, text), stringifyMembers(data, text), text)
      }
    }
  })
})
