import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type Engine, type Session, StoreUnavailable } from 'tessera-session'
import { nodeSessions, requireKey, withSession } from 'tessera-session/node'
import { act, actionOf, lateWrite, type SuiteData } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

/** The routes, on a plain `node:http` handler that has the session. */
async function route(req: IncomingMessage, res: ServerResponse, session: Session<SuiteData>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x')
  const action = actionOf(url.pathname)
  if (action !== undefined) {
    const body = JSON.stringify(await act(action, session, url.searchParams))
    res.setHeader('content-type', 'application/json')
    res.end(body)
    return
  }
  await session.load()
  if (url.pathname === '/late') {
    res.write('first;')
    lateWrite(session)
    res.end('second')
  } else if (url.pathname === '/headers') {
    session.set('value', 'h')
    // Headers handed to writeHead take precedence over set ones in Node: the session's must survive.
    res
      .writeHead(200, {
        vary: 'Accept-Encoding',
        'set-cookie': 'other=1; Path=/',
        'cache-control': 'max-age=0, private',
      })
      .end('"ok"')
  } else if (url.pathname === '/redirect') {
    session.set('value', 'r')
    res.writeHead(302, { location: '/act/read' }).end()
  } else if (url.pathname === '/guarded') {
    if (await requireKey(session, res, 'value')) res.end(JSON.stringify({ value: session.get('value') }))
  } else {
    res.statusCode = 404
    res.end()
  }
}

/** `withSession(engine, handler)`: the shape that awaits the handler, for any engine. */
export const nodeWithSessionApp = inProcess(async (engine: Engine<SuiteData>) =>
  listen(createServer(withSession(engine, route))),
)

const STORE_DOWN = 'The session store is unavailable; please try again shortly.'

/** `nodeSessions(engine)`: the session is fetched from inside any handler. */
export const nodeSessionsApp = inProcess(async (engine: Engine<SuiteData>) => {
  const session = nodeSessions(engine)
  return listen(
    createServer((req, res) => {
      route(req, res, session(req, res)).catch((error: unknown) => {
        // The handler is the app's: it answers a store outage itself, as docs/frameworks.md shows.
        const down = error instanceof StoreUnavailable
        res.statusCode = down ? 503 : 500
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ detail: down ? STORE_DOWN : 'Internal Server Error' }))
      })
    }),
  )
})
