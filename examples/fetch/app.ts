/**
 * tessera on a plain fetch handler: the same code serves Bun.serve, Deno.serve, Workers and Next.js
 * route handlers. Run on Node: npx tsx --conditions=tessera-session-source examples/fetch/app.ts
 * (On Bun: `export default { fetch: createApp(options) }`; on Deno: `Deno.serve(createApp(options))`.)
 */
import { serve } from '@hono/node-server'
import { login, logout, type SessionOptions } from 'tessera-session'
import { requireKey, withSession } from 'tessera-session/fetch'
import { type AppSession, address, exampleOptions, isMain } from '../shared/session.ts'

export function createApp(options: SessionOptions) {
  return withSession<AppSession>(options, async (request, session) => {
    const url = new URL(request.url)
    switch (url.pathname) {
      case '/login':
        await login(session, { user: url.searchParams.get('user') ?? 'anonymous' })
        return Response.json({ ok: true })
      case '/logout':
        await logout(session)
        return Response.json({ ok: true })
      case '/me': {
        // Depends(require_user): a 401 when nobody is signed in.
        const denied = await requireKey(session, 'user')
        return denied ?? Response.json({ user: session.get('user') })
      }
      case '/visits': {
        const visits = (session.get('visits') ?? 0) + 1
        session.set('visits', visits)
        return Response.json({ visits })
      }
      default:
        return new Response('not found', { status: 404 })
    }
  })
}

if (isMain(import.meta.url)) {
  serve({ fetch: createApp(exampleOptions()), hostname: address.host, port: address.port })
  console.log(`fetch example on http://${address.host}:${address.port}`)
}
