/**
 * The scenarios of the instruction-count benchmark (`npm run bench:instructions`), shared by the
 * runner (bench/callgrind/run.ts) and the loop it runs under valgrind (bench/callgrind/app.ts).
 */
export interface Scenario {
  /** Passed to app.ts on its command line. */
  id: string
  /** The letter of the scenario in the brief and the results table. */
  tag: string
  description: string
}

export const SCENARIOS: readonly Scenario[] = [
  { id: 'bare', tag: 'a', description: 'bare Hono' },
  { id: 'noop', tag: 'b', description: 'Hono + async no-op middleware' },
  { id: 'vary', tag: 'c', description: 'Hono + no-op middleware adding `Vary: Cookie`' },
  { id: 'untouched', tag: 'd', description: 'cookie engine, route never touches the session' },
  { id: 'read', tag: 'e', description: 'cookie engine, read (same valid cookie: verified-cookie cache hit)' },
  {
    id: 'read-uncached',
    tag: 'e2',
    description: 'cookie engine, read (a distinct valid cookie per request: cache miss, HMAC)',
  },
  { id: 'write', tag: 'f', description: 'cookie engine, write (valid cookie, `set` a new value)' },
  { id: 'new', tag: 'g', description: 'cookie engine, new session (no cookie, `set`)' },
  { id: 'store-read', tag: 'h', description: 'store engine + memory store, read' },
  { id: 'store-write', tag: 'i', description: 'store engine + memory store, write (`set` a new value)' },
  { id: 'express-bare', tag: 'k', description: 'bare Express (in-process req/res, no socket)' },
  { id: 'express-noop', tag: 'l', description: 'Express + no-op middleware' },
  { id: 'express-vary', tag: 'm', description: 'Express + no-op middleware adding `Vary: Cookie`' },
  {
    id: 'express-untouched',
    tag: 'n',
    description: 'Express, cookie engine, route never touches the session',
  },
  { id: 'express-read', tag: 'o', description: 'Express, cookie engine, read (verified-cookie cache hit)' },
  { id: 'koa-bare', tag: 'p', description: 'bare Koa (in-process req/res, no socket)' },
  { id: 'koa-noop', tag: 'q', description: 'Koa + async no-op middleware' },
  { id: 'koa-vary', tag: 'r', description: 'Koa + async no-op middleware adding `Vary: Cookie`' },
  { id: 'koa-untouched', tag: 's', description: 'Koa, cookie engine, route never touches the session' },
  { id: 'koa-read', tag: 't', description: 'Koa, cookie engine, read (verified-cookie cache hit)' },
  { id: 'node-bare', tag: 'u', description: 'bare node:http handler (in-process req/res, no socket)' },
  { id: 'node-noop', tag: 'v', description: 'node:http handler wrapped in an async no-op' },
  { id: 'node-vary', tag: 'w', description: 'node:http, async wrapper setting `Vary: Cookie`' },
  { id: 'node-untouched', tag: 'x', description: 'node:http withSession, handler never touches the session' },
  { id: 'node-read', tag: 'y', description: 'node:http withSession, read (verified-cookie cache hit)' },
  { id: 'hmac', tag: 'j', description: 'raw HMAC-SHA1 of the cookie (node:crypto), no Hono: the floor' },
]

/** The reference scenarios the ratios are taken against. */
export const BARE = 'bare'
export const VARY = 'vary'
