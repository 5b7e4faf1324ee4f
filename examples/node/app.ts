/**
 * tessera on plain node:http. Run: npx tsx --conditions=tessera-session-source examples/node/app.ts
 * Then: curl -c jar -b jar '127.0.0.1:8000/login?user=ada' ; curl -b jar 127.0.0.1:8000/me
 */
import { createServer } from 'node:http'
import { login, logout, type SessionOptions } from 'tessera-session'
import { requireKey, withSession } from 'tessera-session/node'
import { type AppSession, address, exampleOptions, isMain } from '../shared/session.ts'

export function createApp(options: SessionOptions) {
  return createServer(
    withSession<AppSession>(options, async (req, res, session) => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      res.setHeader('content-type', 'application/json')
      if (url.pathname === '/login') {
        await login(session, { user: url.searchParams.get('user') ?? 'anonymous' })
        res.end('{"ok":true}')
      } else if (url.pathname === '/logout') {
        await logout(session)
        res.end('{"ok":true}')
      } else if (url.pathname === '/me') {
        // Depends(require_user): a 401 when nobody is signed in.
        if (await requireKey(session, res, 'user')) res.end(JSON.stringify({ user: session.get('user') }))
      } else if (url.pathname === '/visits') {
        const visits = (session.get('visits') ?? 0) + 1
        session.set('visits', visits)
        res.end(JSON.stringify({ visits }))
      } else {
        res.statusCode = 404
        res.end('{"detail":"Not Found"}')
      }
    }),
  )
}

if (isMain(import.meta.url)) {
  createApp(exampleOptions()).listen(address.port, address.host, () =>
    console.log(`node example on http://${address.host}:${address.port}`),
  )
}
