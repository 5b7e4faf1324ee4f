/**
 * One size of ./store-scale.ts in a process of its own: `store-scale-worker.ts <sessions>`. Fills a
 * memory store with that many small sessions through the store engine (as requests would), sends the
 * heap bytes per session, then answers every 'round' message with one {@link Timing}.
 */
import { createStoreEngine, memoryStore } from 'tessera-session/stores'
import { SECRET, SMALL_SESSION } from '../apps/common.ts'

/** One round: 30,000 reads, then 30,000 writes, per request in ns (wall-clock and this process's CPU). */
export interface Timing {
  readNs: number
  writeNs: number
  readCpuNs: number
  writeCpuNs: number
}

const OPS = 30_000
/** How many of the stored sessions the requests go to, in turn (at most). */
const ACTIVE = 1000

const gc = (globalThis as { gc?: () => void }).gc
const send = process.send?.bind(process)
if (!gc || !send) throw new Error('run by bench/micro/store-scale.ts (needs --expose-gc and an IPC channel)')

const count = Number(process.argv[2])
const store = memoryStore({ maxEntries: count + 10, sweepInterval: 0 })
const engine = createStoreEngine({ secretKey: SECRET, store })

gc()
const before = process.memoryUsage().heapUsed
const sample: string[] = []
const every = Math.max(1, Math.floor(count / ACTIVE))
for (let i = 0; i < count; i++) {
  const opened = engine.open(undefined)
  await opened.session.load()
  for (const [k, v] of Object.entries(SMALL_SESSION)) opened.session.set(k, v)
  const { setCookie } = await opened.commit()
  if (i % every === 0 && setCookie)
    sample.push(setCookie.slice(0, setCookie.indexOf(';')).split('=')[1] as string)
}
gc()
const bytesPerSession = (process.memoryUsage().heapUsed - before) / count
const cookies = sample.map((value) => `session=${value}`)

async function time(write: boolean): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage()
  const t = process.hrtime.bigint()
  for (let i = 0; i < OPS; i++) {
    const opened = engine.open(cookies[i % cookies.length])
    const session = await opened.session.load()
    const user = session.get('user')
    if (user !== 'alice') throw new Error(`store lost a session (read ${String(user)})`)
    if (write) session.set('count', i)
    await opened.commit()
  }
  const wall = Number(process.hrtime.bigint() - t) / OPS
  const used = process.cpuUsage(cpu)
  return { wall, cpu: ((used.user + used.system) * 1000) / OPS }
}

process.on('message', async () => {
  const read = await time(false)
  const written = await time(true)
  const timing: Timing = {
    readNs: read.wall,
    writeNs: written.wall,
    readCpuNs: read.cpu,
    writeCpuNs: written.cpu,
  }
  send(timing)
})
// The coordinator kills the worker when done; an orphan leaves with its parent.
process.on('disconnect', () => process.exit(0))
send(bytesPerSession)
