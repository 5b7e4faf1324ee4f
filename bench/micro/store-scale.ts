/**
 * The memory store at scale: the cost of a request (open, load, read, commit) with 1, 1,000 and
 * 1,000,000 sessions stored, and the heap each small session takes. Run with --expose-gc;
 * `--json` prints machine-readable rows (used by bench/run.ts).
 */
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
    for (let round = 0; round < 5; round++) {
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
    }
    return best
  }
  return { sessions: count, bytesPerSession, readNs: await time(false), writeNs: await time(true) }
}

const rows: ScaleRow[] = []
for (const count of [1, 1_000, 1_000_000]) rows.push(await measure(count))
if (process.argv.includes('--json')) console.log(JSON.stringify({ rows }))
else for (const r of rows) console.log(r)
