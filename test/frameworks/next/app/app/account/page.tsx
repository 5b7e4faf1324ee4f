import { session } from '../../lib/session.ts'

/** Behind the middleware: only signed-in users get here. */
export default async function Account() {
  const s = await session.read()
  return <p id="account">{`Account of ${s.get('user') ?? '?'}`}</p>
}
