/**
 * Committing a session into a `node:http` response, for every adapter built on one (Node, Express,
 * Koa). Imports no framework.
 */
import type { ServerResponse } from 'node:http'
import type { CommitResult, Engine } from '../engine.ts'
import type { Session, SessionData } from '../session.ts'
import { commitFailure, JSON_CONTENT_TYPE, shouldCommit, varyWithCookie } from './commit.ts'

type Method = (this: ServerResponse, ...args: unknown[]) => unknown
type Call = [Method, unknown[]]

// Headers that describe the handler's body, dropped when a failure answer replaces it.
const BODY_HEADERS = ['content-length', 'content-type', 'content-encoding', 'etag', 'last-modified']
const GENERIC_FAILURE = JSON.stringify({ detail: 'The session could not be saved.' })

/**
 * Commits `session` into `res` at the last moment before its headers leave: the first of an explicit
 * `writeHead`, a `write`, `flushHeaders` or `end`. A synchronous engine (cookie) adds its headers in
 * place, with no extra tick. An asynchronous one (a store) holds that call, and the ones after it, until
 * the store has answered, so a handler never has to await the commit; a held `write` returns `false`
 * and `'drain'` follows, as with any slow socket.
 *
 * A 5xx response does not commit (see `shouldCommit`). When the engine throws `StoreUnavailable` or
 * `CookieTooLarge`, the handler's response is replaced by a 503 / 500 JSON answer without `Set-Cookie`.
 */
export function commitBeforeHeaders<Data extends SessionData>(
  engine: Engine<Data>,
  session: Session<Data>,
  res: ServerResponse,
): void {
  const writeHead = res.writeHead as unknown as Method
  const write = res.write as unknown as Method
  const end = res.end as unknown as Method
  // Calls made while an asynchronous commit is in flight, replayed in order once it settles.
  let held: Call[] | undefined

  function restore(): void {
    res.writeHead = writeHead as unknown as ServerResponse['writeHead']
    res.write = write as unknown as ServerResponse['write']
    res.end = end as unknown as ServerResponse['end']
  }

  function fail(error: unknown, settled: boolean): void {
    const failure = commitFailure(error)
    // From the synchronous path an unknown error is a programming error: the framework reports it.
    if (failure === undefined && !settled) throw error
    if (failure === undefined) console.error('tessera: committing the session failed:', error)
    restore()
    held = undefined
    for (const name of BODY_HEADERS) res.removeHeader(name)
    res.statusCode = failure?.status ?? 500
    res.setHeader('content-type', JSON_CONTENT_TYPE)
    end.call(res, failure?.body ?? GENERIC_FAILURE)
    // The handler's own writes now have nowhere to go; the log above says why.
    res.writeHead = ignored as ServerResponse['writeHead']
    res.write = ignored as unknown as ServerResponse['write']
    res.end = ignored as ServerResponse['end']
  }

  function settle(result: CommitResult): void {
    apply(res, result)
    const calls = held as Call[]
    held = undefined
    let blocked = false
    for (const [method, args] of calls) {
      if (method === write) blocked = true
      method.apply(res, args)
    }
    if (blocked) res.emit('drain')
  }

  function intercept(method: Method, statusFromArgs: boolean): Method {
    return function committing(this: ServerResponse, ...args: unknown[]) {
      restore()
      const status = statusFromArgs && typeof args[0] === 'number' ? args[0] : res.statusCode
      if (!shouldCommit(status)) return method.apply(this, args)
      let result: CommitResult | Promise<CommitResult>
      try {
        result = engine.commit(session)
      } catch (error) {
        fail(error, false)
        return method === write ? true : this
      }
      if (!(result instanceof Promise)) {
        apply(res, result)
        return method.apply(this, args)
      }
      held = [[method, args]]
      res.writeHead = hold(writeHead) as ServerResponse['writeHead']
      res.write = hold(write) as unknown as ServerResponse['write']
      res.end = hold(end) as ServerResponse['end']
      result.then(
        (committed) => {
          restore()
          settle(committed)
        },
        (error: unknown) => fail(error, true),
      )
      return method === write ? false : this
    }
  }

  function hold(method: Method): Method {
    return function holding(this: ServerResponse, ...args: unknown[]) {
      held?.push([method, args])
      return method === write ? false : this
    }
  }

  res.writeHead = intercept(writeHead, true) as ServerResponse['writeHead']
  res.write = intercept(write, false) as unknown as ServerResponse['write']
  res.end = intercept(end, false) as ServerResponse['end']
}

/** Appends the session headers, keeping every other cookie and `Vary` value. */
function apply(res: ServerResponse, { setCookie, vary }: CommitResult): void {
  if (vary) {
    const existing = res.getHeader('vary')
    res.setHeader(
      'vary',
      varyWithCookie(Array.isArray(existing) ? existing.join(', ') : existing?.toString()),
    )
  }
  // Appended raw: the value is already a complete, correctly encoded Set-Cookie string.
  if (setCookie !== undefined) res.appendHeader('set-cookie', setCookie)
}

function ignored(this: ServerResponse): ServerResponse {
  return this
}
