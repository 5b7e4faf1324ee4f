/**
 * The `/late` route's body for the Node frameworks that send a stream (Fastify, Koa, NestJS): 'first;'
 * goes out with the headers, then, a turn later, the session changes and 'second' ends the body, so
 * the change comes after the session was committed.
 */
import { Readable } from 'node:stream'
import type { Session } from 'tessera-session'
import { lateWrite, type SuiteData } from '../harness.ts'

export function lateReadable(session: Session<SuiteData>): Readable {
  let sent = false
  return new Readable({
    read() {
      if (sent) return
      sent = true
      this.push('first;')
      setImmediate(() => {
        lateWrite(session)
        this.push('second')
        this.push(null)
      })
    },
  })
}
