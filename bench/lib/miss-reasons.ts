/**
 * Why a target of issue 13 or 14 is missed, as the profiles and counts of bench/results show it:
 * the reason column of the targets table, filled in only for a target the run missed. Each reason
 * names the file that holds its evidence. A target missed without a reason here says so in the table,
 * so a new miss cannot pass for an explained one.
 */

/** Reasons by the start of the target's text (the first that matches wins). */
const REASONS: [prefix: string, reason: string][] = [
  [
    'sveltekit (new adapter)',
    "tessera's own work is 9.2% of a served read's samples (implied 0.91x; profiles.md): the run's noise",
  ],
  [
    'next: cookie engine read',
    "Next.js serves ~300 req/s at 2-5 ms of CPU per request, tessera's work is lost in it; its reference (b) swung 196-571 req/s between rounds of this run; tessera read is 0.91x of Next's bare (met)",
  ],
  [
    'h3 (new adapter)',
    "tessera's own work is 6.45% of a served read's samples (profiles/h3-tessera-read.md): at the threshold, the run's noise",
  ],
  [
    'h3: cookie engine read',
    "tessera's own work is 6.45% of a served read's samples (implied 0.94x); profiled side by side, h3/tessera read 42.9 and h3/vary read 43.4 us of CPU per request (profiles/h3-tessera-read.md, h3-vary-read.md): the run's noise",
  ],
  [
    'nest-express: untouched',
    "as Express's untouched route: `req.session` added to a request Express re-prototypes per request (profiles.md, Untouched routes: Express)",
  ],
  [
    'express: untouched',
    "tessera is 2.4% of the route's CPU samples (implied 0.98x): the rest is the run's noise; what is left is `req.session` added to a request Express re-prototyped (profiles.md, Untouched routes)",
  ],
  [
    'fastify: untouched',
    "tessera is 1.4% of the samples (implied 0.99x): the run's noise (profiles.md, Untouched routes)",
  ],
  [
    'nest-fastify: untouched',
    "tessera is 1.1% of the samples (implied 0.99x): the run's noise (profiles.md, Untouched routes)",
  ],
  [
    'elysia: untouched',
    "tessera 12.6% of the samples (implied 0.87x): Elysia's `derive` opens a session and its async `onAfterHandle` is awaited on every request; derive assigns its values eagerly, so a lazy open needs another hook (profiles.md)",
  ],
  ['sveltekit: untouched', 'tessera 5.2% of the samples, implied 0.95x: on the threshold (profiles.md)'],
  [
    'hono: untouched',
    'instruction count 0.954x of (a) (instructions-ratios.md): a miss here is wall-clock noise',
  ],
  [
    'koa: untouched',
    'instruction count 0.953x of (a) (instructions-ratios.md): a miss here is wall-clock noise',
  ],
  [
    'node: untouched',
    'instruction count 0.926x of (a): `withSession` hands the handler a session, so `engine.open()` and the lazy hook run on every request (~0.9k of an 11.4k-instruction request; instructions-ratios.md)',
  ],
  [
    'express: cookie engine read',
    "tessera 13.1% of the samples (implied 0.87x); 9 points are V8 adding properties (the lazy hook's wrapped writeHead/write/end, `req.session`) to req/res that Express re-prototypes per request (bench/micro/prototype-adds.ts; profiles.md)",
  ],
  [
    'nest-express: cookie engine read',
    "tessera 11.7% (implied 0.88x): as Express, ~7.5 points of property adds on Express's re-prototyped req/res (profiles.md)",
  ],
  [
    'koa: cookie engine read',
    'tessera 7.2% of the samples (implied 0.93x); instruction count 0.77x of (b) in process, where no socket work dilutes it (profiles.md)',
  ],
  [
    'node: cookie engine read',
    "tessera 15.7% of the samples (implied 0.84x): a bare node:http read is ~30 us of CPU, tessera's fixed ~5 us (cookie parse, cache, session state, hook) is a large share of it (profiles.md)",
  ],
  [
    'nest-fastify: cookie engine read',
    'tessera 7.3% (implied 0.93x) plus a Fastify `Reply.then` (3%) only on the tessera route, not traced (profiles.md)',
  ],
  [
    'elysia: cookie engine read',
    'tessera 26.7% of the samples under Bun (implied 0.73x): derive + awaited onAfterHandle on every request, and the Cookie header parsed twice (Elysia parses it too) (profiles.md)',
  ],
  [
    'sveltekit: cookie engine read',
    "tessera 9.2% of the samples (implied 0.91x): the run's noise (profiles.md)",
  ],
  [
    'hono: cookie engine read',
    "tessera is 9.5% of a served read's samples (profiles.md); in process, where no socket work dilutes it, read is 0.76x of (b) in instructions (93.6k vs 71.3k: cookie parse, verified-cookie cache, JSON.parse of the payload, session object, lazy hooks; instructions-ratios.md, instructions-refactor-ab.md)",
  ],
  [
    'hono: cookie engine new',
    'tessera 23.1% of the samples (implied 0.77x); the HMAC-SHA1 through node:crypto is the floor: ~24k instructions per createHmac, a KeyObject key does not lower it (profiles.md, this README)',
  ],
  [
    'hono: cookie engine write',
    'signing (one createHmac, ~24k instructions) and the Set-Cookie + Cache-Control headers (profiles.md, instructions-refactor-ab.md)',
  ],
  [
    'fastify: cookie engine',
    'tessera 19.5% of a new (implied 0.81x); the HMAC through node:crypto is 8.2% of the samples (profiles.md)',
  ],
  [
    'express: cookie engine',
    "tessera 20-23% of the samples (implied 0.77-0.80x): the HMAC (node:crypto) and the property adds on Express's re-prototyped res (profiles.md)",
  ],
  [
    'koa: cookie engine',
    'tessera 20-25% of the samples (implied 0.75-0.80x): the HMAC 7.7-8.1%, JSON parse and stringify of the session (profiles.md)',
  ],
  [
    'hono: memory store read',
    "an asynchronous store round per request (await, the deadline wrapper of stores/timeout.ts, microtasks, GC 6.1% vs 1.9%): tessera 16.6% of the samples vs 9.5% for the cookie read (profiles.md); in process a store read costs 1.01x a cookie read's instructions (94.9k vs 93.6k), and in this run even the store apps' untouched route, which never calls the store, measured 0.7-0.8x of the cookie app's: a per-process gap the profiles do not explain (README, per-process bias)",
  ],
  [
    'hono: SQLite store read',
    "a synchronous SQLite SELECT per request through the asynchronous store contract, and the per-process gap of the store apps (their untouched route, which makes no store call, measured 0.7-0.8x of the cookie app's; README, per-process bias)",
  ],
  [
    'hono: Redis store read',
    "a Redis round trip per request: 47-59% of the server's samples idle waiting for Redis on the same 2 cores; compare the one-GET reference row hono/redis-get (profiles.md, store-redis.md)",
  ],
  [
    'hono: Redis store write, one session',
    'two Redis round trips per write (load, merge script); the server idles on Redis; compare hono/redis-get (profiles.md, store-redis.md)',
  ],
  [
    'hono: Redis store write, all connections',
    "rate met (contended 1.02x of uncontended: the merge script needs no retry, 2 round trips per write, store-redis.md); p99 over 25 ms is queueing of 50 connections on two round trips per request, not retries: the uncontended write-each p99 of the same run is higher still (store-redis.md, Little's law)",
  ],
  [
    'memory store: read cost',
    'the same code reading 1,000 different sessions instead of one, then a hash table of 1,000,000: last-level cache misses per request rise from 0 to ~25 (cachegrind, store-scale.md)',
  ],
  [
    'memory store: write cost',
    'as read, plus the garbage collector marking the heap of 1,000,000 sessions when written records are promoted (store-scale.md)',
  ],
  ['nest-express (new adapter)', "Express's re-prototyped req/res: the property adds above (profiles.md)"],
  ['nest-fastify (new adapter)', 'tessera 7.3% (implied 0.93x) plus `Reply.then` (profiles.md)'],
  ['elysia (new adapter)', 'see the Elysia read above (profiles.md)'],
  [
    'demo',
    "the demo's bodyLimit built a whole Web Request on every GET (32.9% of the samples); limited to body-carrying methods since 95ae491 (profiles.md, The demo)",
  ],
]

/** The reason recorded for a missed target, or a note that there is none yet. */
export function reasonFor(target: string): string {
  const found = REASONS.find(([prefix]) => target.startsWith(prefix))
  return found ? found[1] : '**no profile-backed reason recorded** (bench/lib/miss-reasons.ts)'
}
