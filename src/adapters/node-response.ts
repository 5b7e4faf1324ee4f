/**
 * Committing a session into a `node:http` response, for every adapter built on one (Node, Express,
 * Koa). Imports no framework.
 */
import type { ServerResponse } from 'node:http'
import type { OpenedSession } from '../engine.ts'
import type { Logger } from '../logger.ts'
import type { CommitResult } from '../session-state.ts'
import { applyCommit, CommitFailure, commitFor, type HeaderTarget, JSON_CONTENT_TYPE } from './commit.ts'

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
const GENERIC_FAILURE = new CommitFailure(500, JSON.stringify({ detail: 'The session could not be saved.' }))

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
export function commitBeforeHeaders(opened: OpenedSession, res: ServerResponse, logger: Logger): void {
  // Lazily, on first use: an unused session commits nothing, so a route that never touches it keeps
  // the response's own methods (Express untouched route, hot path: 496,091 -> 400,077 instructions
  // per request, 0.97x a no-op middleware; bench/results/README.md). The adapter suite and
  // node-response.test.ts pin the used and unused paths to the same answers.
  if (!opened.session.isLoaded && 'onUse' in opened) {
    opened.onUse = () => hookOrCommitLate(opened, res, logger)
    return
  }
  hook(opened, res, logger)
}

function hookOrCommitLate(opened: OpenedSession, res: ServerResponse, logger: Logger): void {
  if (!res.headersSent) {
    hook(opened, res, logger)
    return
  }
  // First used after the headers left: too late for a cookie. Committing the still unloaded session
  // sends nothing, and makes a later write report itself instead of vanishing.
  const committed = opened.commit()
  if (committed instanceof Promise) {
    committed.catch((error: unknown) => logger.error(`committing the session failed: ${String(error)}`))
  }
}

function hook(opened: OpenedSession, res: ServerResponse, logger: Logger): void {
  const hooked = res as Hooked
  const pending = new PendingCommit(opened, res, logger)
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
  hooked[PENDING] = pending
  hooked.writeHead = hookedWriteHead
  hooked.write = hookedWrite
  hooked.end = hookedEnd
}

const PENDING = Symbol('tessera.pendingCommit')
// The three response methods that can send the headers, as this module swaps them.
type Hooked = Omit<ServerResponse, keyof Writes> & Writes & { [PENDING]?: PendingCommit }

function hookedWriteHead(this: ServerResponse, ...args: unknown[]): unknown {
  const pending = (this as Hooked)[PENDING] as PendingCommit
  return pending.first(pending.writeHead, args, true)
}

function hookedWrite(this: ServerResponse, ...args: unknown[]): unknown {
  const pending = (this as Hooked)[PENDING] as PendingCommit
  return pending.first(pending.write, args, false)
}

function hookedEnd(this: ServerResponse, ...args: unknown[]): unknown {
  const pending = (this as Hooked)[PENDING] as PendingCommit
  return pending.first(pending.end, args, false)
}

/** One response's commit: untouched until the first header-sending call, then done or held. */
class PendingCommit {
  // The response's own methods, as they were before wrapping.
  readonly writeHead: Method
  readonly write: Method
  readonly end: Method
  /** Calls made while an asynchronous commit is in flight, replayed in order once it settles. */
  #held: Call[] | undefined

  constructor(
    readonly opened: OpenedSession,
    readonly res: ServerResponse,
    readonly logger: Logger,
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
    const outcome = commitFor(this.opened, status, this.logger)
    if (outcome instanceof CommitFailure) {
      this.#fail(outcome)
      return method === this.write ? true : res
    }
    if (!(outcome instanceof Promise)) {
      this.#restore()
      if (outcome !== undefined) {
        if (isWriteHead) absorbHeaders(res, args)
        apply(res, outcome)
      }
      return method.apply(res, args)
    }
    if (isWriteHead) absorbHeaders(res, args)
    // The wrappers stay in place and route every call to #hold until the commit settles.
    this.#held = []
    outcome.then(
      (settled) => (settled instanceof CommitFailure ? this.#fail(settled) : this.#settle(settled)),
      (error: unknown) => {
        this.logger.error(`committing the session failed: ${String(error)}`)
        this.#fail(GENERIC_FAILURE)
      },
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

  #fail(failure: CommitFailure): void {
    const res = this.res
    this.#held = undefined
    this.#restore()
    for (const name of BODY_HEADERS) res.removeHeader(name)
    res.statusCode = failure.status
    res.setHeader('content-type', JSON_CONTENT_TYPE)
    this.end.call(res, failure.body)
    // The handler's own writes now have nowhere to go; the log says why.
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

/** The session headers onto a Node response. */
function apply(res: ServerResponse, result: CommitResult): void {
  applyCommit(new NodeHeaders(res), result)
}

/** A Node response's headers as a {@link HeaderTarget}. */
class NodeHeaders implements HeaderTarget {
  constructor(readonly res: ServerResponse) {}
  get(name: string): string | undefined {
    const value = this.res.getHeader(name)
    return Array.isArray(value) ? value.join(', ') : value?.toString()
  }
  set(name: string, value: string): void {
    this.res.setHeader(name, value)
  }
  append(name: string, value: string): void {
    this.res.appendHeader(name, value)
  }
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
