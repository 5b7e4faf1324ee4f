/** The servers of the benchmark: which app, which variant, and how to start and stop each one. */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'

/** What is measured: the framework alone, a peer library, tessera, or a reference point with no session. */
export type Kind = 'bare' | 'peer' | 'tessera' | 'reference'

/** Where the session lives. */
export type Storage = 'none' | 'cookie' | 'memory' | 'redis'

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
    | 'fastapi'
  library: string
  kind: Kind
  storage: Storage
  /** Command and arguments, before pinning. */
  command: string[]
  /** Why this entry is here, shown in the table's notes. */
  note?: string
}

const NODE = [process.execPath, '--conditions=tessera-session-source', '--import', 'tsx']
const node = (app: string, variant: string) => [...NODE, `bench/apps/${app}.ts`, variant]
const PYTHON = '/usr/bin/python3'
// Elysia runs on Bun: the `bun` dev dependency's binary.
const BUN = createRequire(import.meta.url).resolve('bun/bin/bun.exe')
const bun = (app: string, variant: string) => [
  BUN,
  'run',
  '--conditions=tessera-session-source',
  `bench/apps/${app}.ts`,
  variant,
]

/** Every server, grouped by framework; bare first in each group. */
export const SERVERS: ServerSpec[] = [
  server('hono', 'bare', 'bare', 'none', node('hono', 'bare')),
  server('hono', 'tessera', 'tessera', 'cookie', node('hono', 'tessera')),
  server('hono', 'hono-sessions', 'peer', 'cookie', node('hono', 'hono-sessions')),
  server(
    'hono',
    'tessera + memory store',
    'tessera',
    'memory',
    node('hono-stores', 'memory'),
    'hono/tessera-memory',
  ),
  server(
    'hono',
    'tessera + Redis store',
    'tessera',
    'redis',
    node('hono-stores', 'redis'),
    'hono/tessera-redis',
  ),
  server(
    'hono',
    'reference: Vary: Cookie only',
    'reference',
    'none',
    node('hono', 'vary'),
    'hono/vary',
    'no session: the no-op middleware plus a Vary: Cookie header set before the response is built',
  ),

  server('express', 'bare', 'bare', 'none', node('express', 'bare')),
  server('express', 'tessera', 'tessera', 'cookie', node('express', 'tessera')),
  server(
    'express',
    'express-session (memory)',
    'peer',
    'memory',
    node('express-peers', 'express-session'),
    'express/express-session',
  ),
  server(
    'express',
    'express-session + connect-redis',
    'peer',
    'redis',
    node('express-peers', 'express-session-redis'),
    'express/express-session-redis',
  ),
  server('express', 'cookie-session', 'peer', 'cookie', node('express-peers', 'cookie-session')),
  server('express', 'iron-session', 'peer', 'cookie', node('express-peers', 'iron-session')),
  server(
    'express',
    'tessera, sealed',
    'tessera',
    'cookie',
    node('express', 'tessera-sealed'),
    'express/tessera-sealed',
    "tessera's encrypted format, cached(sealed()): AES-256-GCM, beside iron-session",
  ),

  server('fastify', 'bare', 'bare', 'none', node('fastify', 'bare')),
  server('fastify', 'tessera', 'tessera', 'cookie', node('fastify', 'tessera')),
  server(
    'fastify',
    '@fastify/secure-session',
    'peer',
    'cookie',
    node('fastify-peers', 'secure-session'),
    'fastify/secure-session',
  ),
  server(
    'fastify',
    'tessera, sealed',
    'tessera',
    'cookie',
    node('fastify', 'tessera-sealed'),
    'fastify/tessera-sealed',
    "tessera's encrypted format, cached(sealed()): AES-256-GCM, beside @fastify/secure-session",
  ),
  server(
    'fastify',
    '@fastify/session (memory)',
    'peer',
    'memory',
    node('fastify-peers', 'session'),
    'fastify/session',
  ),

  server('koa', 'bare', 'bare', 'none', node('koa', 'bare')),
  server('koa', 'tessera', 'tessera', 'cookie', node('koa', 'tessera')),
  server('koa', 'koa-session', 'peer', 'cookie', node('koa-peers', 'koa-session')),

  server('node', 'bare', 'bare', 'none', node('node', 'bare')),
  server('node', 'tessera', 'tessera', 'cookie', node('node', 'tessera')),

  server('nest-express', 'bare', 'bare', 'none', node('nest', 'express-bare')),
  server('nest-express', 'tessera', 'tessera', 'cookie', node('nest', 'express-tessera')),
  server(
    'nest-express',
    'express-session (memory)',
    'peer',
    'memory',
    node('nest', 'express-session'),
    'nest-express/express-session',
  ),
  server('nest-fastify', 'bare', 'bare', 'none', node('nest', 'fastify-bare')),
  server('nest-fastify', 'tessera', 'tessera', 'cookie', node('nest', 'fastify-tessera')),
  server(
    'nest-fastify',
    '@fastify/secure-session',
    'peer',
    'cookie',
    node('nest', 'fastify-secure'),
    'nest-fastify/secure-session',
  ),

  server('h3', 'bare', 'bare', 'none', node('h3', 'bare')),
  server('h3', 'tessera', 'tessera', 'cookie', node('h3', 'tessera')),

  server('elysia', 'bare', 'bare', 'none', bun('elysia', 'bare')),
  server('elysia', 'tessera', 'tessera', 'cookie', bun('elysia', 'tessera')),

  server('fastapi', 'bare', 'bare', 'none', [PYTHON, 'bench/apps/fastapi_app.py', 'bare']),
  server(
    'fastapi',
    "the seed's app (SessionMiddleware)",
    'peer',
    'cookie',
    [PYTHON, 'bench/apps/fastapi_app.py', 'session'],
    'fastapi/session',
    'uvicorn with uvloop and httptools, as uvicorn[standard] runs',
  ),
  server(
    'fastapi',
    "the seed's app on Debian's uvicorn (h11)",
    'peer',
    'cookie',
    [PYTHON, 'bench/apps/fastapi_app.py', 'session', 'h11'],
    'fastapi/session-h11',
    'python3-fastapi + python3-uvicorn as packaged, without uvloop/httptools: asyncio loop, h11 parser',
  ),
]

function server(
  framework: ServerSpec['framework'],
  library: string,
  kind: Kind,
  storage: Storage,
  command: string[],
  id = `${framework}/${library}`,
  note?: string,
): ServerSpec {
  return note === undefined
    ? { id, framework, library, kind, storage, command }
    : { id, framework, library, kind, storage, command, note }
}

/** A started server. */
export interface Running {
  spec: ServerSpec
  port: number
  process: ChildProcess
  output: string[]
}

/** Starts `spec` on `port`, pinned to `core`, and waits until it answers. */
export async function start(spec: ServerSpec, port: number, core: number): Promise<Running> {
  const [command, ...args] = spec.command as [string, ...string[]]
  const child = spawn('taskset', ['-c', String(core), command, ...args], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  child.stdout?.on('data', (d) => output.push(String(d)))
  child.stderr?.on('data', (d) => output.push(String(d)))
  const running = { spec, port, process: child, output }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const res = await fetch(`http://127.0.0.1:${port}/untouched`)
      await res.arrayBuffer()
      if (res.ok) return running
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  stop(running)
  throw new Error(`${spec.id} did not start on port ${port}:\n${output.join('')}`)
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
