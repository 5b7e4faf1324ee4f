'use server'
import { redirect } from 'next/navigation.js'
import { login } from 'tessera-session'
import { session } from '../../lib/session.ts'

/** Signs in; "remember me" makes the cookie outlive the browser session. */
export async function signIn(form: FormData): Promise<void> {
  await session.change(async (s) => {
    await login(s, { user: String(form.get('user') ?? '') })
    s.setPersistent(form.get('remember') === 'on')
  })
  redirect('/account')
}
