/**
 * Every bench endpoint as one catch-all Route Handler; the variant (bare, tessera, the references)
 * comes from BENCH_VARIANT at start, so one `next build` serves all four servers. `lib/endpoints.ts`
 * is bench/apps/endpoints.ts, copied in by the build step (bench/lib/built-apps.ts).
 */
import type { NextRequest } from 'next/server.js'
import { nextSessions } from 'tessera-session/next'
import { type Bag, ENDPOINTS, MAX_AGE, SECRET } from '../../lib/endpoints.ts'

type Handler = (request: NextRequest) => Response | Promise<Response>
type Wrap = (answer: (bag: Bag | undefined) => string) => Handler

const text = (body: string) =>
  new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })

/** How each variant wraps a handler: as a Next user wraps every Route Handler of the app. */
function wrapper(variant: string): Wrap {
  switch (variant) {
    case 'bare':
      return (answer) => () => text(answer(undefined))
    case 'noop':
      return (answer) => {
        const inner: Handler = () => text(answer(undefined))
        return async (request) => await inner(request)
      }
    case 'vary':
      return (answer) => {
        const inner: Handler = () => text(answer(undefined))
        return async (request) => {
          const response = await inner(request)
          response.headers.append('vary', 'Cookie')
          return response
        }
      }
    case 'tessera': {
      const session = nextSessions({ secretKey: SECRET, maxAge: MAX_AGE })
      return (answer) => session.route((_request, s) => text(answer(s)))
    }
    default:
      throw new Error(`bench next app: unknown BENCH_VARIANT "${variant}"`)
  }
}

const wrap = wrapper(process.env.BENCH_VARIANT ?? 'bare')
const routes = new Map(
  ENDPOINTS.map((e) => [e.path, wrap(e.usesSession ? (bag) => e.answer(bag) : () => e.answer(undefined))]),
)

export const dynamic = 'force-dynamic'

export function GET(request: NextRequest): Response | Promise<Response> {
  const handle = routes.get(request.nextUrl.pathname)
  return handle ? handle(request) : new Response('not found', { status: 404 })
}
