/**
 * SvelteKit 2: the app in ./sveltekit, built by the runner (bench/lib/built-apps.ts, directory in
 * BENCH_APP_DIR), served by SvelteKit's own `Server` (what its adapters wrap) through
 * @hono/node-server's Request/Response bridge, as test/adapter-suite does. The variant's `handle`
 * hook and the endpoints' answers reach the built app through `platform`.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import type { Handle, RequestEvent } from '@sveltejs/kit'
import { sessions } from 'tessera-session/sveltekit'
import {
  type Bag,
  ENDPOINTS,
  handlerOf,
  listening,
  OPTIONS,
  PORT,
  unknownVariant,
  VARIANT,
} from './common.ts'

/** SvelteKit's built server. */
interface KitServer {
  init(options: { env: Record<string, string> }): Promise<void>
  respond(request: Request, options: { getClientAddress(): string; platform: unknown }): Promise<Response>
}

function handleOf(): Handle {
  switch (VARIANT) {
    case 'bare':
      return ({ event, resolve }) => resolve(event)
    case 'tessera':
      return sessions(OPTIONS)
    case 'noop':
      return async ({ event, resolve }) => await resolve(event)
    case 'vary':
      return async ({ event, resolve }) => {
        event.setHeaders({ vary: 'Cookie' })
        return await resolve(event)
      }
    default:
      return unknownVariant('sveltekit')
  }
}

const session =
  VARIANT === 'tessera' ? (event: RequestEvent) => event.locals.session as unknown as Bag : undefined
const routes = new Map(ENDPOINTS.map((e) => [e.path, handlerOf(e, session)]))
const platform = {
  handle: handleOf(),
  respond(event: RequestEvent): Response {
    const handle = routes.get(event.url.pathname)
    if (!handle) return new Response('not found', { status: 404 })
    return new Response(handle(event), { headers: { 'content-type': 'text/plain; charset=utf-8' } })
  },
}

const output = join(process.env.BENCH_APP_DIR ?? '', '.svelte-kit', 'output', 'server')
const { Server } = (await import(pathToFileURL(join(output, 'index.js')).href)) as {
  Server: new (manifest: unknown) => KitServer
}
const { manifest } = (await import(pathToFileURL(join(output, 'manifest.js')).href)) as { manifest: unknown }
const kit = new Server(manifest)
await kit.init({ env: {} })
serve(
  {
    fetch: (request) => kit.respond(request, { getClientAddress: () => '127.0.0.1', platform }),
    hostname: '127.0.0.1',
    port: PORT,
  },
  () => listening('sveltekit'),
)
