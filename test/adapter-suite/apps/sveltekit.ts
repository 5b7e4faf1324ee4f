/**
 * The suite's app as a SvelteKit server would run it: the adapter's `handle` hook around a `resolve` that answers the suite's routes as `+server.ts`
 * endpoints do, with SvelteKit's `json`, `redirect` and `error` helpers, and answers what they throw
 * as SvelteKit's server does (a redirect becomes its 3xx, an `HttpError` its status, anything else a
 * 500). Served on Node through @hono/node-server's Request/Response bridge.
 */
import type { Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { isHttpError, isRedirect, json, type RequestEvent, redirect } from '@sveltejs/kit'
import { requireKey, sessions } from 'tessera-session/sveltekit'
import { act, actionOf, lateWrite, suiteSession, VALUE_KEY } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

type Endpoint = (event: RequestEvent) => Promise<Response> | Response

/** The suite's `+server.ts` GET handlers, by pathname. */
const endpoints: Record<string, Endpoint> = {
  async '/late'({ locals }) {
    const session = suiteSession(locals.session)
    await session.load()
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('first;'))
      },
      pull(controller) {
        lateWrite(session)
        controller.enqueue(encoder.encode('second'))
        controller.close()
      },
    })
    return new Response(body)
  },
  async '/headers'({ locals, setHeaders }) {
    const session = suiteSession(locals.session)
    await session.load()
    session.set('value', 'h')
    setHeaders({ vary: 'Accept-Encoding', 'cache-control': 'max-age=0, private' })
    const response = json('ok')
    response.headers.append('set-cookie', 'other=1; Path=/')
    return response
  },
  async '/redirect'({ locals }) {
    const session = suiteSession(locals.session)
    await session.load()
    session.set('value', 'r')
    redirect(302, '/act/read')
  },
  async '/guarded'(event) {
    return (
      (await requireKey(event, VALUE_KEY)) ?? json({ value: suiteSession(event.locals.session).get('value') })
    )
  },
}

/** SvelteKit's `resolve` for endpoints: runs the route, answers what it throws as SvelteKit does. */
async function resolve(event: RequestEvent): Promise<Response> {
  const headers = new Headers()
  event.setHeaders = (values) => {
    for (const [name, value] of Object.entries(values)) headers.set(name, value)
  }
  let response: Response
  try {
    const action = actionOf(event.url.pathname)
    const endpoint = endpoints[event.url.pathname]
    if (action !== undefined)
      response = json(await act(action, suiteSession(event.locals.session), event.url.searchParams))
    else if (endpoint !== undefined) response = await endpoint(event)
    else response = new Response('Not found', { status: 404 })
  } catch (error) {
    if (isRedirect(error))
      return new Response(null, { status: error.status, headers: { location: error.location } })
    const status = isHttpError(error) ? error.status : 500
    return json({ message: status === 500 ? 'Internal Error' : String(error) }, { status })
  }
  // SvelteKit copies setHeaders onto the endpoint's response.
  for (const [name, value] of headers) response.headers.set(name, value)
  return response
}

export const sveltekitApp = inProcess(async (engine) => {
  const handle = sessions(engine)
  const server = createAdaptorServer({
    fetch: (request: Request) => {
      const event = { request, url: new URL(request.url), locals: {} } as RequestEvent
      return handle({ event, resolve })
    },
  })
  return listen(server as Server)
})
