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
  return app.route(suite.routes)(request)
}
