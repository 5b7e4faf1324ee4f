import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BadSignature, ConfigError, SignatureExpired, SignatureFromFuture } from '../errors.ts'
import { cached } from './cached.ts'
import type { CookieFormat, FormatContext } from './format.ts'
import { starlette } from './starlette.ts'
import { checkAge } from './timestamp.ts'

const secrets = ['fast-path-secret-0123456789abcdefghij']
const T = 1_800_000_000
const context: FormatContext = { secrets, maxAge: 100, clockSkew: 10 }

/**
 * A format that is not Starlette's (`issuedAt:json`, no signature at all), which counts its decodes,
 * to show the wrapper works for any format.
 */
function countingFormat(): CookieFormat & { decodes: number } {
  const format = {
    name: 'plain',
    decodes: 0,
    create({ maxAge, clockSkew }: FormatContext) {
      return {
        name: 'plain',
        encode: (json: string, now: number) => `${now}:${json}`,
        decode(value: string, now: number) {
          format.decodes++
          const at = value.indexOf(':')
          if (at < 0) throw new BadSignature('not plain')
          const issuedAt = Number(value.slice(0, at))
          checkAge(issuedAt, { maxAge, now, clockSkew })
          return { json: value.slice(at + 1), issuedAt, keyIndex: 0 }
        },
      }
    },
  }
  return format
}

describe('cached(format)', () => {
  it('decodes a returning value once, for any format', () => {
    const format = countingFormat()
    const codec = cached(format).create(context)
    const value = codec.encode('{"a":1}', T)
    assert.deepEqual(codec.decode(value, T), { json: '{"a":1}', issuedAt: T, keyIndex: 0 })
    assert.deepEqual(codec.decode(value, T + 1), { json: '{"a":1}', issuedAt: T, keyIndex: 0 })
    assert.equal(format.decodes, 1)
    assert.equal(codec.name, 'plain')
  })

  it('checks the age again on every hit', () => {
    const codec = cached(starlette()).create(context)
    const value = codec.encode('{"a":1}', T)
    assert.equal(codec.decode(value, T + 100).json, '{"a":1}')
    assert.throws(() => codec.decode(value, T + 101), SignatureExpired)
    assert.throws(() => codec.decode(value, T - 11), SignatureFromFuture)
  })

  it('does not let a value that differs from a verified one through', () => {
    const codec = cached(starlette()).create(context)
    const value = codec.encode('{"a":1}', T)
    codec.decode(value, T)
    const last = value.at(-1) === 'A' ? 'B' : 'A'
    assert.throws(() => codec.decode(value.slice(0, -1) + last, T), BadSignature)
    assert.throws(() => codec.decode(`${value}x`, T), BadSignature)
  })

  it('gives each caller its own result: changing one does not change the next', () => {
    const codec = cached(starlette()).create(context)
    const value = codec.encode('{"a":1}', T)
    const first = codec.decode(value, T) as { json: string; data?: unknown }
    first.json = 'changed'
    first.data = { leaked: true }
    assert.deepEqual(codec.decode(value, T), { json: '{"a":1}', issuedAt: T, keyIndex: 0 })
  })

  it('keeps one cache per engine: a codec with other secrets does not share it', () => {
    const format = cached(starlette())
    const value = format.create(context).encode('{"a":1}', T)
    format.create(context).decode(value, T)
    const other = format.create({ ...context, secrets: ['another-secret-0123456789abcdefghijkl'] })
    assert.throws(() => other.decode(value, T), BadSignature)
  })

  it('with size 0, remembers nothing and answers the same', () => {
    const format = countingFormat()
    const codec = cached(format, { size: 0 }).create(context)
    const value = codec.encode('{"a":1}', T)
    assert.equal(codec.decode(value, T).json, '{"a":1}')
    assert.equal(codec.decode(value, T).json, '{"a":1}')
    assert.equal(format.decodes, 2)
  })

  it('keeps the name and inspector of the format it wraps, and refuses a bad size', () => {
    const format = cached(starlette({ algorithm: 'sha256' }))
    assert.equal(format.name, 'starlette-sha256')
    assert.equal(typeof format.inspect, 'function')
    assert.equal(cached(countingFormat()).inspect, undefined)
    assert.throws(() => cached(starlette(), { size: -1 }), ConfigError)
    assert.throws(() => cached(starlette(), { size: 1.5 }), ConfigError)
  })
})
