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

/** Session data: a JSON object. */
export type SessionData = Record<string, unknown>

/**
 * Keys refused anywhere in untrusted session JSON. JSON.parse itself stores them as plain data, but
 * code that later merges the object (`Object.assign`, a naive deep merge) would follow `__proto__`
 * into the prototype chain; refusing them makes prototype pollution through a session impossible.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

// Sixteen digits in a row may be an integer JSON.parse would round (2^53 has 16 digits); NaN and
// Infinity are not JSON. Either sends the text to the exact parser. A match inside a string only
// costs the slower parse, never a different result.
const NEEDS_EXACT = /\d{16}|NaN|Infinity/
// An escape could spell a forbidden key; without one, the names must appear literally.
const MAY_HIDE_KEY = /\\|__proto__|constructor|prototype/

function refuseForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new BadPayload(`forbidden key "${key}" in session data`)
  return value
}

/**
 * Parses session JSON from a verified cookie or a store.
 * @throws {BadPayload} when the text is not JSON, not an object, or holds a forbidden key.
 */
export function parseSessionJson(text: string): SessionData {
  let data: unknown
  if (NEEDS_EXACT.test(text)) {
    data = parseExact(text)
  } else {
    try {
      data = MAY_HIDE_KEY.test(text) ? JSON.parse(text, refuseForbiddenKeys) : JSON.parse(text)
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
 * The raw text of each top-level member of a JSON object text, by key: what lets a writer send an
 * unchanged value back exactly as another program wrote it. `undefined` if the text is not an object.
 */
export function rawMembers(text: string): Map<string, string> | undefined {
  const parser = new ExactParser(text)
  try {
    return parser.members()
  } catch {
    return undefined
  }
}

/**
 * Parses JSON text exactly (see the module comment).
 * @throws {BadPayload} when the text is not JSON (with the `NaN`/`Infinity` tokens) or holds a forbidden key.
 */
export function parseExact(text: string): unknown {
  return new ExactParser(text).document()
}

/** Deepest nesting {@link parseExact} follows: far beyond any real session, short of the call stack. */
const MAX_DEPTH = 512
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y

class ExactParser {
  #at = 0
  constructor(readonly text: string) {}

  document(): unknown {
    const value = this.#value(0)
    this.#skip()
    if (this.#at !== this.text.length) this.#fail('text after the JSON value')
    return value
  }

  /** The top-level object's members as raw text, checked as JSON on the way. */
  members(): Map<string, string> {
    const members = new Map<string, string>()
    this.#skip()
    this.#expect('{')
    this.#skip()
    if (this.#eat('}')) return members
    do {
      this.#skip()
      const key = this.#string()
      this.#skip()
      this.#expect(':')
      this.#skip()
      const start = this.#at
      this.#value(1)
      members.set(key, this.text.slice(start, this.#at))
      this.#skip()
    } while (this.#eat(','))
    this.#expect('}')
    return members
  }

  #value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.#fail(`nesting deeper than ${MAX_DEPTH}`)
    this.#skip()
    const c = this.text[this.#at]
    if (c === '{') return this.#object(depth)
    if (c === '[') return this.#array(depth)
    if (c === '"') return this.#string()
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.#at)) {
        this.#at += word.length
        return value
      }
    }
    return this.#number()
  }

  #object(depth: number): SessionData {
    const object: SessionData = {}
    this.#at++
    this.#skip()
    if (this.#eat('}')) return object
    do {
      this.#skip()
      const key = this.#string()
      if (FORBIDDEN_KEYS.has(key)) throw new BadPayload(`forbidden key "${key}" in session data`)
      this.#skip()
      this.#expect(':')
      object[key] = this.#value(depth + 1)
      this.#skip()
    } while (this.#eat(','))
    this.#expect('}')
    return object
  }

  #array(depth: number): unknown[] {
    const array: unknown[] = []
    this.#at++
    this.#skip()
    if (this.#eat(']')) return array
    do array.push(this.#value(depth + 1))
    while (this.#skipThenEat(','))
    this.#expect(']')
    return array
  }

  #string(): string {
    if (this.text[this.#at] !== '"') this.#fail('a string was expected')
    let end = this.#at + 1
    for (;;) {
      const quote = this.text.indexOf('"', end)
      if (quote < 0) this.#fail('unterminated string')
      let slashes = 0
      for (let i = quote - 1; this.text[i] === '\\'; i--) slashes++
      end = quote + 1
      if (slashes % 2 === 0) break
    }
    const token = this.text.slice(this.#at, end)
    this.#at = end
    try {
      // JSON.parse of one string token: the exact escape and control-character rules of JSON.
      return JSON.parse(token) as string
    } catch {
      return this.#fail('invalid string')
    }
  }

  #number(): number | bigint {
    NUMBER.lastIndex = this.#at
    const match = NUMBER.exec(this.text)
    if (match === null) return this.#fail('a value was expected')
    this.#at += match[0].length
    const isInteger = match[1] === undefined && match[2] === undefined
    const number = Number(match[0])
    return isInteger && !Number.isSafeInteger(number) ? BigInt(match[0]) : number
  }

  #skip(): void {
    while (WHITESPACE.has(this.text.charCodeAt(this.#at))) this.#at++
  }

  #eat(c: string): boolean {
    if (this.text[this.#at] !== c) return false
    this.#at++
    return true
  }

  #skipThenEat(c: string): boolean {
    this.#skip()
    return this.#eat(c)
  }

  #expect(c: string): void {
    if (!this.#eat(c)) this.#fail(`"${c}" was expected`)
  }

  #fail(what: string): never {
    throw new BadPayload(`session payload is not valid JSON: ${what} at ${this.#at}`)
  }
}

const LITERALS: readonly [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]

/**
 * Serializes `data`, writing each top-level value that is unchanged from `source` (JSON text another
 * program may have written) exactly as it was there: a value Python wrote as `1.0`, `-0.0` or
 * `12345678901234567890` reaches Python again as that, not as what JavaScript would write for it.
 */
export function stringifyPreserving(data: SessionData, source: string): string {
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

function stringifyValue(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error
    return stringifyExact(value)
  }
}
