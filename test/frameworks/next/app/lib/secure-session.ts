import { nextSessions } from 'tessera-session/next'
import type { Data } from './session.ts'

/**
 * Behind one TLS-terminating proxy: the cookie is Secure when the proxy says the request came over
 * HTTPS. Next.js hands the scheme on as X-Forwarded-Proto, in Server Actions through `headers()`.
 */
export const secureSession = nextSessions<Data>({
  secretKey: process.env.SECRET_KEY ?? '',
  httpsOnly: 'auto',
  trustProxy: 1,
})
