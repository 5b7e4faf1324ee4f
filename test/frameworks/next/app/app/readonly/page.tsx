import type { Session } from 'tessera-session'
import { type Data, session } from '../../lib/session.ts'

/** A Server Component that tries to change the session: the error says where changes belong. */
export default async function ReadOnly() {
  const s = (await session.read()) as unknown as Session<Data>
  let message = 'no error'
  try {
    s.set('user', 'mallory')
  } catch (error) {
    message = `${(error as Error).name}: ${(error as Error).message}`
  }
  return <p id="error">{message}</p>
}
