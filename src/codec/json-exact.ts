/**
 * A JSON parser that is exact where JSON.parse is not (see json.ts): integers past 2^53 as bigint,
 * `NaN`/`Infinity` as numbers, and the raw text of each top-level member. Only text that needs it
 * comes here; everything else goes through the native JSON.parse.
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
