import { sealed } from 'tessera-session'
import { nextSessions } from 'tessera-session/next'
import type { Data } from './session.ts'

/** A sealed session split over at most three cookies when it outgrows one. */
export const splitSession = nextSessions<Data>({
  secretKey: process.env.SECRET_KEY ?? '',
  format: sealed({ chunks: { max: 3 } }),
})
