/**
 * Loopback ports for servers that a test starts in another process (redis-server, PostgreSQL,
 * uvicorn, a docs quick start) and must name before they listen. A server in this process listens on
 * port 0 instead and needs none of this.
 *
 * "A port that was free a moment ago" is a race once two test runs share the machine: both can be
 * handed the same port between the check and the child's `listen`, and a test then talks to the
 * other run's server. So a port is reserved: it is taken from below the kernel's ephemeral range
 * (where `listen(0)` and outgoing connections never land), and claimed with a file in a directory
 * every run on the machine shares, removed when this process exits.
 */
import { randomInt } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Below Linux's default ephemeral range, 32768-60999 (/proc/sys/net/ipv4/ip_local_port_range). */
const LOWEST = 20_000
const HIGHEST = 32_767
const CLAIMS = join(tmpdir(), 'tessera-test-ports')

const claimed: string[] = []

/**
 * A port on 127.0.0.1 that nothing listens on and no other test run will be given while this
 * process lives. It stays reserved after the server on it stops, so a test can start it again there.
 */
export async function reservePort(): Promise<number> {
  mkdirSync(CLAIMS, { recursive: true })
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = randomInt(LOWEST, HIGHEST + 1)
    if (!claim(port)) continue
    if (await listenable(port)) return port
    // Something outside the test runs listens there: leave the claim in place and try another.
  }
  throw new Error(`no port left to reserve between ${LOWEST} and ${HIGHEST} (claims in ${CLAIMS})`)
}

/**
 * A port reserved as {@link reservePort} does whose `port + offset` is reserved too: a Redis Cluster
 * node also listens on its bus port, its own port + 10000, which must not land on a port another test
 * (or the system's ephemeral range, from 32768) is using.
 */
export async function reservePortAndPortAbove(offset: number): Promise<number> {
  mkdirSync(CLAIMS, { recursive: true })
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = randomInt(LOWEST, HIGHEST - offset + 1)
    if (!claim(port)) continue
    if (!claim(port + offset)) continue
    if ((await listenable(port)) && (await listenable(port + offset))) return port
  }
  throw new Error(`no port pair ${offset} apart left between ${LOWEST} and ${HIGHEST} (claims in ${CLAIMS})`)
}

/**
 * Claims `port` for this process, unless another process holds it. A claim left behind by a run that
 * was killed is never taken over (two runs could take it over at once): that port is skipped.
 */
function claim(port: number): boolean {
  const file = join(CLAIMS, String(port))
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  if (claimed.length === 0) {
    process.once('exit', () => {
      for (const mine of claimed) rmSync(mine, { force: true })
    })
  }
  claimed.push(file)
  return true
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
