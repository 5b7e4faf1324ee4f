/**
 * SQLite session store on better-sqlite3: the embedded default for server-side sessions. One file,
 * no server; several processes of one machine may share the file (WAL mode).
 */
import Database from 'better-sqlite3'
import { ConfigError } from '../errors.ts'
import {
  checkTableName,
  DEFAULT_TABLE,
  type SqlDriver,
  type SqlRow,
  SqlStore,
  type SqlStoreOptions,
  sessionStatements,
} from './sql.ts'

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions extends SqlStoreOptions {
  /** Path of the database file (created if missing), or `':memory:'`. Ignored when `database` is given. */
  path?: string
  /** An open better-sqlite3 database to use instead of `path`; it is not closed by `close()`. */
  database?: Database.Database
  /**
   * Milliseconds a write waits for another process's write lock before failing.
   * @default 5000
   */
  busyTimeout?: number
}

/**
 * A SQLite store. The table is created when missing, the file switched to WAL (readers never wait for
 * the writer), and expired rows are swept every `sweepInterval` seconds.
 *
 * better-sqlite3 is synchronous: each call is a few microseconds on a local disk, so it runs inline.
 *
 * @example
 * import { sqliteStore } from 'tessera-session/stores/sqlite'
 * const store = sqliteStore({ path: 'sessions.db' })
 */
export function sqliteStore(options: SqliteStoreOptions): SqlStore {
  if (options.database === undefined && (typeof options.path !== 'string' || options.path === '')) {
    throw new ConfigError("path: give the database file, e.g. sqliteStore({ path: 'sessions.db' })")
  }
  const owned = options.database === undefined
  const db = options.database ?? new Database(options.path as string)
  const busyTimeout = options.busyTimeout ?? 5000
  if (!(Number.isInteger(busyTimeout) && busyTimeout >= 0)) {
    throw new ConfigError(`busyTimeout: ${String(busyTimeout)} must be a whole number of milliseconds`)
  }
  db.pragma(`busy_timeout = ${busyTimeout}`)
  db.pragma('journal_mode = WAL')
  // With WAL, NORMAL loses at most the last transactions on power loss, never corrupts: fine for sessions.
  db.pragma('synchronous = NORMAL')
  const table = checkTableName(options.table ?? DEFAULT_TABLE)
  for (const statement of sessionStatements(table).schema) db.exec(statement)
  return new SqlStore(sqliteDriver(db, owned), { ...options, table })
}

function sqliteDriver(db: Database.Database, owned: boolean): SqlDriver {
  const prepared = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let statement = prepared.get(sql)
    if (statement === undefined) {
      statement = db.prepare(sql)
      prepared.set(sql, statement)
    }
    return statement
  }
  return {
    dialect: 'sqlite',
    async all(sql, params) {
      return prepare(sql).all(...params) as SqlRow[]
    },
    async run(sql, params) {
      return prepare(sql).run(...params).changes
    },
    async exec(statements) {
      for (const statement of statements) db.exec(statement)
    },
    async close() {
      if (owned) db.close()
    },
  }
}
