/**
 * The suite's routes as one fetch handler, wrapped by `withSession`. Shared by the Node app and by
 * the Bun and Deno servers, so each runtime serves exactly the same code.
 */

import { requireKey, withSession } from '../../src/adapters/fetch.ts'
import type { Engine } from '../../src/engine.ts'
import { act, actionOf, lateBody, type SuiteData } from './harness.ts'

/** The fetch handler of the suite's app on `engine`. */
export function fetchApp(engine: Engine<SuiteData>): (request: Request) => Promise<Response> {
  return withSession(engine, async (request, session) => {
    const url = new URL(request.url)
    const action = actionOf(url.pathname)
    if (action !== undefined) {
      // A throwing action propagates: the runtime's own error handling answers 500.
      return Response.json(await act(action, session, url.searchParams))
    }
    await session.load()
    if (url.pathname === '/late') return new Response(lateBody(session))
    if (url.pathname === '/headers') {
      session.set('value', 'h')
      const headers = new Headers({ vary: 'Accept-Encoding' })
      headers.append('set-cookie', 'other=1; Path=/')
      headers.set('cache-control', 'max-age=0, private')
      return Response.json('ok', { headers })
    }
    if (url.pathname === '/redirect') {
      session.set('value', 'r')
      // Response.redirect has immutable headers: the adapter must copy it to add the cookie.
      return Response.redirect(new URL('/act/read', url), 302)
    }
    if (url.pathname === '/guarded') {
      const denied = await requireKey(session, 'value')
      return denied ?? Response.json({ value: session.get('value') })
    }
    return new Response('not found', { status: 404 })
  })
}
