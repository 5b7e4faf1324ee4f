/**
 * The memory store at scale: the cost of a request (open, load, read, commit) with 1, 1,000 and
 * 1,000,000 sessions stored, and the heap each small session takes. `--json` prints machine-readable
 * rows (used by bench/run.ts); `--sizes 1,1000000` picks the sizes; `--rounds 7` the timed rounds.
 *
 * Each size lives in a process of its own (./store-scale-worker.ts: one heap per size, so the
 * garbage collector of the 1-session store never marks the million sessions of another), filled
 * first; then the rounds go size after size, round after round, so that every size meets the same
 * moments of a shared machine: the ratios between sizes are side by side, as in the HTTP bench. A
 * round is 30,000 reads, then 30,000 writes, spread over min(size, 1,000) of the stored sessions;
 * each cost is the fastest round, in wall-clock (`readNs`, `writeNs`) and in the worker's CPU time
 * (`readCpuNs`, `writeCpuNs`), which does not count time spent waiting for a core.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Timing } from './store-scale-worker.ts'

/** One size of the store. */
export interface ScaleRow {
  sessions: number
  /** Heap taken per stored session, bytes (measured after a full GC). */
  bytesPerSession: number
  /** One request's session work (open, load, read a value, commit), nanoseconds. */
  readNs: number
  /** The same with a changed value (the store is written). */
  writeNs: number
  /** {@link readNs} in CPU time of the worker, nanoseconds. */
  readCpuNs: number
  /** {@link writeNs} in CPU time of the worker, nanoseconds. */
  writeCpuNs: number
}

const WORKER = fileURLToPath(new URL('./store-scale-worker.ts', import.meta.url))

/** A worker and the messages it sent that were not read yet (they may arrive before anyone waits). */
class Mailbox {
  readonly #waiting: ((message: unknown) => void)[] = []
  readonly #queued: unknown[] = []

  constructor(readonly worker: ChildProcess) {
    worker.on('message', (message) => {
      const take = this.#waiting.shift()
      if (take) take(message)
      else this.#queued.push(message)
    })
    worker.once('exit', (code) => {
      if (code)
        for (const take of this.#waiting.splice(0)) take(new Error(`store-scale worker exited ${code}`))
    })
  }

  /** The next message. */
  async next<T>(): Promise<T> {
    const message = this.#queued.length
      ? this.#queued.shift()
      : await new Promise((r) => this.#waiting.push(r))
    if (message instanceof Error) throw message
    return message as T
  }
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    sizes: { type: 'string', default: '1,1000,1000000' },
    rounds: { type: 'string', default: '7' },
  },
})
const sizes = (values.sizes ?? '').split(',').map(Number)
const rounds = Number(values.rounds)
if (sizes.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error(`--sizes: positive integers, got ${values.sizes}`)
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds: a positive integer, got ${values.rounds}`)

const workers = sizes.map(
  (count) =>
    new Mailbox(
      fork(WORKER, [String(count)], {
        // The worker inherits this process's flags (--conditions, --import tsx); it needs a full GC too.
        execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=4096'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    ),
)
try {
  // The workers fill their stores at the same time, each in its own heap; timing starts when all are full.
  const heap: number[] = []
  for (const worker of workers) heap.push(await worker.next<number>())
  const best = sizes.map(() => ({
    readNs: Infinity,
    writeNs: Infinity,
    readCpuNs: Infinity,
    writeCpuNs: Infinity,
  }))
  for (let round = 0; round < rounds; round++) {
    for (const [i, worker] of workers.entries()) {
      worker.worker.send('round')
      const t = await worker.next<Timing>()
      const b = best[i] as (typeof best)[number]
      b.readNs = Math.min(b.readNs, t.readNs)
      b.writeNs = Math.min(b.writeNs, t.writeNs)
      b.readCpuNs = Math.min(b.readCpuNs, t.readCpuNs)
      b.writeCpuNs = Math.min(b.writeCpuNs, t.writeCpuNs)
    }
  }
  const rows: ScaleRow[] = sizes.map((sessions, i) => ({
    sessions,
    bytesPerSession: heap[i] as number,
    ...(best[i] as (typeof best)[number]),
  }))
  if (values.json === true) console.log(JSON.stringify({ rows, rounds }))
  else for (const r of rows) console.log(r)
} finally {
  for (const { worker } of workers) worker.kill()
}
