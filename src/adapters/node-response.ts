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
// The three response methods that can send the headers, as this module swaps them.
interface Writes {
  writeHead: Method
  write: Method
  end: Method
}

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
  const hooked = res as Hooked
  const pending = new PendingCommit(engine, session, res)
  if (hooked[PENDING] !== undefined) {
    // A second session middleware on the same response: wrap the first one's wrappers with closures.
    hooked.writeHead = function writeHead(...args) {
      return pending.first(pending.writeHead, args, true)
    }
    hooked.write = function write(...args) {
      return pending.first(pending.write, args, false)
    }
    hooked.end = function end(...args) {
      return pending.first(pending.end, args, false)
    }
    return
  }
  // Fast path: the same three module-level wrappers for every response, the state on the response.
  hooked[PENDING] = pending as PendingCommit<SessionData>
  hooked.writeHead = hookedWriteHead
  hooked.write = hookedWrite
  hooked.end = hookedEnd
}

const PENDING = Symbol('tessera.pendingCommit')
// The three response methods that can send the headers, as this module swaps them.
type Hooked = Omit<ServerResponse, keyof Writes> & Writes & { [PENDING]?: PendingCommit<SessionData> }

function hookedWriteHead(this: ServerResponse, ...args: unknown[]): unknown {
  const pending = (this as Hooked)[PENDING] as PendingCommit<SessionData>
  return pending.first(pending.writeHead, args, true)
}

function hookedWrite(this: ServerResponse, ...args: unknown[]): unknown {
  const pending = (this as Hooked)[PENDING] as PendingCommit<SessionData>
  return pending.first(pending.write, args, false)
}

function hookedEnd(this: ServerResponse, ...args: unknown[]): unknown {
  const pending = (this as Hooked)[PENDING] as PendingCommit<SessionData>
  return pending.first(pending.end, args, false)
}

/** One response's commit: untouched until the first header-sending call, then done or held. */
class PendingCommit<Data extends SessionData> {
  // The response's own methods, as they were before wrapping.
  readonly writeHead: Method
  readonly write: Method
  readonly end: Method
  /** Calls made while an asynchronous commit is in flight, replayed in order once it settles. */
  #held: Call[] | undefined

  constructor(
    readonly engine: Engine<Data>,
    readonly session: Session<Data>,
    readonly res: ServerResponse,
  ) {
    const writes = res as unknown as Writes
    this.writeHead = writes.writeHead
    this.write = writes.write
    this.end = writes.end
  }

  /** The first call that would send the headers: commit, then let it (and everything after) through. */
  first(method: Method, args: unknown[], isWriteHead: boolean): unknown {
    const res = this.res
    if (this.#held !== undefined) return this.#hold(method, args)
    const status = isWriteHead && typeof args[0] === 'number' ? args[0] : res.statusCode
    if (!shouldCommit(status)) {
      this.#restore()
      return method.apply(res, args)
    }
    let result: CommitResult | Promise<CommitResult>
    try {
      result = this.engine.commit(this.session)
    } catch (error) {
      this.#fail(error, false)
      return method === this.write ? true : res
    }
    if (isWriteHead) absorbHeaders(res, args)
    if (!(result instanceof Promise)) {
      this.#restore()
      apply(res, result)
      return method.apply(res, args)
    }
    // The wrappers stay in place and route every call to #hold until the commit settles.
    this.#held = []
    result.then(
      (committed) => this.#settle(committed),
      (error: unknown) => this.#fail(error, true),
    )
    return this.#hold(method, args)
  }

  #hold(method: Method, args: unknown[]): unknown {
    ;(this.#held as Call[]).push([method, args])
    return method === this.write ? false : this.res
  }

  #settle(result: CommitResult): void {
    const calls = this.#held as Call[]
    this.#held = undefined
    this.#restore()
    apply(this.res, result)
    let blocked = false
    for (const [method, args] of calls) {
      if (method === this.write) blocked = true
      if (method === this.writeHead) absorbHeaders(this.res, args)
      method.apply(this.res, args)
    }
    if (blocked) this.res.emit('drain')
  }

  #fail(error: unknown, settled: boolean): void {
    const res = this.res
    const failure = commitFailure(error)
    // From the synchronous path an unknown error is a programming error: the framework reports it.
    if (failure === undefined && !settled) throw error
    if (failure === undefined) console.error('tessera: committing the session failed:', error)
    this.#held = undefined
    this.#restore()
    for (const name of BODY_HEADERS) res.removeHeader(name)
    res.statusCode = failure?.status ?? 500
    res.setHeader('content-type', JSON_CONTENT_TYPE)
    this.end.call(res, failure?.body ?? GENERIC_FAILURE)
    // The handler's own writes now have nowhere to go; the log above says why.
    const writes = res as unknown as Writes
    writes.writeHead = ignored
    writes.write = ignored
    writes.end = ignored
  }

  #restore(): void {
    const writes = this.res as unknown as Writes
    writes.writeHead = this.writeHead
    writes.write = this.write
    writes.end = this.end
  }
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

/**
 * Moves the headers object of a `writeHead(status, [message], headers)` call onto the response, as
 * Node itself would, but before the session's headers are appended: Node gives the object precedence
 * over headers already set, so a `Set-Cookie` or `Vary` in it would otherwise replace the session's.
 */
function absorbHeaders(res: ServerResponse, args: unknown[]): void {
  const at = typeof args[1] === 'string' ? 2 : 1
  const headers = args[at]
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) res.setHeader(name, value as string | number | readonly string[])
  }
  args[at] = undefined
}

function ignored(this: ServerResponse): ServerResponse {
  return this
}
