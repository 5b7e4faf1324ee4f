/**
 * Redis session store on node-redis (`redis`), the client Redis itself maintains. Expiry is Redis's
 * own key TTL; several app instances share sessions through it.
 */
import { createHash } from 'node:crypto'
import { createClient } from 'redis'
import { ConfigError } from '../errors.ts'
import type { IndexedSession, SessionRecord, Store } from './store.ts'

/**
 * What the store needs of a client: Lua scripts only. Both node-redis's `createClient()` and
 * `createCluster()` have these two methods, and every script declares the one key it touches, so
 * the store follows Redis Cluster's rules (no command spans two hash slots).
 */
export interface RedisScripting {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * A node-redis client or cluster, connected by you, with an `error` listener. Prefer
   * `disableOfflineQueue: true` so that calls fail at once while Redis is down instead of piling up.
   */
  client?: RedisScripting
  /** Redis URL, used when no `client` is given. @default undefined */
  url?: string
  /**
   * Prepended to every key, to share a Redis with other data. Keep `{` and `}` out of it: a hash
   * tag in the prefix would put every session on one cluster node.
   * @default 'tessera:'
   */
  prefix?: string
  /** Milliseconds a command may wait, for a client created from `url`. @default 2000 */
  commandTimeout?: number
  /** The clock, in milliseconds since the epoch. @default Date.now */
  now?: () => number
}

/** The store {@link redisStore} returns. */
export interface RedisStore extends Store {
  listByUser(userId: string): Promise<IndexedSession[]>
  /** Closes the client if the store created it from `url`. */
  close(): Promise<void>
}

// A session is a hash: d(ata), v(ersion), u(ser id, absent before sign-in), c(reated), a(bsolute end).

/** Fields of a live session and its remaining time to live; nothing when there is none. */
const GET = `local f = redis.call('HMGET', KEYS[1], 'd', 'v', 'u', 'c', 'a')
if not f[1] then return nil end
return {f[1], f[2], f[3] or '', f[4], f[5], redis.call('PTTL', KEYS[1])}`

/**
 * Compare-and-set: writes only over version ARGV[1] (0: no live session) and returns the previous
 * user id, so the per-user index changes only when the user does. An expired key is already gone.
 */
const SET = `local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return nil end
local u = redis.call('HGET', KEYS[1], 'u') or ''
redis.call('HSET', KEYS[1], 'd', ARGV[2], 'v', ARGV[3], 'c', ARGV[5], 'a', ARGV[6])
if ARGV[4] == '' then redis.call('HDEL', KEYS[1], 'u') else redis.call('HSET', KEYS[1], 'u', ARGV[4]) end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return {u}`

const DESTROY = `return redis.call('DEL', KEYS[1])`

const TOUCH = `return redis.call('PEXPIRE', KEYS[1], ARGV[1])`

/**
 * The per-user index is a sorted set of session keys scored by their absolute end, which never
 * moves; it lives as long as its longest session. Members whose session ended are pruned here and
 * by {@link RedisStore.listByUser}.
 */
const INDEX_ADD = `redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - tonumber(ARGV[3]))) end
return 1`

const INDEX_LIST = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)`

const INDEX_REMOVE = `return redis.call('ZREM', KEYS[1], unpack(ARGV))`

/**
 * A Redis store. Works with one Redis or a Redis Cluster (pass a `createCluster()` client).
 *
 * @example
 * import { redisStore } from 'tessera-session/stores/redis'
 * const store = redisStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const prefix = options.prefix ?? 'tessera:'
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new ConfigError(
      `prefix: ${JSON.stringify(prefix)} must be a string without "{" or "}" (a hash tag would put every session in one cluster slot)`,
    )
  }
  const commandTimeout = options.commandTimeout ?? 2000
  if (!(Number.isInteger(commandTimeout) && commandTimeout > 0)) {
    throw new ConfigError(
      `commandTimeout: ${String(commandTimeout)} must be a whole number of milliseconds above 0`,
    )
  }
  const now = options.now ?? Date.now
  const { client, close } = options.client
    ? { client: options.client, close: async () => {} }
    : ownClient(options.url, commandTimeout)
  const run = scriptRunner(client)
  const sessionKey = (key: string) => `${prefix}s:${key}`
  // Hash tag around the user id: the index's slot depends on the user alone.
  const indexKey = (userId: string) => `${prefix}u:{${userId}}`

  async function get(key: string): Promise<SessionRecord | undefined> {
    const reply = (await run(GET, [sessionKey(key)], [])) as string[] | null
    if (reply === null || reply.length < 6) return undefined
    const [data, version, user, createdAt, absoluteExpiresAt, ttl] = reply as [
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    if (Number(ttl) <= 0) return undefined
    return {
      data,
      version: Number(version),
      userId: user === '' ? null : user,
      createdAt: Number(createdAt),
      expiresAt: now() + Number(ttl),
      absoluteExpiresAt: Number(absoluteExpiresAt),
    }
  }

  return {
    get,
    async set(key, r) {
      const ttl = Math.max(1, Math.ceil(r.expiresAt - now()))
      const user = r.userId ?? ''
      const reply = (await run(
        SET,
        [sessionKey(key)],
        [
          String(r.version - 1),
          r.data,
          String(r.version),
          user,
          String(r.createdAt),
          String(r.absoluteExpiresAt),
          String(ttl),
        ],
      )) as [string] | null
      if (reply === null) return false
      const previous = reply[0]
      if (previous !== user && previous !== '') await run(INDEX_REMOVE, [indexKey(previous)], [key])
      if (previous !== user && user !== '') {
        await run(INDEX_ADD, [indexKey(user)], [String(r.absoluteExpiresAt), key, String(now())])
      }
      return true
    },
    async destroy(key) {
      // The user index is pruned lazily, by listByUser: destroy needs no read first.
      await run(DESTROY, [sessionKey(key)], [])
    },
    async touch(key, expiresAt) {
      await run(TOUCH, [sessionKey(key)], [String(Math.max(1, Math.ceil(expiresAt - now())))])
    },
    async listByUser(userId) {
      const index = indexKey(userId)
      const keys = (await run(INDEX_LIST, [index], [String(now())])) as string[]
      // One command per session: sessions live in different slots, so no multi-key MGET.
      const records = await Promise.all(keys.map((key) => get(key)))
      const found: IndexedSession[] = []
      const stale: string[] = []
      records.forEach((record, i) => {
        const key = keys[i] as string
        if (record !== undefined && record.userId === userId) found.push({ key, record })
        else stale.push(key)
      })
      if (stale.length > 0) await run(INDEX_REMOVE, [index], stale)
      return found
    },
    close,
  }
}

/** A client with the settings a session store wants: fail fast while Redis is down, reconnect forever. */
function ownClient(url: string | undefined, commandTimeout: number) {
  if (typeof url !== 'string' || url === '') {
    throw new ConfigError("url: give a client or a URL, e.g. redisStore({ url: 'redis://127.0.0.1:6379' })")
  }
  const client = createClient({
    url,
    // Rejected at once while disconnected, instead of queued until Redis returns.
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeout },
    socket: {
      connectTimeout: commandTimeout,
      // Keep trying, at most every 2 s: the store recovers by itself when Redis comes back.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000),
    },
  })
  // Connection errors surface as rejected commands; without a listener Node would crash on them.
  client.on('error', () => {})
  // While Redis is down, connect() keeps retrying and never settles. Commands wait for it only
  // during a startup grace of one command timeout, so the first requests of a fresh process are not
  // refused while the connection is being made; after that they fail at once (offline queue off).
  const grace = Promise.race([
    client.connect().catch(() => {}),
    new Promise<void>((resolve) => setTimeout(resolve, commandTimeout).unref()),
  ])
  return {
    client: {
      eval: async (script: string, o: { keys: string[]; arguments: string[] }) => {
        await grace
        return client.eval(script, o)
      },
      evalSha: async (sha: string, o: { keys: string[]; arguments: string[] }) => {
        await grace
        return client.evalSha(sha, o)
      },
    } satisfies RedisScripting,
    close: async () => {
      if (client.isOpen) client.destroy()
    },
  }
}

/** Runs a script by its SHA1 (one short command), loading it with EVAL when Redis does not know it. */
function scriptRunner(client: RedisScripting) {
  const shas = new Map<string, string>()
  return async (script: string, keys: string[], args: string[]): Promise<unknown> => {
    let sha = shas.get(script)
    if (sha === undefined) {
      sha = createHash('sha1').update(script).digest('hex')
      shas.set(script, sha)
    }
    try {
      return await client.evalSha(sha, { keys, arguments: args })
    } catch (error) {
      // NOSCRIPT is the reply code (not a message) for a script this server has not cached yet.
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error
      return client.eval(script, { keys, arguments: args })
    }
  }
}
