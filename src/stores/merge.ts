/**
 * Concurrency: each write is a compare-and-set on the record's version. A request that loses the
 * race re-reads the session and re-applies its own changes, key by key, on top of the winner's.
 */
import { rawMembers, type SessionData, stringifyExact, stringifySession } from '../codec/json.ts'
import type { JsonChanges } from './store.ts'

/** What one request did to the session, top-level key by key. */
export interface Changes {
  /** Keys set (or changed in place), with their new values. */
  set: Map<string, unknown>
  /** Keys removed. */
  removed: string[]
}

/** The top-level keys whose JSON differs between what the request loaded and what it has now. */
export function diff(before: SessionData, after: SessionData): Changes {
  const set = new Map<string, unknown>()
  const removed: string[] = []
  for (const key of Object.keys(after)) {
    if (!Object.hasOwn(before, key) || jsonOf(before[key]) !== jsonOf(after[key])) {
      set.set(key, after[key])
    }
  }
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) removed.push(key)
  return { set, removed }
}

/** The JSON of one value; a bigint (which JSON.stringify refuses) as the exact codec writes it. */
function jsonOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error
    return stringifyExact(value)
  }
}

/** Whether the request changed anything at all (`set()` of an equal value is no change). */
export function hasChanges(changes: Changes): boolean {
  return changes.set.size > 0 || changes.removed.length > 0
}

/** `changes` applied on top of `data` (which is changed in place and returned). */
export function applyChanges(data: SessionData, changes: Changes): SessionData {
  for (const [key, value] of changes.set) data[key] = value
  for (const key of changes.removed) delete data[key]
  return data
}

/** `changes` with each value as JSON text, written as the whole session would be (bigints kept). */
export function toJson(changes: Changes): JsonChanges {
  const set = new Map<string, string>()
  // Through a one-key object, so that a value is written exactly as stringifySession writes it inside a session.
  for (const [key, value] of changes.set) set.set(key, stringifySession({ v: value }).slice(5, -1))
  return { set, removed: changes.removed }
}

/**
 * `changes` applied to the JSON text of a session object, as {@link Store.merge} applies them: a key
 * set in place keeps its position, a new key goes last, every other member is copied as written (a
 * `1.0` or a big integer another program wrote stays as it was). `undefined` when `text` is not a
 * JSON object.
 */
export function mergeJsonText(text: string, changes: JsonChanges): string | undefined {
  const members = rawMembers(text)
  if (members === undefined) return undefined
  for (const [key, value] of changes.set) members.set(key, value)
  for (const key of changes.removed) members.delete(key)
  let out = ''
  for (const [key, value] of members) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${value}`
  return `{${out}}`
}

/** A short random wait before retry `attempt`, so racing writers spread out instead of colliding again. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(2 ** attempt, 25)
  return new Promise((resolve) => setTimeout(resolve, ms))
}
