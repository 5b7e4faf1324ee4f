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
  // A session is a slot number, its fields kept column by column rather than as one record object
  // each: at a million sessions the record object and its three boxed times were two extra cache
  // misses per lookup (the top of a profile of bench/micro/store-scale.ts) and 120 bytes each.
  /** Store key -> slot; iteration follows insertion order, so the first key is the oldest session. */
  readonly #slots = new Map<string, number>()
  #data: string[] = []
  #users: (string | null)[] = []
  #versions: number[] = []
  /** createdAt, expiresAt, absoluteExpiresAt of slot i at 3i, 3i + 1, 3i + 2. */
  #times = new Float64Array(3 * 64)
  /** Slots freed by removals, reused before the columns grow. */
  readonly #free: number[] = []
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
    return this.#slots.size
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    const slot = this.#live(key)
    return slot === undefined ? undefined : this.#record(slot)
  }

  async set(key: string, record: SessionRecord): Promise<boolean> {
    let slot = this.#live(key)
    if ((slot === undefined ? 0 : (this.#versions[slot] as number)) !== record.version - 1) return false
    if (slot === undefined) {
      if (this.#slots.size >= this.#maxEntries) this.#sweep()
      while (this.#slots.size >= this.#maxEntries) {
        const oldest = this.#slots.keys().next().value as string
        this.#remove(oldest)
      }
      slot = this.#allocate()
      this.#slots.set(key, slot)
    } else if (this.#users[slot] !== record.userId) {
      this.#unindex(key, this.#users[slot] ?? null)
    }
    this.#data[slot] = record.data
    this.#users[slot] = record.userId
    this.#versions[slot] = record.version
    const t = 3 * slot
    this.#times[t] = record.createdAt
    this.#times[t + 1] = record.expiresAt
    this.#times[t + 2] = record.absoluteExpiresAt
    if (record.userId !== null) this.#index(key, record.userId)
    return true
  }

  async destroy(key: string): Promise<void> {
    this.#remove(key)
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const slot = this.#live(key)
    if (slot !== undefined) this.#times[3 * slot + 1] = expiresAt
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const found: IndexedSession[] = []
    for (const key of this.#byUser.get(userId) ?? []) {
      const slot = this.#live(key)
      if (slot !== undefined) found.push({ key, record: this.#record(slot) })
    }
    return found
  }

  async cleanup(): Promise<number> {
    return this.#sweep()
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
  }

  /** The slot of the live session under `key`; an expired one is removed on the way. */
  #live(key: string): number | undefined {
    const slot = this.#slots.get(key)
    if (slot === undefined) return undefined
    if ((this.#times[3 * slot + 1] as number) > this.#now()) return slot
    this.#remove(key)
    return undefined
  }

  /** A fresh record of `slot`: callers may change it without changing what is stored. */
  #record(slot: number): SessionRecord {
    const t = 3 * slot
    return {
      data: this.#data[slot] as string,
      version: this.#versions[slot] as number,
      userId: this.#users[slot] ?? null,
      createdAt: this.#times[t] as number,
      expiresAt: this.#times[t + 1] as number,
      absoluteExpiresAt: this.#times[t + 2] as number,
    }
  }

  #allocate(): number {
    const free = this.#free.pop()
    if (free !== undefined) return free
    const slot = this.#slots.size
    if (3 * slot >= this.#times.length) {
      const times = new Float64Array(this.#times.length * 2)
      times.set(this.#times)
      this.#times = times
    }
    return slot
  }

  #sweep(): number {
    const now = this.#now()
    let removed = 0
    for (const [key, slot] of this.#slots) {
      if ((this.#times[3 * slot + 1] as number) <= now) {
        this.#remove(key)
        removed++
      }
    }
    return removed
  }

  #remove(key: string): void {
    const slot = this.#slots.get(key)
    if (slot === undefined) return
    this.#slots.delete(key)
    this.#unindex(key, this.#users[slot] ?? null)
    // Let the data go now rather than when the slot is reused.
    this.#data[slot] = ''
    this.#users[slot] = null
    this.#free.push(slot)
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
