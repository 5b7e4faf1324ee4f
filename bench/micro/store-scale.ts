/**
 * The memory store at scale: the cost of a request (open, load, read, commit) with 1, 1,000 and
 * 1,000,000 sessions stored, and the heap each small session takes. Run with --expose-gc;
 * `--json` prints machine-readable rows (used by bench/run.ts); `--sizes 1,1000000` picks the sizes.
 *
 * Each cost is given twice: wall-clock (`readNs`, `writeNs`) and this process's CPU time
 * (`readCpuNs`, `writeCpuNs`, user + system from `process.cpuUsage`), fastest of 5 rounds each. On a
 * machine shared with other work the wall-clock also counts the time the process waited for a core;
 * the CPU time does not, so compare sizes by the CPU columns there.
 */
import { parseArgs } from 'node:util'
import { createStoreEngine, memoryStore } from 'tessera-session/stores'
import { SECRET, SMALL_SESSION } from '../apps/common.ts'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')

/** One size of the store. */
export interface ScaleRow {
  sessions: number
  /** Heap taken per stored session, bytes (measured after a full GC). */
  bytesPerSession: number
  /** One request's session work (open, load, read a value, commit), nanoseconds. */
  readNs: number
  /** The same with a changed value (the store is written). */
  writeNs: number
  /** {@link readNs} in CPU time of this process, nanoseconds. */
  readCpuNs: number
  /** {@link writeNs} in CPU time of this process, nanoseconds. */
  writeCpuNs: number
}

async function measure(count: number): Promise<ScaleRow> {
  const store = memoryStore({ maxEntries: count + 10, sweepInterval: 0 })
  const engine = createStoreEngine({ secretKey: SECRET, store })
  gc?.()
  const before = process.memoryUsage().heapUsed
  const sample: string[] = []
  const every = Math.max(1, Math.floor(count / 1000))
  for (let i = 0; i < count; i++) {
    const opened = engine.open(undefined)
    await opened.session.load()
    for (const [k, v] of Object.entries(SMALL_SESSION)) opened.session.set(k, v)
    const { setCookie } = await opened.commit()
    if (i % every === 0 && setCookie)
      sample.push(setCookie.slice(0, setCookie.indexOf(';')).split('=')[1] as string)
  }
  gc?.()
  const bytesPerSession = (process.memoryUsage().heapUsed - before) / count
  const cookieOf = (i: number) => `session=${sample[i % sample.length]}`
  const time = async (write: boolean) => {
    const ops = 30_000
    let best = Number.POSITIVE_INFINITY
    let bestCpu = Number.POSITIVE_INFINITY
    for (let round = 0; round < 5; round++) {
      const cpu = process.cpuUsage()
      const t = process.hrtime.bigint()
      for (let i = 0; i < ops; i++) {
        const opened = engine.open(cookieOf(i))
        const session = await opened.session.load()
        const user = session.get('user')
        if (user !== 'alice') throw new Error(`store lost a session (read ${String(user)})`)
        if (write) session.set('count', i)
        await opened.commit()
      }
      best = Math.min(best, Number(process.hrtime.bigint() - t) / ops)
      const used = process.cpuUsage(cpu)
      bestCpu = Math.min(bestCpu, ((used.user + used.system) * 1000) / ops)
    }
    return { wall: best, cpu: bestCpu }
  }
  const read = await time(false)
  const write = await time(true)
  return {
    sessions: count,
    bytesPerSession,
    readNs: read.wall,
    writeNs: write.wall,
    readCpuNs: read.cpu,
    writeCpuNs: write.cpu,
  }
}

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, sizes: { type: 'string', default: '1,1000,1000000' } },
})
const rows: ScaleRow[] = []
for (const count of (values.sizes ?? '').split(',').map(Number)) rows.push(await measure(count))
if (values.json === true) console.log(JSON.stringify({ rows }))
else for (const r of rows) console.log(r)
