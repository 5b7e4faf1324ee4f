/**
 * The facts of a request that adapters hand to the engine (`engine.open(cookie, context)`) and to the
 * CSRF check: read from the connection (`socket.encrypted`, the request URL's scheme), never from a
 * framework's own trust-proxy setting, so every adapter applies tessera's `trustProxy` the same way.
 * Imports no framework.
 */
import type { IncomingMessage } from 'node:http'
import type { ResolvedOptions } from '../options.ts'
import { headerText, isSecureRequest, type RequestContext, type RequestFacts } from '../proxy.ts'

/** The facts of a `node:http` request (Node, Express, Koa, Fastify, Hono on @hono/node-server). */
export function nodeFacts(req: IncomingMessage): RequestFacts {
  const socket = req.socket as (IncomingMessage['socket'] & { encrypted?: boolean }) | undefined
  return {
    encrypted: socket?.encrypted === true,
    remoteAddress: socket?.remoteAddress,
    forwardedProto: headerText(req.headers['x-forwarded-proto']),
  }
}

/** The facts of a Web `Request`: its URL's scheme is the connection's (Bun, Deno, @hono/node-server). */
export function fetchFacts(request: Request, remoteAddress?: string): RequestFacts {
  return {
    encrypted: request.url.startsWith('https:'),
    remoteAddress,
    forwardedProto: request.headers.get('x-forwarded-proto') ?? undefined,
  }
}

/**
 * The context an engine needs for a `node:http` request, or `undefined` when the options make it
 * pointless (only `httpsOnly: 'auto'` depends on the request): the common case costs nothing.
 */
export function nodeContext(options: ResolvedOptions, req: IncomingMessage): RequestContext | undefined {
  if (options.httpsOnly !== 'auto') return undefined
  return { secure: isSecureRequest(nodeFacts(req), options.trustProxy ?? false) }
}

/** {@link nodeContext} for a Web `Request`. */
export function fetchContext(
  options: ResolvedOptions,
  request: Request,
  remoteAddress?: string,
): RequestContext | undefined {
  if (options.httpsOnly !== 'auto') return undefined
  return { secure: isSecureRequest(fetchFacts(request, remoteAddress), options.trustProxy ?? false) }
}
