/**
 * The SQL both SQL stores share, written once: the schema, the statements and the row mapping. A
 * driver file only says how to run a statement ({@link SqlDriver}); everything else is here.
 *
 * Times are integer milliseconds since the epoch (BIGINT), compared with the store's clock, so a
 * record is invisible the moment it expires even before the sweep deletes it.
 */
import { ConfigError } from '../errors.ts'
import { backoff, mergeJsonText } from './merge.ts'
import { canMergeInSql, isRefusedJson, mergeParams, mergeStatement, type SqlDialect } from './sql-merge.ts'
import type { IndexedSession, JsonChanges, MergeUpdate, SessionRecord, Store } from './store.ts'
import { checkUserId } from './users.ts'

/** How a driver runs a statement. Statements are written with `?` placeholders. */
export interface SqlDriver {
  /** Which SQL the driver speaks, for the statements that differ (see `sql-merge.ts`). */
  readonly dialect: SqlDialect
  /** Rows of a query. */
  all(sql: string, params: readonly unknown[]): Promise<SqlRow[]>
  /** Runs a statement; resolves to how many rows it changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>
  /** Runs schema statements, in order. */
  exec(statements: readonly string[]): Promise<void>
  /** Releases what the driver opened itself. */
  close(): Promise<void>
}

/** A row as drivers return it: PostgreSQL returns BIGINT as a string, SQLite as a number. */
export type SqlRow = Record<string, unknown>

/** Options every SQL store shares. */
export interface SqlStoreOptions {
  /** Table name: letters, digits and `_`, starting with a letter or `_`. @default 'tessera_sessions' */
  table?: string
  /** Seconds between sweeps that delete expired rows; `0` never sweeps (call `cleanup()` yourself). @default 300 */
  sweepInterval?: number
  /** The clock, in milliseconds since the epoch. @default Date.now */
  now?: () => number
}

/** The table sessions go in unless `table` says otherwise. */
export const DEFAULT_TABLE = 'tessera_sessions'

/** As the engine's compare-and-set: enough for each of many racing writers to win once. */
const MAX_SET_ATTEMPTS = 100

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/
const COLUMNS = 'data, version, user_id, created_at, expires_at, absolute_expires_at'

/** The statements of a session table. */
export function sessionStatements(table: string) {
  return {
    schema: [
      `CREATE TABLE IF NOT EXISTS ${table} (
        id_hash TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        version INTEGER NOT NULL,
        user_id TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        absolute_expires_at BIGINT NOT NULL
      )`,
      // The sweep and the liveness checks scan by expiry; the per-user index looks up by user.
      `CREATE INDEX IF NOT EXISTS ${table}_expires_at ON ${table} (expires_at)`,
      `CREATE INDEX IF NOT EXISTS ${table}_user_id ON ${table} (user_id) WHERE user_id IS NOT NULL`,
    ],
    get: `SELECT ${COLUMNS} FROM ${table} WHERE id_hash = ? AND expires_at > ?`,
    // Version 1 is a new session. A dead row under the same key (expired, not yet swept) may be replaced.
    insert: `INSERT INTO ${table} (id_hash, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, version = excluded.version,
        user_id = excluded.user_id, created_at = excluded.created_at, expires_at = excluded.expires_at,
        absolute_expires_at = excluded.absolute_expires_at
      WHERE ${table}.expires_at <= ?`,
    update: `UPDATE ${table} SET data = ?, version = ?, user_id = ?, expires_at = ?
      WHERE id_hash = ? AND version = ? AND expires_at > ?`,
    touch: `UPDATE ${table} SET expires_at = ? WHERE id_hash = ? AND expires_at > ? AND expires_at < ?`,
    destroy: `DELETE FROM ${table} WHERE id_hash = ?`,
    listByUser: `SELECT id_hash, ${COLUMNS} FROM ${table} WHERE user_id = ? AND expires_at > ?`,
    cleanup: `DELETE FROM ${table} WHERE expires_at <= ?`,
  }
}

/** Checks a table name once, at setup: it is written into SQL text, so only a plain identifier will do. */
export function checkTableName(table: string): string {
  if (typeof table !== 'string' || !IDENTIFIER.test(table)) {
    throw new ConfigError(
      `table: ${JSON.stringify(table)} must be letters, digits and "_" (starting with a letter or "_"), at most 48 characters`,
    )
  }
  return table
}

/** A session store over any {@link SqlDriver}. */
export class SqlStore implements Store {
  readonly #driver: SqlDriver
  readonly #table: string
  readonly #sql: ReturnType<typeof sessionStatements>
  readonly #merges = new Map<string, string>()
  readonly #now: () => number
  readonly #timer: NodeJS.Timeout | undefined

  constructor(driver: SqlDriver, options: SqlStoreOptions = {}) {
    const sweepInterval = options.sweepInterval ?? 300
    if (!(Number.isFinite(sweepInterval) && sweepInterval >= 0)) {
      throw new ConfigError(`sweepInterval: ${String(sweepInterval)} must be a number of seconds, 0 or more`)
    }
    this.#driver = driver
    this.#table = checkTableName(options.table ?? DEFAULT_TABLE)
    this.#sql = sessionStatements(this.#table)
    this.#now = options.now ?? Date.now
    if (sweepInterval > 0) {
      // A failed sweep (database briefly down) is retried at the next interval; requests never wait on it.
      this.#timer = setInterval(() => this.cleanup().catch(() => {}), sweepInterval * 1000)
      this.#timer.unref()
    }
  }

  /** Creates the table and its indexes if they do not exist. Safe to run on every start. */
  async migrate(): Promise<void> {
    await this.#driver.exec(this.#sql.schema)
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    const [row] = await this.#driver.all(this.#sql.get, [key, this.#now()])
    return row === undefined ? undefined : toRecord(row)
  }

  async set(key: string, r: SessionRecord): Promise<boolean> {
    const now = this.#now()
    const changed =
      r.version === 1
        ? await this.#driver.run(this.#sql.insert, [
            key,
            r.data,
            r.version,
            r.userId,
            r.createdAt,
            r.expiresAt,
            r.absoluteExpiresAt,
            now,
          ])
        : await this.#driver.run(this.#sql.update, [
            r.data,
            r.version,
            r.userId,
            r.expiresAt,
            key,
            r.version - 1,
            now,
          ])
    return changed === 1
  }

  /**
   * One UPDATE of the live row (see `sql-merge.ts`); changes or stored text the SQL cannot hold
   * exactly go through {@link mergeBySet}.
   */
  async merge(key: string, changes: JsonChanges, update: MergeUpdate): Promise<SessionRecord | undefined> {
    // The check every write path makes: PostgreSQL text cannot hold U+0000.
    if (typeof update.userId === 'string') checkUserId(update.userId)
    const dialect = this.#driver.dialect
    if (canMergeInSql(dialect, changes)) {
      try {
        const [row] = await this.#driver.all(
          this.#mergeStatement(changes),
          mergeParams(dialect, key, changes, update, this.#now()),
        )
        if (row !== undefined) return toRecord(row)
        // PostgreSQL: no live row. SQLite: that, or stored text it will not merge (json_valid).
        if (dialect === 'postgres') return undefined
      } catch (error) {
        if (!isRefusedJson(error)) throw error
      }
    }
    return this.#mergeBySet(key, changes, update)
  }

  /** The merge statement for changes of this shape, built once per shape. */
  #mergeStatement(changes: JsonChanges): string {
    const shape = `${changes.set.size},${changes.removed.length}`
    let sql = this.#merges.get(shape)
    if (sql === undefined) {
      sql = mergeStatement(this.#driver.dialect, this.#table, changes)
      this.#merges.set(shape, sql)
    }
    return sql
  }

  /**
   * {@link merge} by compare-and-set: read, merge the text in JavaScript, write over the version read,
   * again (after a short random wait) on conflict. For what the merge statement cannot express.
   */
  async #mergeBySet(
    key: string,
    changes: JsonChanges,
    update: MergeUpdate,
  ): Promise<SessionRecord | undefined> {
    for (let attempt = 0; attempt < MAX_SET_ATTEMPTS; attempt++) {
      if (attempt > 0) await backoff(attempt)
      const current = await this.get(key)
      if (current === undefined) return undefined
      const data = mergeJsonText(current.data, changes)
      if (data === undefined)
        throw new TypeError(`session store: the record under a key is not a JSON object`)
      const next: SessionRecord = {
        ...current,
        data,
        version: current.version + 1,
        userId: update.userId === undefined ? current.userId : update.userId,
        expiresAt: update.expiresAt,
      }
      if (await this.set(key, next)) return next
    }
    throw new Error(`session store: more than ${MAX_SET_ATTEMPTS} concurrent writes to one session`)
  }

  async destroy(key: string): Promise<void> {
    await this.#driver.run(this.#sql.destroy, [key])
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    await this.#driver.run(this.#sql.touch, [expiresAt, key, this.#now(), expiresAt])
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const rows = await this.#driver.all(this.#sql.listByUser, [userId, this.#now()])
    return rows.map((row) => ({ key: String(row.id_hash), record: toRecord(row) }))
  }

  async cleanup(): Promise<number> {
    return this.#driver.run(this.#sql.cleanup, [this.#now()])
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
    await this.#driver.close()
  }
}

function toRecord(row: SqlRow): SessionRecord {
  return {
    data: String(row.data),
    version: Number(row.version),
    userId: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
  }
}
