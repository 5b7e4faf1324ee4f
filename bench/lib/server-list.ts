/** Every server of the benchmark, grouped by framework, bare first in each group. */
import { createRequire } from 'node:module'
import type { ScenarioId } from './scenarios.ts'
import type { Kind, ServerSpec, Storage } from './servers.ts'

type Framework = ServerSpec['framework']
/** What a server may add to the required fields. */
export type Extra = Partial<Omit<ServerSpec, 'framework' | 'library' | 'kind' | 'storage' | 'command'>>

const NODE = [process.execPath, '--conditions=tessera-session-source', '--import', 'tsx']
/** A bench app under Node (tsx, tessera from src/): `node(app)(variant)`. */
export const node = (app: string) => (variant: string) => [...NODE, `bench/apps/${app}.ts`, variant]
const PYTHON = '/usr/bin/python3'
// Elysia runs on Bun: the `bun` dev dependency's binary.
const BUN = createRequire(import.meta.url).resolve('bun/bin/bun.exe')
const bun = (app: string) => (variant: string) => [
  BUN,
  'run',
  '--conditions=tessera-session-source',
  `bench/apps/${app}.ts`,
  variant,
]

/** One server; its id is `framework/library` unless `extra.id` says otherwise. */
export function spec(
  framework: Framework,
  library: string,
  kind: Kind,
  storage: Storage,
  command: string[],
  extra: Extra = {},
): ServerSpec {
  return { id: `${framework}/${library}`, framework, library, kind, storage, command, ...extra }
}

/**
 * The references of issue 13 that hold no session ((a) an async no-op middleware, (b) the same plus
 * `Vary: Cookie`), as variants `noop` and `vary` of the framework's bench app. Their targets compare
 * the untouched route with (a) and read with (b), so elsewhere they run those two scenarios only.
 */
export function references(
  framework: Framework,
  command: (variant: string) => string[],
  scenarios: ScenarioId[] | 'all' = ['read', 'untouched'],
  more: (variant: string) => Extra = () => ({}),
): ServerSpec[] {
  const extra = (variant: string): Extra => ({
    id: `${framework}/${variant}`,
    ...(scenarios === 'all' ? {} : { scenarios }),
    ...more(variant),
  })
  return [
    spec(framework, 'reference (a): async no-op middleware', 'reference', 'none', command('noop'), {
      ...extra('noop'),
      note: 'no session: an async middleware that only passes the request on',
    }),
    spec(framework, 'reference (b): no-op + Vary: Cookie', 'reference', 'none', command('vary'), {
      ...extra('vary'),
      note: 'no session: the no-op middleware plus a `Vary: Cookie` response header',
    }),
  ]
}

/** The bare framework, tessera on it, and its two references. */
function framework(
  name: Framework,
  command: (variant: string) => string[],
  variants = { bare: 'bare', tessera: 'tessera', noop: 'noop', vary: 'vary' },
): ServerSpec[] {
  return [
    spec(name, 'bare', 'bare', 'none', command(variants.bare)),
    spec(name, 'tessera', 'tessera', 'cookie', command(variants.tessera)),
    ...references(name, (v) => command(v === 'noop' ? variants.noop : variants.vary)),
  ]
}

const nest = (platform: string) => ({
  bare: `${platform}-bare`,
  tessera: `${platform}-tessera`,
  noop: `${platform}-noop`,
  vary: `${platform}-vary`,
})

const sealedNote = (peer: string) =>
  `tessera's encrypted format, cached(sealed()): AES-256-GCM, beside ${peer}`

/** Every server but the built apps (./built-apps.ts). */
export const NODE_SERVERS: ServerSpec[] = [
  spec('hono', 'bare', 'bare', 'none', node('hono')('bare')),
  spec('hono', 'tessera', 'tessera', 'cookie', node('hono')('tessera')),
  spec('hono', 'hono-sessions', 'peer', 'cookie', node('hono')('hono-sessions')),
  spec('hono', '@hono/session', 'peer', 'cookie', node('hono')('hono-session'), {
    id: 'hono/hono-session',
    note: 'the official Hono session middleware: an encrypted JWT (jose), `duration.absolute` of 14 days',
  }),
  spec('hono', 'tessera + memory store', 'tessera', 'memory', node('hono-stores')('memory'), {
    id: 'hono/tessera-memory',
  }),
  spec('hono', 'tessera + SQLite store', 'tessera', 'sqlite', node('hono-stores')('sqlite'), {
    id: 'hono/tessera-sqlite',
    note: 'a SQLite file (WAL) in a fresh temporary directory, removed when the server exits',
  }),
  spec('hono', 'tessera + Redis store', 'tessera', 'redis', node('hono-stores')('redis'), {
    id: 'hono/tessera-redis',
    scenarios: ['read', 'write', 'write-each', 'new', 'untouched', 'large'],
  }),
  // The limit of the Redis store's targets: whatever a Redis-backed session does, it waits for Redis.
  spec(
    'hono',
    'reference (r): one Redis GET per request',
    'reference',
    'redis',
    node('hono-stores')('redis-get'),
    {
      id: 'hono/redis-get',
      scenarios: ['read', 'write'],
      note: "no session: a middleware awaits one `GET` on a node-redis client set up as the Redis store's own",
    },
  ),
  // Every scenario on Hono: the write and new rows of the analysis in README.md compare with them.
  ...references('hono', node('hono'), 'all'),

  ...framework('express', node('express')),
  spec('express', 'express-session (memory)', 'peer', 'memory', node('express-peers')('express-session'), {
    id: 'express/express-session',
  }),
  spec(
    'express',
    'express-session + connect-redis',
    'peer',
    'redis',
    node('express-peers')('express-session-redis'),
    { id: 'express/express-session-redis' },
  ),
  spec('express', 'cookie-session', 'peer', 'cookie', node('express-peers')('cookie-session')),
  spec('express', 'iron-session', 'peer', 'cookie', node('express-peers')('iron-session')),
  spec('express', 'tessera, sealed', 'tessera', 'cookie', node('express')('tessera-sealed'), {
    id: 'express/tessera-sealed',
    note: sealedNote('iron-session'),
  }),

  ...framework('fastify', node('fastify')),
  spec('fastify', '@fastify/secure-session', 'peer', 'cookie', node('fastify-peers')('secure-session'), {
    id: 'fastify/secure-session',
  }),
  spec('fastify', 'tessera, sealed', 'tessera', 'cookie', node('fastify')('tessera-sealed'), {
    id: 'fastify/tessera-sealed',
    note: sealedNote('@fastify/secure-session'),
  }),
  spec('fastify', '@fastify/session (memory)', 'peer', 'memory', node('fastify-peers')('session'), {
    id: 'fastify/session',
  }),

  ...framework('koa', node('koa')),
  spec('koa', 'koa-session', 'peer', 'cookie', node('koa-peers')('koa-session')),

  ...framework('node', node('node')),

  ...framework('nest-express', node('nest'), nest('express')),
  spec('nest-express', 'express-session (memory)', 'peer', 'memory', node('nest-peers')('express-session'), {
    id: 'nest-express/express-session',
  }),
  ...framework('nest-fastify', node('nest'), nest('fastify')),
  spec('nest-fastify', '@fastify/secure-session', 'peer', 'cookie', node('nest-peers')('fastify-secure'), {
    id: 'nest-fastify/secure-session',
  }),

  ...framework('h3', node('h3')),
  ...framework('elysia', bun('elysia')),
]

/** The demo's `/read_session` after `/create_session`: its JSON answer. */
const demo = (variant: string): Extra => ({
  id: `demo/${variant}`,
  scenarios: ['read'],
  paths: { read: '/read_session', setup: '/create_session' },
  readAnswer: '"1234"',
})

/** The demo (`npm start`) beside a bare Hono app with the same security-header middleware. */
export const DEMO_SERVERS: ServerSpec[] = [
  spec('demo', 'bare Hono + the same secureHeaders()', 'bare', 'none', node('demo')('bare'), demo('bare')),
  spec('demo', 'the demo app', 'tessera', 'cookie', node('demo')('tessera'), demo('tessera')),
]

/** The seed's FastAPI app and bare FastAPI. */
export const FASTAPI_SERVERS: ServerSpec[] = [
  spec('fastapi', 'bare', 'bare', 'none', [PYTHON, 'bench/apps/fastapi_app.py', 'bare']),
  spec(
    'fastapi',
    "the seed's app (SessionMiddleware)",
    'peer',
    'cookie',
    [PYTHON, 'bench/apps/fastapi_app.py', 'session'],
    { id: 'fastapi/session', note: 'uvicorn with uvloop and httptools, as uvicorn[standard] runs' },
  ),
  spec(
    'fastapi',
    "the seed's app on Debian's uvicorn (h11)",
    'peer',
    'cookie',
    [PYTHON, 'bench/apps/fastapi_app.py', 'session', 'h11'],
    {
      id: 'fastapi/session-h11',
      note: 'python3-fastapi + python3-uvicorn as packaged, without uvloop/httptools: asyncio loop, h11 parser',
    },
  ),
]
