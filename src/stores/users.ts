/**
 * A user's sessions, through the store's per-user index: list them, end one, end all ("log out
 * everywhere"). The engine exposes these as `listSessions`, `revokeSession` and `revokeAll`.
 */
import { parseSessionJson, type SessionData } from '../codec/json.ts'
import { BadData, TesseraError } from '../errors.ts'
import { isExpired } from './lifecycle.ts'
import type { StoreSettings } from './options.ts'
import { hasUserIndex } from './store.ts'
import { withTimeout } from './timeout.ts'

/** One of a user's active sessions. */
export interface ActiveSession {
  /** Names the session for `revokeSession`: the store key, useless as a cookie. */
  handle: string
  createdAt: Date
  /** When it ends if unused. */
  expiresAt: Date
  data: SessionData
}

/**
 * Refuses a user id no store can index the same way: PostgreSQL text cannot hold U+0000, so such an
 * id would fail there (a 503 that is no outage) and work elsewhere. Every store refuses it at the call.
 * @throws {TypeError} naming the problem.
 */
export function checkUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string') throw new TypeError(`user id: expected a string, got ${typeof userId}`)
  if (userId.includes('\u0000')) {
    throw new TypeError(
      'user id: contains U+0000 (NUL), which session stores cannot index; remove it from the id',
    )
  }
}

/**
 * The live sessions whose `userKey` holds `userId`.
 * @throws {TesseraError} when the store has no per-user index.
 */
export async function listUserSessions(
  s: StoreSettings,
  userId: string,
  now: number,
): Promise<ActiveSession[]> {
  checkUserId(userId)
  const store = s.store
  if (!hasUserIndex(store)) throw new TesseraError('this session store has no per-user index (listByUser)')
  const found = await withTimeout('listByUser', s.timeout, () => store.listByUser(userId))
  const sessions: ActiveSession[] = []
  for (const { key, record } of found) {
    if (isExpired(record, now) || record.userId !== userId) continue
    let data: SessionData
    try {
      data = parseSessionJson(record.data)
    } catch (error) {
      if (!(error instanceof BadData)) throw error
      continue // unreadable data (a tampered store) is not listed, as it would not load either
    }
    sessions.push({
      handle: key,
      createdAt: new Date(record.createdAt),
      expiresAt: new Date(record.expiresAt),
      data,
    })
  }
  return sessions
}

/** Ends the session `handle` if it belongs to `userId`; resolves to whether it did. */
export async function revokeUserSession(s: StoreSettings, userId: string, handle: string): Promise<boolean> {
  checkUserId(userId)
  const record = await withTimeout('get', s.timeout, () => s.store.get(handle))
  if (record === undefined || record.userId !== userId) return false
  await withTimeout('destroy', s.timeout, () => s.store.destroy(handle))
  return true
}

/** Ends every session of `userId` but `keep`; resolves to how many were ended. */
export async function revokeUserSessions(
  s: StoreSettings,
  userId: string,
  now: number,
  keep: string | undefined,
): Promise<number> {
  const handles = (await listUserSessions(s, userId, now)).map((session) => session.handle)
  const ending = handles.filter((handle) => handle !== keep)
  await Promise.all(ending.map((handle) => withTimeout('destroy', s.timeout, () => s.store.destroy(handle))))
  return ending.length
}
