import { BadPayload } from '../errors.ts'

/** Session data: a JSON object. */
export type SessionData = Record<string, unknown>

/**
 * Keys refused anywhere in untrusted session JSON. JSON.parse itself stores them as plain data, but
 * code that later merges the object (`Object.assign`, a naive deep merge) would follow `__proto__`
 * into the prototype chain; refusing them makes prototype pollution through a session impossible.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

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
  try {
    // Fast path: without an escape sequence or a forbidden name in the text, no key can be forbidden.
    const mayHideKey =
      text.includes('\\') ||
      text.includes('__proto__') ||
      text.includes('constructor') ||
      text.includes('prototype')
    data = mayHideKey ? JSON.parse(text, refuseForbiddenKeys) : JSON.parse(text)
  } catch (error) {
    if (error instanceof BadPayload) throw error
    throw new BadPayload('session payload is not valid JSON')
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BadPayload('session payload is not a JSON object')
  }
  return data as SessionData
}

/** Serializes session data; `undefined` values are dropped, as JSON does. */
export function stringifySession(data: SessionData): string {
  return JSON.stringify(data)
}
