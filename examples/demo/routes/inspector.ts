/** The session inspector: the cookie the browser sent, decoded, measured and dated. */
import { type CookieEngine, type Engine, MAX_NAME_AND_VALUE_BYTES, readCookieValues } from 'tessera-session'
import { session } from '../dependencies.ts'
import { pageOf, sendPage } from '../page.ts'
import { type DemoSession, readUser } from '../state.ts'
import { inspectorView } from '../views/inspector.ts'
import { router } from './env.ts'

/** Routes of the inspector, which reads the engine's format and options. */
export function inspectorRoutes(engine: CookieEngine<DemoSession> | Engine<DemoSession>) {
  const routes = router()
  routes.get('/session', (c) => {
    const s = session(c)
    // Read before the page takes its one-shot message out: show the session as it arrived.
    // Integers past 2^53 from a Python app are bigints: shown with their digits.
    const json = JSON.stringify(s.data, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value), 2)
    const page = pageOf(c)
    const name = engine.options.sessionCookie
    const rawValue = readCookieValues(c.req.header('cookie'), name)[0]
    return sendPage(
      c,
      page,
      page.t.sessionTitle,
      inspectorView(page, {
        cookieName: name,
        rawValue,
        rejected: rawValue !== undefined && s.isNew,
        size: rawValue === undefined ? 0 : Buffer.byteLength(name) + Buffer.byteLength(rawValue),
        limit: MAX_NAME_AND_VALUE_BYTES,
        json,
        issuedAt: s.issuedAt,
        maxAge: engine.options.maxAge,
        persistent: s.persistent !== false,
        format: 'format' in engine ? engine.format.name : 'server-side store (the cookie holds an id)',
        signedIn: readUser(s)?.name,
      }),
    )
  })
  return routes
}
