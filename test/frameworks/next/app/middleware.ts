import { NextResponse } from 'next/server.js'
import { session } from './lib/session.ts'

// On the edge runtime: the portable core (no node: imports) verifies the cookie.
export default session.middleware((request, s) =>
  s.has('user') ? NextResponse.next() : NextResponse.redirect(new URL('/login', request.url)),
)

export const config = { matcher: ['/account'] }
