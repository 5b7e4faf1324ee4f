import { signIn } from './actions.ts'

export default function Login() {
  return (
    <form action={signIn}>
      <input name="user" />
      <label>
        <input type="checkbox" name="remember" /> Remember me
      </label>
      <button type="submit">Sign in</button>
    </form>
  )
}
