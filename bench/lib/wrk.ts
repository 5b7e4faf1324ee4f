/** Runs wrk pinned to the load-generator core and reads its summary. */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** One wrk run's numbers. */
export interface WrkResult {
  requestsPerSecond: number
  /** 99th percentile latency, milliseconds. */
  p99Ms: number
  requests: number
  /** Responses that were not 2xx/3xx, plus socket errors: any of them makes the run invalid. */
  errors: number
}

/** Options of {@link wrk}. */
export interface WrkOptions {
  url: string
  /** One Cookie header for every request, or several handed out round-robin (one session per connection). */
  cookie: string | string[] | undefined
  /** Instead of `url`'s path and `cookie`: these requests in turn (the warm-up of every endpoint at once). */
  rotate?: Rotation[]
  seconds: number
  connections: number
  /** CPU the load generator runs on. */
  core: number
}

/** One request of a rotation. */
export interface Rotation {
  path: string
  cookie: string | undefined
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60000 }

/** Parses wrk's `--latency` summary. */
export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output)
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output)
  const requests = /(\d+) requests in/.exec(output)
  if (!rps || !p99 || !requests) throw new Error(`unexpected wrk output:\n${output}`)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0
  return {
    requestsPerSecond: Number(rps[1]),
    p99Ms: Number(p99[1]) * (UNIT_MS[p99[2] as string] ?? Number.NaN),
    requests: Number(requests[1]),
    errors: non2xx + socketErrors,
  }
}

/** Drives `url` for `seconds` with wrk (one thread, pinned with taskset). */
export async function wrk(options: WrkOptions): Promise<WrkResult> {
  const args = ['-c', String(options.core), 'wrk', '-t1', `-c${options.connections}`, `-d${options.seconds}s`]
  args.push('--latency', '--timeout', '5s')
  let dir: string | undefined
  const path = new URL(options.url).pathname
  const rotation =
    options.rotate ??
    (Array.isArray(options.cookie) ? options.cookie.map((cookie) => ({ path, cookie })) : [])
  if (rotation.length > 0) {
    dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'))
    writeFileSync(join(dir, 'rotate.lua'), roundRobin(rotation))
    args.push('-s', join(dir, 'rotate.lua'))
  } else if (typeof options.cookie === 'string') args.push('-H', `Cookie: ${options.cookie}`)
  args.push(options.url)
  try {
    const { stdout } = await run('taskset', args, { timeout: (options.seconds + 30) * 1000 })
    return parseWrk(stdout)
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A wrk script that sends the requests in turn. For one session per connection (N connections, N
 * cookies), consecutive requests carry different sessions, so most of the N requests in flight at any
 * moment carry different sessions (wrk sends a connection's next request when its answer arrives).
 */
function roundRobin(rotation: Rotation[]): string {
  // JSON string literals are valid Lua string literals for these (paths, base64, dots, dashes, `=`, `;`).
  const entries = rotation.map(
    (r) =>
      `{ ${JSON.stringify(r.path)}, ${r.cookie === undefined ? 'nil' : `{ Cookie = ${JSON.stringify(r.cookie)} }`} }`,
  )
  return [
    `local entries = {\n  ${entries.join(',\n  ')}\n}`,
    'local i = 0',
    'request = function()',
    '  i = i + 1',
    '  local e = entries[(i % #entries) + 1]',
    '  return wrk.format(nil, e[1], e[2])',
    'end',
    '',
  ].join('\n')
}
