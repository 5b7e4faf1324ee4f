/**
 * Reading a {@link CsrfRequest} from a `node:http` request or a Web `Request`, for each adapter's
 * `csrfProtection()`. The request's own origin comes from the Host header and the connection's scheme
 * (with the CSRF options' `trustProxy`), as for `httpsOnly: 'auto'`. Imports no framework.
 */
import type { IncomingMessage } from 'node:http'
import { CSRF_FIELD, CSRF_HEADER, type CsrfRequest, type ResolvedCsrfOptions } from '../csrf.ts'
import { headerText, isSecureRequest, ownOrigin } from '../proxy.ts'
import { fetchFacts, nodeFacts } from './request-context.ts'

/** The check's view of a `node:http` request; `body` is what the framework's body parser made, if any. */
export function nodeCsrfRequest(
  req: IncomingMessage,
  options: ResolvedCsrfOptions,
  body: unknown,
): CsrfRequest {
  const secure = isSecureRequest(nodeFacts(req), options.trustProxy)
  return {
    method: req.method ?? 'GET',
    origin: headerText(req.headers.origin),
    secFetchSite: headerText(req.headers['sec-fetch-site']),
    ownOrigin: ownOrigin(req.headers.host, secure),
    token: headerText(req.headers[CSRF_HEADER]) ?? formToken(body),
  }
}

/** The check's view of a Web `Request`; `form` is its parsed form body, when the adapter read one. */
export function fetchCsrfRequest(
  request: Request,
  options: ResolvedCsrfOptions,
  form: unknown,
  remoteAddress?: string,
): CsrfRequest {
  const secure = isSecureRequest(fetchFacts(request, remoteAddress), options.trustProxy)
  return {
    method: request.method,
    origin: request.headers.get('origin') ?? undefined,
    secFetchSite: request.headers.get('sec-fetch-site') ?? undefined,
    ownOrigin: ownOrigin(request.headers.get('host') ?? new URL(request.url).host, secure),
    token: request.headers.get(CSRF_HEADER) ?? formToken(form),
  }
}

/** The `_csrf` field of a parsed body (a plain object, or `FormData`), or `undefined`. */
export function formToken(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return undefined
  if (body instanceof FormData) return body.get(CSRF_FIELD) ?? undefined
  return Object.hasOwn(body, CSRF_FIELD) ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined
}
