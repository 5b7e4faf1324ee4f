/** The servers of the benchmark: which app, which variant, and how to start and stop each one. */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

import type { ScenarioId } from './scenarios.ts'

/** What is measured: the framework alone, a peer library, tessera, or a reference point with no session. */
export type Kind = 'bare' | 'peer' | 'tessera' | 'reference'

/** Where the session lives. */
export type Storage = 'none' | 'cookie' | 'memory' | 'sqlite' | 'redis'

/** One server of the run. */
export interface ServerSpec {
  /** `framework/library`, unique. */
  id: string
  framework:
    | 'hono'
    | 'express'
    | 'fastify'
    | 'koa'
    | 'node'
    | 'nest-express'
    | 'nest-fastify'
    | 'h3'
    | 'elysia'
    | 'next'
    | 'sveltekit'
    | 'demo'
    | 'fastapi'
  library: string
  kind: Kind
  storage: Storage
  /** Command and arguments, before pinning. */
  command: string[]
  /** Why this entry is here, shown in the table's notes. */
  note?: string
  /** The scenarios it runs, when not the default five. */
  scenarios?: ScenarioId[]
  /** Its own paths for some scenarios, and for the login (`setup`). */
  paths?: Partial<Record<ScenarioId | 'setup', string>>
  /** What its read endpoints answer, when not `alice`. */
  readAnswer?: string
  /**
   * A build before it can start (a production build), run once for all the servers that share it; the
   * server gets its directory in BENCH_APP_DIR, and runs there when `inAppDir`.
   */
  prepare?: Prepare
  inAppDir?: boolean
  /** Extra environment. */
  env?: Record<string, string>
}

/** A build step: `run` once per benchmark run, resolving to the directory it built. */
export interface Prepare {
  name: string
  run(): Promise<string>
}

/** A started server. */
export interface Running {
  spec: ServerSpec
  port: number
  process: ChildProcess
  output: string[]
}

/** Starts `spec` on `port`, pinned to `core`, and waits until it answers. */
export async function start(spec: ServerSpec, port: number, core: number, appDir?: string): Promise<Running> {
  const [command, ...args] = spec.command as [string, ...string[]]
  const child = spawn('taskset', ['-c', String(core), command, ...args], {
    env: {
      ...process.env,
      ...spec.env,
      ...(appDir ? { BENCH_APP_DIR: appDir } : {}),
      PORT: String(port),
      NODE_ENV: 'production',
    },
    ...(appDir && spec.inAppDir ? { cwd: appDir } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  child.stdout?.on('data', (d) => output.push(String(d)))
  child.stderr?.on('data', (d) => output.push(String(d)))
  const running = { spec, port, process: child, output }
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const res = await fetch(`http://127.0.0.1:${port}${spec.paths?.read ?? '/untouched'}`)
      await res.arrayBuffer()
      // Answered by this child, not by another program that took the port first.
      if (res.ok && child.exitCode === null && (await stillRunning(child))) return running
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  stop(running)
  throw new Error(`${spec.id} did not start on port ${port}:\n${output.join('')}`)
}

/** Whether `child` is alive a moment after its first answer (a listen error exits it at once). */
async function stillRunning(child: ChildProcess): Promise<boolean> {
  await sleep(200)
  return child.exitCode === null && child.signalCode === null
}

/** The first port from `from` on that nothing listens on at 127.0.0.1 (another bench or test may run). */
export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 1000; port++) {
    const free = await new Promise<boolean>((done) => {
      const probe = createServer()
      probe.once('error', () => done(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)))
    })
    if (free) return port
  }
  throw new Error(`no free port in ${from}..${from + 999} on 127.0.0.1`)
}

/** Stops a server (SIGTERM, then SIGKILL if it lingers). */
export function stop(running: Running): void {
  if (running.process.exitCode !== null) return
  running.process.kill('SIGTERM')
  const timer = setTimeout(() => running.process.kill('SIGKILL'), 2000)
  timer.unref()
  running.process.once('exit', () => clearTimeout(timer))
}

/** CPU time the process has used so far, in nanoseconds (user + system, from /proc). */
export function cpuNanoseconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1e9) / CLOCK_TICKS
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100
