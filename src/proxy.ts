/**
 * Whether a request came over HTTPS, for apps behind a TLS-terminating proxy (`httpsOnly: 'auto'`,
 * and the CSRF check's own origin). Adapters read the raw facts of the connection; tessera applies
 * its own `trustProxy` setting to them, the same way in every adapter, and never believes
 * `X-Forwarded-Proto` unless told to: any client can send that header. Imports no framework.
 */
import { ConfigError } from './errors.ts'

/**
 * Which proxies to believe about the scheme (`X-Forwarded-Proto`):
 * - `false`: none, only the connection itself counts (the default);
 * - `true`: every hop; the leftmost value (written by the proxy that faces the client) counts;
 * - a number `n`: exactly `n` proxies stand in front of the app; the value the outermost of them wrote
 *   (the `n`-th from the right) counts, anything a client put before it is ignored;
 * - a function of the peer's address (`undefined` when the runtime does not tell it, as in a fetch
 *   handler): when it returns `true`, the rightmost value (the one that peer wrote) counts.
 * @default false
 * @example { httpsOnly: 'auto', trustProxy: 1 } // one nginx in front, `proxy_set_header X-Forwarded-Proto $scheme`
 */
export type TrustProxy = boolean | number | ((address: string | undefined) => boolean)

/** What an adapter can tell about how a request reached this server, read from the connection. */
export interface RequestFacts {
  /** The connection to this server is TLS: `req.socket.encrypted`, an `https:` request URL. */
  encrypted: boolean
  /** The peer's address, when the runtime gives it. */
  remoteAddress: string | undefined
  /** The `X-Forwarded-Proto` header as received (several values: comma-separated), if any. */
  forwardedProto: string | undefined
}

/** What an engine needs to know of one request beyond its `Cookie` header. */
export interface RequestContext {
  /** The request reached the app over HTTPS (directly, or through a trusted proxy). */
  secure: boolean
}

/** Checks a `trustProxy` option; throws {@link ConfigError} naming the fix. */
export function checkTrustProxy(value: unknown): TrustProxy {
  if (typeof value === 'boolean' || typeof value === 'function') return value as TrustProxy
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value === 0 ? false : value
  throw new ConfigError(
    `trustProxy: ${JSON.stringify(value)} must be true, false, a number of proxy hops (1 for one proxy), or a function (address) => boolean`,
  )
}

/** Whether the request came over HTTPS, believing `X-Forwarded-Proto` only as far as `trust` says. */
export function isSecureRequest(facts: RequestFacts, trust: TrustProxy): boolean {
  if (facts.encrypted) return true
  const proto = trust === false ? undefined : trustedProto(facts, trust)
  return proto?.trim().toLowerCase() === 'https'
}

/** The `X-Forwarded-Proto` value `trust` lets count, or `undefined`. */
function trustedProto(facts: RequestFacts, trust: TrustProxy): string | undefined {
  if (facts.forwardedProto === undefined || facts.forwardedProto === '') return undefined
  const values = facts.forwardedProto.split(',')
  if (trust === true) return values[0]
  if (typeof trust === 'number') return values[Math.max(0, values.length - trust)]
  if (typeof trust === 'function' && trust(facts.remoteAddress) === true) return values[values.length - 1]
  return undefined
}

/** The request's own origin (`https://host:port`), as the browser that sent it sees this app. */
export function ownOrigin(host: string | undefined, secure: boolean): string | undefined {
  return host === undefined || host === ''
    ? undefined
    : `${secure ? 'https' : 'http'}://${host.toLowerCase()}`
}

/** A header that may arrive repeated (`string[]` in Node), as one comma-separated string. */
export function headerText(value: string | string[] | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined
  return Array.isArray(value) ? value.join(',') : value
}
