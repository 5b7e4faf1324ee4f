/**
 * The contract between the store-backed session engine and a place that keeps sessions. Small on
 * purpose (get / set / destroy, the rest optional and detected), Promise-based, with expiry owned by
 * the store: a store never returns a record whose `expiresAt` has passed.
 */

/** One session as a store keeps it. The store treats `data` as opaque text. */
export interface SessionRecord {
  /** The session data as JSON text. */
  data: string
  /**
   * Starts at 1 and grows by one with each write: {@link Store.set} writes only over the version
   * before it, so two requests that change the same session at once cannot overwrite each other.
   */
  version: number
  /** The user the session belongs to, for the per-user index; `null` before sign-in. */
  userId: string | null
  /** When the session was created, in milliseconds since the epoch. */
  createdAt: number
  /** When the session ends unless it is used again (idle timeout), in milliseconds since the epoch. */
  expiresAt: number
  /** When the session ends however active it is (absolute timeout), in milliseconds since the epoch. */
  absoluteExpiresAt: number
}

/** A session found through the per-user index. */
export interface IndexedSession {
  /** The store key (a hash of the session id, never the id itself). */
  key: string
  record: SessionRecord
}

/**
 * Where sessions live. Keys are hashes of session ids (see `hashSessionId`), so a leaked store holds
 * nothing a client could send back as a cookie.
 *
 * Errors: a store rejects with whatever its driver throws; the engine turns any rejection, or an
 * answer slower than its `timeout`, into `StoreUnavailable`.
 */
export interface Store {
  /** The record under `key`, or `undefined` when there is none or it has expired. */
  get(key: string): Promise<SessionRecord | undefined>
  /**
   * Writes `record` under `key` if the stored version is `record.version - 1` (no live record at
   * all for version 1), and makes it expire at `record.expiresAt`.
   * @returns `false`, writing nothing, when another write got there first.
   */
  set(key: string, record: SessionRecord): Promise<boolean>
  /** Removes the record under `key`; removing a missing one is not an error. */
  destroy(key: string): Promise<void>
  /**
   * Optional: applies one request's top-level changes to the live record under `key` atomically, in
   * one round trip, whatever wrote it meanwhile: the keys of `changes.set` replaced (values as JSON
   * text), `changes.removed` deleted, the version raised by one, the expiry moved to `update.expiresAt`
   * and, when `update.userId` is given, the user changed. With it the engine needs no compare-and-set
   * retry when requests race on one session. Resolves to the record written, or `undefined` (writing
   * nothing) when there is no live record.
   */
  merge?(key: string, changes: JsonChanges, update: MergeUpdate): Promise<SessionRecord | undefined>
  /**
   * Optional: moves the expiry of a live record without rewriting it (sliding expiry). Without it the
   * engine rewrites the record with {@link set} instead.
   */
  touch?(key: string, expiresAt: number): Promise<void>
  /** Optional: the live sessions whose `userId` is `userId` (per-user index: list, log out everywhere). */
  listByUser?(userId: string): Promise<IndexedSession[]>
  /** Optional: removes expired records now; resolves to how many. Stores that sweep by themselves may omit it. */
  cleanup?(): Promise<number>
  /** Optional: releases connections and timers the store opened itself. */
  close?(): Promise<void>
}

/** One request's top-level changes (see `diff`), each value already written as JSON text, as {@link Store.merge} takes them. */
export interface JsonChanges {
  set: Map<string, string>
  removed: string[]
}

/** What {@link Store.merge} changes besides the data. */
export interface MergeUpdate {
  expiresAt: number
  /** The session's user after the change; omitted when the change leaves it as it is. */
  userId?: string | null
}

/** Whether `store` has the per-user index. */
export function hasUserIndex(
  store: Store,
): store is Store & { listByUser: NonNullable<Store['listByUser']> } {
  return typeof store.listByUser === 'function'
}
