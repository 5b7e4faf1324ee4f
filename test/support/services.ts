/**
 * Real Redis and PostgreSQL for the tests. The shared servers (REDIS_URL / DATABASE_URL, defaulting
 * to 127.0.0.1:6379 and :5432) are used when they answer; otherwise a throwaway server is started on a
 * reserved port, installing its Debian package first when missing. Nothing here skips: a service that
 * cannot be had is a loud failure.
 *
 * Fault tests stop and restart servers, so they always get their own throwaway ones.
 */
import { randomBytes } from 'node:crypto'
import { postgresAnswers, redisAnswers, startPostgres, startRedis } from './servers.ts'

export {
  postgresAnswers,
  redisAnswers,
  type Server,
  startPostgres,
  startRedis,
  startRedisCluster,
} from './servers.ts'

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'

/** A name unique to this test run, for key prefixes and table names, so parallel runs never collide. */
export function uniqueName(base: string): string {
  return `${base}_${process.pid}_${randomBytes(4).toString('hex')}`
}

let redis: Promise<string> | undefined
let postgres: Promise<string> | undefined

/**
 * A Redis URL that answers: REDIS_URL, the default, or a throwaway server started on first call and
 * shared by the rest of the process (stopped when it exits).
 */
export function redisUrl(): Promise<string> {
  redis ??= (async () => {
    const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL
    if (await redisAnswers(url)) return url
    if (process.env.REDIS_URL !== undefined) throw new Error(`REDIS_URL=${url} does not answer PING`)
    const server = await startRedis()
    server.unref()
    return server.url
  })()
  return redis
}

/** A PostgreSQL URL that answers: DATABASE_URL, the default, or a throwaway cluster, as {@link redisUrl}. */
export function databaseUrl(): Promise<string> {
  postgres ??= (async () => {
    const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL
    if (await postgresAnswers(url)) return url
    if (process.env.DATABASE_URL !== undefined) throw new Error(`DATABASE_URL=${url} does not answer`)
    const server = await startPostgres()
    server.unref()
    return server.url
  })()
  return postgres
}

/** Deletes every key under `prefix`, so a test run leaves nothing in a shared Redis. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const { createClient } = await import('redis')
  const client = createClient({ url })
  client.on('error', () => {})
  await client.connect()
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys)
    }
  } finally {
    client.destroy()
  }
}
