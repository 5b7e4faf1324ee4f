'use server'
import { session } from '../../lib/session.ts'

/** A session too large for a cookie: the action fails and the browser keeps its cookie. */
export async function growTooBig(): Promise<void> {
  await session.change((s) => {
    s.set('big', 'x'.repeat(5000))
  })
}
