/**
 * CPU time per Redis store read on node-redis with and without a per-command `timeout` (which
 * node-redis 6 implements with one `AbortSignal.timeout()` per command), side by side in alternating
 * rounds: batches of 50 concurrent `store.get` calls, as 50 connections make them. CPU time of this
 * process (process.cpuUsage), not wall clock, so another process's load changes it less. Usage:
 *   node --conditions=tessera-session-source --import tsx bench/micro/redis-client.ts [rounds] [calls]
 * Redis: REDIS_URL or redis://127.0.0.1:6379. `ONLY=timeout|plain` runs one variant (the signals'
 * timers fire up to 2 s later and their garbage is collected later still, so in one process each
 * variant pays part of the other's cost); `WARMUP=n` calls first, for callgrind runs that differ only
 * in `calls`.
 */
import { createClient } from 'redis'
import { type RedisScripting, redisStore } from 'tessera-session/stores/redis'

const ROUNDS = Number(process.argv[2] ?? 5)
const CALLS = Number(process.argv[3] ?? 20_000)
const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const BATCH = 50

async function variant(timeout: boolean) {
  const client = createClient({
    url: URL,
    disableOfflineQueue: true,
    // node-redis 6 arms a 5000 ms timeout per command unless told 0.
    commandOptions: { timeout: timeout ? 2000 : 0 },
  })
  await client.connect()
  const store = redisStore({
    client: client as unknown as RedisScripting,
    prefix: `bench-client-${process.pid}:`,
  })
  const now = Date.now()
  const record = {
    data: '{"user":"alice","count":0}',
    version: 1,
    userId: null,
    createdAt: now,
    expiresAt: now + 3_600_000,
    absoluteExpiresAt: now + 7_200_000,
  }
  await store.set('k', record)
  return { name: timeout ? 'per-command timeout' : 'no per-command timeout', client, store }
}

// ONLY=timeout|plain: one variant, for an instruction count under callgrind.
const only = process.env.ONLY
const variants =
  only === undefined ? [await variant(true), await variant(false)] : [await variant(only === 'timeout')]
// Warm-up calls before round 0 (WARMUP=n), so that two callgrind runs differing in `calls` differ by warm code only.
for (const v of variants) {
  for (let i = 0; i < Number(process.env.WARMUP ?? 0); i += BATCH) {
    await Promise.all(Array.from({ length: BATCH }, () => v.store.get('k')))
  }
}
const perCall: Record<string, number[]> = {}
for (let round = 0; round <= ROUNDS; round++) {
  for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
    const before = process.cpuUsage()
    for (let i = 0; i < CALLS; i += BATCH) {
      await Promise.all(Array.from({ length: BATCH }, () => v.store.get('k')))
    }
    const used = process.cpuUsage(before)
    // Round 0 warms up the JIT and is not counted.
    if (round > 0) {
      perCall[v.name] ??= []
      perCall[v.name]?.push((used.user + used.system) / CALLS)
    }
  }
}
for (const [name, us] of Object.entries(perCall)) {
  const sorted = [...us].sort((a, b) => a - b)
  console.log(
    `${name.padEnd(24)} CPU us/read: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)}  all ${us.map((u) => u.toFixed(2)).join(' ')}`,
  )
}
for (const v of variants) v.client.destroy()
