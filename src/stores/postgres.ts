/**
 * PostgreSQL session store on `pg`: for apps that already run PostgreSQL and want sessions shared by
 * every instance, queryable and backed up with the rest of their data.
 */
import pg from 'pg'
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

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions extends SqlStoreOptions {
  /** A `pg` pool to use; it is not closed by `close()`. Add a `pool.on('error', ...)` listener to it. */
  pool?: pg.Pool
  /** Connection URL, used when no `pool` is given, e.g. `postgres://user@127.0.0.1:5432/app`. */
  connectionString?: string
  /**
   * Create the table and its indexes on first use. Off by default: run `await store.migrate()` from a
   * deploy step instead, so the app's database role needs no DDL rights.
   * @default false
   */
  createTable?: boolean
  /** Milliseconds a query or a new connection may take, for a pool created from `connectionString`. @default 2000 */
  queryTimeout?: number
}

/** The store {@link postgresStore} returns: a SQL store with an explicit `migrate()`. */
export type PostgresStore = SqlStore

/**
 * A PostgreSQL store. Create the table once with `await store.migrate()` (or `createTable: true`).
 * Expired rows are invisible at once and deleted every `sweepInterval` seconds.
 *
 * @example
 * import { postgresStore } from 'tessera-session/stores/postgres'
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL })
 * await store.migrate()
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const queryTimeout = options.queryTimeout ?? 2000
  if (!(Number.isInteger(queryTimeout) && queryTimeout > 0)) {
    throw new ConfigError(
      `queryTimeout: ${String(queryTimeout)} must be a whole number of milliseconds above 0`,
    )
  }
  let pool = options.pool
  const owned = pool === undefined
  if (pool === undefined) {
    if (typeof options.connectionString !== 'string' || options.connectionString === '') {
      throw new ConfigError(
        "connectionString: give a pool or a URL, e.g. postgresStore({ connectionString: 'postgres://user@127.0.0.1:5432/app' })",
      )
    }
    pool = new pg.Pool({
      connectionString: options.connectionString,
      connectionTimeoutMillis: queryTimeout,
      query_timeout: queryTimeout,
    })
    // An idle connection dropped by the server (restart, failover) is reported here; without a
    // listener Node would crash. The pool discards it and the next query opens a fresh one.
    pool.on('error', () => {})
  }
  const schema =
    options.createTable === true
      ? sessionStatements(checkTableName(options.table ?? DEFAULT_TABLE)).schema
      : []
  return new SqlStore(postgresDriver(pool, owned, schema), options)
}

/** `schema` statements run before the first query, once; a failed attempt is retried by the next query. */
function postgresDriver(pool: pg.Pool, owned: boolean, schema: readonly string[]): SqlDriver {
  const texts = new Map<string, string>()
  let ready: Promise<void> | undefined = schema.length === 0 ? Promise.resolve() : undefined
  const query = async (sql: string, params: readonly unknown[]) => {
    ready ??= exec(schema).catch((error: unknown) => {
      ready = undefined
      throw error
    })
    await ready
    return pool.query(numbered(sql), params as unknown[])
  }
  const exec = async (statements: readonly string[]) => {
    for (const statement of statements) await pool.query(statement)
  }
  // The shared statements use `?`; PostgreSQL numbers its placeholders.
  const numbered = (sql: string) => {
    let text = texts.get(sql)
    if (text === undefined) {
      let n = 0
      text = sql.replace(/\?/g, () => `$${++n}`)
      texts.set(sql, text)
    }
    return text
  }
  return {
    dialect: 'postgres',
    async all(sql, params) {
      return (await query(sql, params)).rows as SqlRow[]
    },
    async run(sql, params) {
      return (await query(sql, params)).rowCount ?? 0
    },
    exec,
    async close() {
      if (owned) await pool.end()
    },
  }
}
