/**
 * Properties of every cookie format, with fast-check (case counts and seed in each test's name):
 * any JSON session round-trips, and every single-character change, truncation, extension or
 * reordering of a valid cookie is rejected: the engine gives an empty session and calls `onInvalid`.
 * A new format is one line in {@link FORMATS}.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { cached } from '../../src/codec/cached.ts'
import { flask } from '../../src/codec/flask.ts'
import type { CookieFormat } from '../../src/codec/format.ts'
import { iron } from '../../src/codec/iron.ts'
import { parseSessionJson, stringifySession } from '../../src/codec/json.ts'
import { sealed } from '../../src/codec/sealed.ts'
import { starlette } from '../../src/codec/starlette.ts'
import { CookieEngine } from '../../src/cookie-engine.ts'
import { BadData } from '../../src/errors.ts'
import { cases, check, sessionData } from '../support/properties.ts'

/** Every cookie format: a new one (sealed, Flask, iron...) is one more line. */
const FORMATS: [string, CookieFormat][] = [
  ['starlette', starlette()],
  ['starlette sha256', starlette({ algorithm: 'sha256' })],
  ['cached(starlette)', cached(starlette())],
  ['sealed', sealed()],
  ['flask', flask()],
  ['iron', iron()],
]

const secretKey = 'property-secret-0123456789-abcdefghijklm'
const NOW = 1_800_000_000
const RUNS = 300

// RFC 6265 section 4.1.1 cookie-octet: what a browser may send in a cookie value.
const COOKIE_OCTETS = [
  0x21,
  ...range(0x23, 0x2b),
  ...range(0x2d, 0x3a),
  ...range(0x3c, 0x5b),
  ...range(0x5d, 0x7e),
]
const cookieOctet = fc.constantFrom(...COOKIE_OCTETS.map((code) => String.fromCharCode(code)))
/** Any code unit at all, for the codec, which sees the value without the header parser in front. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

/** A valid cookie value carrying some session, and the engine that issued it. */
function issued(format: CookieFormat, data: Record<string, unknown>) {
  const rejected: BadData[] = []
  const engine = new CookieEngine({
    secretKey,
    format,
    now: () => NOW * 1000,
    onInvalid: (e) => rejected.push(e),
  })
  const setCookie = engine.serialize(data)
  const value = setCookie.slice('session='.length, setCookie.indexOf(';'))
  return { engine, value, rejected }
}

/** The ways to spoil a cookie value; each gives a different string. */
function mutations(unit: fc.Arbitrary<string>) {
  return fc.oneof(
    fc.record({ kind: fc.constant('change' as const), at: fc.nat(), to: unit }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('extend' as const),
      tail: fc.string({ unit, minLength: 1, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    fc.record({
      kind: fc.constant('reorder' as const),
      order: fc.constantFrom([1, 0, 2], [0, 2, 1], [2, 1, 0], [1, 2, 0], [2, 0, 1]),
    }),
  )
}

type Mutation = typeof mutations extends (u: fc.Arbitrary<string>) => fc.Arbitrary<infer M> ? M : never

/** The value spoilt by `m`, or `undefined` when `m` happens to leave it as it was. */
function spoil(value: string, m: Mutation): string | undefined {
  let out: string
  switch (m.kind) {
    case 'change': {
      const at = m.at % value.length
      out = value.slice(0, at) + m.to + value.slice(at + 1)
      break
    }
    case 'truncate':
      out = value.slice(0, 1 + (m.at % (value.length - 1)))
      break
    case 'extend':
      out = value + m.tail
      break
    case 'swap': {
      const [i, j] = [m.at % value.length, m.with % value.length].sort((a, b) => a - b) as [number, number]
      out = value.slice(0, i) + value[j] + value.slice(i + 1, j) + value[i] + value.slice(j + 1)
      break
    }
    case 'reorder': {
      const parts = value.split('.')
      out = m.order.map((i) => parts[i] ?? '').join('.')
      break
    }
  }
  return out === value ? undefined : out
}

for (const [name, format] of FORMATS) {
  describe(`cookie format ${name}: properties`, () => {
    it(`round-trips any JSON session, text for text (${cases(RUNS)})`, async () => {
      await check(
        fc.property(sessionData, (data) => {
          const { engine, value, rejected } = issued(format, data)
          const json = stringifySession(data)
          assert.equal(engine.format.decode(value, NOW).json, json)
          const source = engine.decode(`session=${value}`)
          assert.deepEqual(source.data, parseSessionJson(json))
          assert.equal(source.issuedAt, NOW)
          assert.deepEqual(rejected, [])
        }),
        RUNS,
      )
    })

    it(`rejects every change, truncation, extension, swap and reordering of a valid cookie (${cases(RUNS)})`, async () => {
      await check(
        fc.property(sessionData, mutations(cookieOctet), (data, m) => {
          const { engine, value, rejected } = issued(format, data)
          const spoilt = spoil(value, m)
          fc.pre(spoilt !== undefined)
          const source = engine.decode(`session=${spoilt}`)
          assert.deepEqual([source.data, source.issuedAt], [{}, undefined], `accepted ${spoilt}`)
          assert.equal(rejected.length, 1, 'onInvalid is called once')
          assert.ok(rejected[0] instanceof BadData)
        }),
        RUNS,
      )
    })

    it(`the codec refuses such values with any code unit, throwing BadData only (${cases(RUNS)})`, async () => {
      await check(
        fc.property(sessionData, mutations(anyUnit), (data, m) => {
          const { engine, value } = issued(format, data)
          const spoilt = spoil(value, m)
          fc.pre(spoilt !== undefined)
          assert.throws(() => engine.format.decode(spoilt, NOW), BadData)
        }),
        RUNS,
      )
    })
  })
}
