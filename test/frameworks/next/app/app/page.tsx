import { session } from '../lib/session.ts'

/** A Server Component: reads the session (read-only). */
export default async function Home() {
  const user = (await session.read()).get('user')
  return <p id="user">{user === undefined ? 'Not signed in' : `Signed in as ${user}`}</p>
}
