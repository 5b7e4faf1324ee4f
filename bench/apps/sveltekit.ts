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
import { ENDPOINTS, forVariant, handlerOf, listening, OPTIONS, PORT, tesseraSession } from './common.ts'

/** SvelteKit's built server. */
interface KitServer {
  init(options: { env: Record<string, string> }): Promise<void>
  respond(request: Request, options: { getClientAddress(): string; platform: unknown }): Promise<Response>
}

const bare: Handle = ({ event, resolve }) => resolve(event)
const noop: Handle = async ({ event, resolve }) => await resolve(event)
const vary: Handle = async ({ event, resolve }) => {
  event.setHeaders({ vary: 'Cookie' })
  return await resolve(event)
}
const handle = forVariant<Handle>('sveltekit', {
  bare: () => bare,
  tessera: () => sessions(OPTIONS),
  noop: () => noop,
  vary: () => vary,
})
const session = tesseraSession((event: RequestEvent) => event.locals.session)
const routes = new Map(ENDPOINTS.map((e) => [e.path, handlerOf(e, session)]))
const platform = {
  handle,
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
