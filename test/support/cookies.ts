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
