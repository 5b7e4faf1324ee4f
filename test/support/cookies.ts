/** Helpers to mint and read session cookies in tests. */
import { Signer } from '../../src/codec/signer.ts'
import { TimestampSigner } from '../../src/codec/timestamp.ts'

/** Signs an arbitrary payload exactly as Starlette would, so tests can forge well-signed bad data. */
export function signPayload(secret: string, payload: string, issuedAt: number): string {
  return new TimestampSigner(new Signer({ secret })).sign(payload, issuedAt)
}

/** The value part of a `Set-Cookie` header (`name=value; ...`). */
export function cookieValue(setCookie: string | undefined): string {
  if (setCookie === undefined) throw new Error('expected a Set-Cookie header')
  const pair = setCookie.split(';')[0] as string
  return pair.slice(pair.indexOf('=') + 1)
}

/**
 * `Cookie` headers a server must read as no session at all, answering normally (never a 5xx):
 * `pair` (`session=<value>`) with the last character of its signature changed, then an empty value,
 * undecodable, unsigned, over the browser's size limit, quoted and repeated, and mostly separators.
 */
export function hostileCookieHeaders(pair: string): string[] {
  return [
    `${pair.slice(0, -1)}${pair.endsWith('A') ? 'B' : 'A'}`,
    'session=',
    'session=%%%',
    'session=not.a.cookie',
    `session=${'x'.repeat(5000)}`,
    'session="quoted"; session=also',
    '=; ;;session',
  ]
}
