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
  /**
   * Milliseconds to connect, and the startup grace during which commands wait for the first
   * connection, for a client created from `url`. The wait for an answer is bounded by the store
   * engine's `timeout`. @default 2000
   */
  commandTimeout?: number
  /**
   * Commands a client created from `url` may have waiting for an answer; more fail at once. Bounds
   * the memory a frozen (connected but silent) Redis makes the client hold. @default 10000
   */
  maxPendingCommands?: number
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

// Store.merge: the request's changed top-level keys applied to the stored JSON object in place, its
// other members copied as text (no JSON decode/encode: Lua's cjson would round floats and big
// integers). ARGV: ttl, whether to set the user, the user, the number of set keys, then the set keys
// and values (JSON text) in pairs, then the removed keys (JSON text).
const MERGE = `local s = redis.call('HGET', KEYS[1], 'd')
if not s then return nil end
local n = tonumber(ARGV[4])
local set, order, removed = {}, {}, {}
for i = 0, n - 1 do set[ARGV[5 + 2 * i]] = ARGV[6 + 2 * i]; order[i + 1] = ARGV[5 + 2 * i] end
for i = 5 + 2 * n, #ARGV do removed[ARGV[i]] = true end
local function skip(p) return string.find(s, '[^%s]', p) or #s + 1 end
local function closing(p)
  local q = p + 1
  while true do
    local a = string.find(s, '["\\\\]', q)
    if string.byte(s, a) == 34 then return a end
    q = a + 2
  end
end
local out, i = {}, skip(skip(1) + 1)
while string.byte(s, i) == 34 do
  local e = closing(i)
  local name = string.sub(s, i, e)
  i = skip(skip(e + 1) + 1)
  local from, depth = i, 0
  while true do
    i = string.find(s, '["{}%[%],]', i)
    local c = string.byte(s, i)
    if c == 34 then i = closing(i) + 1
    elseif c == 123 or c == 91 then depth = depth + 1; i = i + 1
    elseif depth == 0 then break
    elseif c == 44 then i = i + 1
    else depth = depth - 1; i = i + 1 end
  end
  if not removed[name] then
    local value = set[name]
    set[name] = nil
    out[#out + 1] = name .. ':' .. (value or string.match(string.sub(s, from, i - 1), '^(.-)%s*$'))
  end
  if string.byte(s, i) == 44 then i = skip(i + 1) end
end
for _, name in ipairs(order) do
  if set[name] then out[#out + 1] = name .. ':' .. set[name] end
end
local d = '{' .. table.concat(out, ',') .. '}'
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0') + 1
local u = redis.call('HGET', KEYS[1], 'u') or ''
redis.call('HSET', KEYS[1], 'd', d, 'v', v)
local now = u
if ARGV[2] == '1' then
  now = ARGV[3]
  if now == '' then redis.call('HDEL', KEYS[1], 'u') else redis.call('HSET', KEYS[1], 'u', now) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {d, tostring(v), u, now, redis.call('HGET', KEYS[1], 'c'), redis.call('HGET', KEYS[1], 'a')}`

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
  const maxPending = options.maxPendingCommands ?? 10_000
  if (!(Number.isInteger(maxPending) && maxPending > 0)) {
    throw new ConfigError(`maxPendingCommands: ${String(maxPending)} must be a whole number above 0`)
  }
  const now = options.now ?? Date.now
  const { client, close } = options.client
    ? { client: options.client, close: async () => {} }
    : ownClient(options.url, commandTimeout, maxPending)
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

  /** Moves `key` from the index of the user it had to the index of the user it has now. */
  async function reindex(
    key: string,
    previous: string,
    user: string,
    absoluteExpiresAt: string,
  ): Promise<void> {
    if (previous === user) return
    if (previous !== '') await run(INDEX_REMOVE, [indexKey(previous)], [key])
    if (user !== '') await run(INDEX_ADD, [indexKey(user)], [absoluteExpiresAt, key, String(now())])
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
      await reindex(key, reply[0], user, String(r.absoluteExpiresAt))
      return true
    },
    async merge(key, changes, update) {
      const ttl = Math.max(1, Math.ceil(update.expiresAt - now()))
      const args = [
        String(ttl),
        update.userId === undefined ? '0' : '1',
        update.userId ?? '',
        String(changes.set.size),
      ]
      for (const [name, value] of changes.set) args.push(JSON.stringify(name), value)
      for (const name of changes.removed) args.push(JSON.stringify(name))
      const reply = (await run(MERGE, [sessionKey(key)], args)) as string[] | null
      if (reply === null) return undefined
      const [data, version, previous, user, createdAt, absoluteExpiresAt] = reply as [
        string,
        string,
        string,
        string,
        string,
        string,
      ]
      await reindex(key, previous, user, absoluteExpiresAt)
      return {
        data,
        version: Number(version),
        userId: user === '' ? null : user,
        createdAt: Number(createdAt),
        expiresAt: update.expiresAt,
        absoluteExpiresAt: Number(absoluteExpiresAt),
      }
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
function ownClient(url: string | undefined, commandTimeout: number, maxPending: number) {
  if (typeof url !== 'string' || url === '') {
    throw new ConfigError("url: give a client or a URL, e.g. redisStore({ url: 'redis://127.0.0.1:6379' })")
  }
  const client = createClient({
    url,
    // Rejected at once while disconnected, instead of queued until Redis returns.
    disableOfflineQueue: true,
    // No per-command timeout (node-redis 6 defaults to 5000 ms): it arms an AbortSignal.timeout() per
    // command and drops it once the command is written, so it never bounded the wait for an answer
    // (the engine's single-timer `timeout` does). Without it a store.get is 16k instead of 96k
    // instructions, a Hono write-each 1.27x faster and every p99 lower (contended write 65-102 ->
    // 23-43 ms), the read's rate unchanged (bench/results/store-redis.md); what it still
    // did, bound the commands queued behind a frozen Redis, `maxPending` does below.
    commandOptions: { timeout: 0 },
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
  let pending = 0
  const send = async (call: () => Promise<unknown>): Promise<unknown> => {
    if (pending >= maxPending) {
      throw new Error(`Redis has not answered ${maxPending} commands (maxPendingCommands); not sending more`)
    }
    pending++
    try {
      await grace
      return await call()
    } finally {
      pending--
    }
  }
  return {
    client: {
      eval: (script: string, o: { keys: string[]; arguments: string[] }) =>
        send(() => client.eval(script, o)),
      evalSha: (sha: string, o: { keys: string[]; arguments: string[] }) =>
        send(() => client.evalSha(sha, o)),
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
