'use server'
import { splitSession } from '../../lib/split-session.ts'

/** A session over one cookie's size: the action writes it as chunks. */
export async function growSplit(): Promise<void> {
  await splitSession.change((s) => {
    s.set('big', 'x'.repeat(5000))
  })
}
