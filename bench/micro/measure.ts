/** A tiny timing loop for micro-benchmarks: batches of calls, the fastest batch kept. */

/** A clock in nanoseconds. */
export type Clock = () => number

/** Elapsed time. */
export const wallClock: Clock = () => Number(process.hrtime.bigint())

/**
 * CPU time of the process (user + system): on a machine shared with other work, time spent waiting
 * for a core does not count, so batches interrupted by other processes are not slower. Microsecond
 * resolution, fine for batches of tens of milliseconds.
 */
export const cpuClock: Clock = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) * 1000
}

/** Nanoseconds per call of `fn`: the fastest of `batches` batches of about `batchMs` each. */
export function nsPerOp(fn: () => unknown, batches = 7, batchMs = 60, clock: Clock = wallClock): number {
  // Calibrate the batch size, which also warms the function up.
  let n = 100
  for (;;) {
    const t = clock()
    for (let i = 0; i < n; i++) sink(fn())
    const ms = (clock() - t) / 1e6
    if (ms > batchMs / 4) {
      n = Math.max(1, Math.round((n * batchMs) / ms))
      break
    }
    n *= 4
  }
  let fastest = Number.POSITIVE_INFINITY
  for (let b = 0; b < batches; b++) {
    const t = clock()
    for (let i = 0; i < n; i++) sink(fn())
    fastest = Math.min(fastest, (clock() - t) / n)
  }
  return fastest
}

let kept: unknown
/** Keeps results alive so the optimizer cannot drop the call. */
function sink(value: unknown): void {
  kept = value
}

/** The last value kept (read it so `sink` is not optimized out). */
export function lastKept(): unknown {
  return kept
}
