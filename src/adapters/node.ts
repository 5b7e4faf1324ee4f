import type { IncomingMessage, ServerResponse } from 'node:http'
import { SessionEngine } from '../engine.ts'
import { CookieTooLarge } from '../errors.ts'
import type { SessionOptions } from '../options.ts'
import type { Session, SessionData } from '../session.ts'

/** Gives the session of a request; its cookie is written when the response headers go out. */
export type NodeSessions<Data extends SessionData> = (
  req: IncomingMessage,
  res: ServerResponse,
) => Session<Data>

/**
 * Sessions for plain `node:http` servers. The session is committed just before the headers are
 * written (explicit `writeHead` or the implicit one of the first `write`/`end`), so handlers only
 * have to change the session before they start the response.
 *
 * @example
 * const session = nodeSessions({ secretKey: process.env.SECRET_KEY! })
 * createServer((req, res) => {
 *   session(req, res).set('visits', 1)
 *   res.end('ok')
 * })
 */
export function nodeSessions<Data extends SessionData = SessionData>(
  options: SessionOptions | SessionEngine<Data>,
): NodeSessions<Data> {
  const engine = options instanceof SessionEngine ? options : new SessionEngine<Data>(options)
  const opened = new WeakMap<IncomingMessage, Session<Data>>()
  return function session(req, res) {
    const existing = opened.get(req)
    if (existing !== undefined) return existing
    const session = engine.open(req.headers.cookie)
    opened.set(req, session)
    if (res.headersSent) {
      // Too late for a cookie: committing now makes any write report itself instead of vanishing.
      engine.commit(session)
      return session
    }
    const writeHead = res.writeHead
    res.writeHead = function writeHeadWithSession(this: ServerResponse, ...args: unknown[]) {
      res.writeHead = writeHead
      if (!commitTo(engine, session, res)) args[0] = 500
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
    } as typeof res.writeHead
    return session
  }
}

/** Adds the session headers; `false` when the session could not be sent and the response must fail. */
function commitTo<Data extends SessionData>(
  engine: SessionEngine<Data>,
  session: Session<Data>,
  res: ServerResponse,
): boolean {
  try {
    const { setCookie, vary } = engine.commit(session)
    if (vary) res.appendHeader('Vary', 'Cookie')
    if (setCookie !== undefined) res.appendHeader('Set-Cookie', setCookie)
    return true
  } catch (error) {
    if (!(error instanceof CookieTooLarge)) throw error
    // The handler's response would claim a success the client never keeps: fail it visibly instead.
    console.error(`tessera: ${error.message}`)
    res.statusCode = 500
    return false
  }
}
