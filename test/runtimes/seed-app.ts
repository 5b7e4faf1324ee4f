/**
 * The seed's three endpoints on the fetch adapter, with nothing but Web APIs: what the Worker and the
 * Deno server in this folder serve, each from an esbuild bundle built for the browser platform.
 */
import { type SessionFetchHandler, withSession } from '../../src/adapters/fetch.ts'
import { sealed } from '../../src/codec/sealed.ts'

/** What the seed keeps in the session. */
export interface SeedData {
  [key: string]: unknown
  my_session?: string
}

/** The Node globals a portable core must not need; the runtime test checks they are absent. */
export function nodeGlobals(): string[] {
  return ['Buffer', 'process', 'require'].filter((name) => name in globalThis)
}

/**
 * `/create_session`, `/read_session`, `/delete_session` (the seed), and `/__runtime` naming the
 * runtime; the same under `/sealed/` with the sealed format (AES-GCM from @noble/ciphers there).
 */
export function seedApp(secretKey: string, runtime: string): (request: Request) => Promise<Response> {
  const signedApp = withSession<SeedData>({ secretKey }, seedHandler(runtime, ''))
  const sealedApp = withSession<SeedData>({ secretKey, format: sealed() }, seedHandler(runtime, '/sealed'))
  return (request) => (new URL(request.url).pathname.startsWith('/sealed/') ? sealedApp : signedApp)(request)
}

function seedHandler(runtime: string, prefix: string): SessionFetchHandler<SeedData, []> {
  return (request, session) => {
    switch (new URL(request.url).pathname.slice(prefix.length)) {
      case '/create_session':
        session.set('my_session', '1234')
        return Response.json('ok')
      case '/read_session':
        return Response.json(session.get('my_session') ?? null)
      case '/delete_session': {
        const value = session.pop('my_session', null)
        return value === null
          ? Response.json({ detail: 'There is no session value to delete.' }, { status: 404 })
          : Response.json(value)
      }
      case '/__runtime':
        return Response.json({ runtime, nodeGlobals: nodeGlobals() })
      default:
        return new Response('not found', { status: 404 })
    }
  }
}
