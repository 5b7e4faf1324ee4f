import { ConfigError } from '../errors.ts'
import type { IndexedSession, SessionRecord, Store } from './store.ts'

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most sessions kept at once. Past it, the oldest-created session is dropped, so a flood of new
   * visitors costs bounded memory instead of growing until the process dies.
   * @default 10000
   */
  maxEntries?: number
  /** Seconds between sweeps of expired sessions; `0` sweeps only on access. @default 60 */
  sweepInterval?: number
  /** The clock, in milliseconds since the epoch. @default Date.now */
  now?: () => number
}

/**
 * Sessions in this process's memory: for tests, development and single-process apps that accept
 * losing sessions on restart. Lookups are O(1); expired sessions are dropped on access and by a
 * periodic sweep whose timer does not keep the process alive.
 *
 * @example
 * const engine = createStoreEngine({ secretKey, store: memoryStore({ maxEntries: 50_000 }) })
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options)
}

/** The store {@link memoryStore} returns. */
export class MemoryStore implements Store {
  readonly #records = new Map<string, SessionRecord>()
  readonly #byUser = new Map<string, Set<string>>()
  readonly #maxEntries: number
  readonly #now: () => number
  readonly #timer: NodeJS.Timeout | undefined

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000
    const sweepInterval = options.sweepInterval ?? 60
    if (!(Number.isInteger(maxEntries) && maxEntries > 0)) {
      throw new ConfigError(`maxEntries: ${String(maxEntries)} must be a whole number above 0`)
    }
    if (!(Number.isFinite(sweepInterval) && sweepInterval >= 0)) {
      throw new ConfigError(`sweepInterval: ${String(sweepInterval)} must be a number of seconds, 0 or more`)
    }
    this.#maxEntries = maxEntries
    this.#now = options.now ?? Date.now
    if (sweepInterval > 0) {
      this.#timer = setInterval(() => this.#sweep(), sweepInterval * 1000)
      this.#timer.unref()
    }
  }

  /** How many sessions are held, expired ones not yet swept included. */
  get size(): number {
    return this.#records.size
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    const record = this.#live(key)
    return record === undefined ? undefined : { ...record }
  }

  async set(key: string, record: SessionRecord): Promise<boolean> {
    const current = this.#live(key)
    if ((current?.version ?? 0) !== record.version - 1) return false
    if (current === undefined) {
      // Map iteration follows insertion order, so the first key is the oldest session.
      if (this.#records.size >= this.#maxEntries) this.#sweep()
      while (this.#records.size >= this.#maxEntries) {
        const oldest = this.#records.keys().next().value as string
        this.#remove(oldest)
      }
    } else if (current.userId !== record.userId) {
      this.#unindex(key, current.userId)
    }
    this.#records.set(key, { ...record })
    if (record.userId !== null) this.#index(key, record.userId)
    return true
  }

  async destroy(key: string): Promise<void> {
    this.#remove(key)
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const record = this.#live(key)
    if (record !== undefined) record.expiresAt = expiresAt
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const found: IndexedSession[] = []
    for (const key of this.#byUser.get(userId) ?? []) {
      const record = this.#live(key)
      if (record !== undefined) found.push({ key, record: { ...record } })
    }
    return found
  }

  async cleanup(): Promise<number> {
    return this.#sweep()
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
  }

  #live(key: string): SessionRecord | undefined {
    const record = this.#records.get(key)
    if (record === undefined) return undefined
    if (record.expiresAt > this.#now()) return record
    this.#remove(key)
    return undefined
  }

  #sweep(): number {
    const now = this.#now()
    let removed = 0
    for (const [key, record] of this.#records) {
      if (record.expiresAt <= now) {
        this.#remove(key)
        removed++
      }
    }
    return removed
  }

  #remove(key: string): void {
    const record = this.#records.get(key)
    if (record === undefined) return
    this.#records.delete(key)
    this.#unindex(key, record.userId)
  }

  #index(key: string, userId: string): void {
    let keys = this.#byUser.get(userId)
    if (keys === undefined) {
      keys = new Set()
      this.#byUser.set(userId, keys)
    }
    keys.add(key)
  }

  #unindex(key: string, userId: string | null): void {
    if (userId === null) return
    const keys = this.#byUser.get(userId)
    if (keys === undefined) return
    keys.delete(key)
    if (keys.size === 0) this.#byUser.delete(userId)
  }
}
