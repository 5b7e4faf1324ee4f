/** The servers of the benchmark: which app, which variant, and how to start and stop each one. */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** What is measured: the framework alone, a peer library, or tessera. */
export type Kind = 'bare' | 'peer' | 'tessera'

/** Where the session lives. */
export type Storage = 'none' | 'cookie' | 'memory' | 'redis'

/** One server of the run. */
export interface ServerSpec {
  /** `framework/library`, unique. */
  id: string
  framework: 'hono' | 'express' | 'fastify' | 'koa' | 'node' | 'fastapi'
  library: string
  kind: Kind
  storage: Storage
  /** Command and arguments, before pinning. */
  command: string[]
  /** Why this entry is here, shown in the table's notes. */
  note?: string
}

const NODE = [process.execPath, '--conditions=tessera-source', '--import', 'tsx']
const node = (app: string, variant: string) => [...NODE, `bench/apps/${app}.ts`, variant]
const PYTHON = '/usr/bin/python3'

/** Every server, grouped by framework; bare first in each group. */
export const SERVERS: ServerSpec[] = [
  {
    id: 'hono/bare',
    framework: 'hono',
    library: 'bare',
    kind: 'bare',
    storage: 'none',
    command: node('hono', 'bare'),
  },
  {
    id: 'hono/tessera',
    framework: 'hono',
    library: 'tessera',
    kind: 'tessera',
    storage: 'cookie',
    command: node('hono', 'tessera'),
  },
  {
    id: 'hono/hono-sessions',
    framework: 'hono',
    library: 'hono-sessions',
    kind: 'peer',
    storage: 'cookie',
    command: node('hono', 'hono-sessions'),
  },

  {
    id: 'express/bare',
    framework: 'express',
    library: 'bare',
    kind: 'bare',
    storage: 'none',
    command: node('express', 'bare'),
  },
  {
    id: 'express/tessera-node',
    framework: 'express',
    library: 'tessera (node adapter)',
    kind: 'tessera',
    storage: 'cookie',
    command: node('express', 'tessera'),
    note: "tessera's node:http adapter inside Express handlers",
  },
  {
    id: 'express/express-session',
    framework: 'express',
    library: 'express-session (memory)',
    kind: 'peer',
    storage: 'memory',
    command: node('express', 'express-session'),
  },
  {
    id: 'express/express-session-redis',
    framework: 'express',
    library: 'express-session + connect-redis',
    kind: 'peer',
    storage: 'redis',
    command: node('express', 'express-session-redis'),
  },
  {
    id: 'express/cookie-session',
    framework: 'express',
    library: 'cookie-session',
    kind: 'peer',
    storage: 'cookie',
    command: node('express', 'cookie-session'),
  },
  {
    id: 'express/iron-session',
    framework: 'express',
    library: 'iron-session',
    kind: 'peer',
    storage: 'cookie',
    command: node('express', 'iron-session'),
  },

  {
    id: 'fastify/bare',
    framework: 'fastify',
    library: 'bare',
    kind: 'bare',
    storage: 'none',
    command: node('fastify', 'bare'),
  },
  {
    id: 'fastify/secure-session',
    framework: 'fastify',
    library: '@fastify/secure-session',
    kind: 'peer',
    storage: 'cookie',
    command: node('fastify', 'secure-session'),
  },
  {
    id: 'fastify/session',
    framework: 'fastify',
    library: '@fastify/session (memory)',
    kind: 'peer',
    storage: 'memory',
    command: node('fastify', 'session'),
  },

  {
    id: 'koa/bare',
    framework: 'koa',
    library: 'bare',
    kind: 'bare',
    storage: 'none',
    command: node('koa', 'bare'),
  },
  {
    id: 'koa/tessera-node',
    framework: 'koa',
    library: 'tessera (node adapter)',
    kind: 'tessera',
    storage: 'cookie',
    command: node('koa', 'tessera'),
    note: "tessera's node:http adapter on ctx.req/ctx.res",
  },
  {
    id: 'koa/koa-session',
    framework: 'koa',
    library: 'koa-session',
    kind: 'peer',
    storage: 'cookie',
    command: node('koa', 'koa-session'),
  },

  {
    id: 'node/bare',
    framework: 'node',
    library: 'bare',
    kind: 'bare',
    storage: 'none',
    command: node('node', 'bare'),
  },
  {
    id: 'node/tessera',
    framework: 'node',
    library: 'tessera',
    kind: 'tessera',
    storage: 'cookie',
    command: node('node', 'tessera'),
  },

  {
    id: 'fastapi/bare',
    framework: 'fastapi',
    library: 'bare',
    kind: 'bare',
    storage: 'none',
    command: [PYTHON, 'bench/apps/fastapi_app.py', 'bare'],
  },
  {
    id: 'fastapi/session',
    framework: 'fastapi',
    library: "the seed's app (SessionMiddleware)",
    kind: 'peer',
    storage: 'cookie',
    command: [PYTHON, 'bench/apps/fastapi_app.py', 'session'],
  },
]

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
