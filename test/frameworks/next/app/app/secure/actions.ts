'use server'
import { secureSession } from '../../lib/secure-session.ts'

/** Signs in on the session whose cookie is Secure exactly when the request came over HTTPS. */
export async function signInSecure(form: FormData): Promise<void> {
  await secureSession.change((s) => {
    s.set('user', String(form.get('user') ?? ''))
  })
}
