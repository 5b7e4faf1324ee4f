/**
 * The suite's routes as one fetch handler, wrapped by `withSession`. Shared by the Node app, the Bun
 * and Deno servers and the Next.js Route Handler, so each runtime serves exactly the same code.
 */

import { requireKey, withSession } from '../../src/adapters/fetch.ts'
import type { Engine } from '../../src/engine.ts'
import type { Session } from '../../src/session.ts'
import { act, actionOf, lateBody, type SuiteData } from './harness.ts'

/** The fetch handler of the suite's app on `engine`. */
export function fetchApp(engine: Engine<SuiteData>): (request: Request) => Promise<Response> {
  return withSession(engine, suiteRoutes)
}

/** The suite's routes, answered on a session the fetch adapter (or the Next.js one) opened. */
export async function suiteRoutes(request: Request, session: Session<SuiteData>): Promise<Response> {
  const url = new URL(request.url)
  const action = actionOf(url.pathname)
  if (action !== undefined) {
    // A throwing action propagates: the runtime's own error handling (Next.js' too) answers 500.
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
}
