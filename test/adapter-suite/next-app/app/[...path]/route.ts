// Every route of the suite, as one Route Handler. The session wrapper (`nextSessions(engine).route`)
// and the suite's behaviour come from the test process through `globalThis` (see ../../../apps/next.ts):
// one build serves every engine the suite starts, and the adapter keeps the suite's module graph.
import type { NextRequest } from 'next/server.js'
import type { NextSuite } from '../../../apps/next.ts'

// Every request reaches the handler: nothing here is prerendered or cached.
export const dynamic = 'force-dynamic'

export function GET(request: NextRequest): Promise<Response> {
  const suite = (globalThis as { tesseraNextSuite?: NextSuite }).tesseraNextSuite
  if (suite === undefined) throw new Error('the suite did not register its apps')
  const app = suite.apps.get(request.headers.get(suite.header) ?? '')
  if (app === undefined) return Promise.resolve(new Response('no suite app', { status: 404 }))
  return app.route(async (request, session) => {
    const url = new URL(request.url)
    const action = suite.actionOf(url.pathname)
    // A throwing action propagates: Next.js answers 500 itself.
    if (action !== undefined) return Response.json(await suite.act(action, session, url.searchParams))
    await session.load()
    if (url.pathname === '/late') {
      const encoder = new TextEncoder()
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('first;'))
        },
        pull(controller) {
          suite.lateWrite(session)
          controller.enqueue(encoder.encode('second'))
          controller.close()
        },
      })
      return new Response(body)
    }
    if (url.pathname === '/headers') {
      session.set('value', 'h')
      const headers = new Headers({ vary: 'Accept-Encoding' })
      headers.append('set-cookie', 'other=1; Path=/')
      headers.set('cache-control', 'max-age=0, private')
      return Response.json('ok', { headers })
    }
    if (url.pathname === '/redirect') {
      session.set('value', 'r')
      return Response.redirect(new URL('/act/read', url), 302)
    }
    if (url.pathname === '/guarded') {
      return (await suite.requireKey(session, 'value')) ?? Response.json({ value: session.get('value') })
    }
    return new Response('not found', { status: 404 })
  })(request)
}
