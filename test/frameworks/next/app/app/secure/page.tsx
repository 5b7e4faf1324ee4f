import { secureSession } from '../../lib/secure-session.ts'
import { signInSecure } from './actions.ts'

export default async function Secure() {
  const user = (await secureSession.read()).get('user')
  return (
    <form action={signInSecure}>
      <p id="user">{user ?? 'Not signed in'}</p>
      <input name="user" />
      <button type="submit">Sign in</button>
    </form>
  )
}
