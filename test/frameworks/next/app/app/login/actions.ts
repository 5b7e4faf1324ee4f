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

/** A session too large for a cookie: the action fails and the browser keeps its cookie. */
export async function growTooBig(): Promise<void> {
  await session.change((s) => {
    s.set('big', 'x'.repeat(5000))
  })
}
