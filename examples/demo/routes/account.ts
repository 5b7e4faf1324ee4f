/**
 * Sign in and sign out. Sign-in regenerates the session (a new cookie, a new CSRF token) and makes it
 * persistent or browser-session from the "remember me" box; sign-out clears it, which deletes the
 * cookie.
 */
import { formGuard } from '../csrf.ts'
import { session } from '../dependencies.ts'
import { pageOf, sendPage } from '../page.ts'
import { cleanText, LIMITS } from '../state.ts'
import { signInView } from '../views/sign-in.ts'
import { field, router } from './env.ts'

/** GET and POST /signin, POST /signout. */
export const accountRoutes = router()

/** The demo's only password; a real app checks a password hash here. */
export const DEMO_PASSWORD = 'demo'
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u

accountRoutes.get('/signin', (c) => {
  const page = pageOf(c, true)
  return sendPage(c, page, page.t.signInTitle, signInView(page, { name: '', remember: false }))
})

accountRoutes.post('/signin', formGuard, async (c) => {
  const body = await c.req.parseBody()
  const name = cleanText(field(body, 'name'), LIMITS.userName)
  const remember = field(body, 'remember') !== ''
  const error = !NAME.test(name)
    ? 'badName'
    : field(body, 'password') !== DEMO_PASSWORD
      ? 'badPassword'
      : undefined
  if (error !== undefined) {
    const page = pageOf(c, true)
    return sendPage(c, page, page.t.signInTitle, signInView(page, { name, remember, error }), 400)
  }
  const s = session(c)
  // Session fixation defence: whatever session the visitor had, the signed-in one is new (and so is
  // its CSRF token: regenerate() drops the old one).
  s.regenerate()
  s.set('user', { name, signedInAt: Math.floor(Date.now() / 1000) })
  s.setPersistent(remember)
  s.set('flash', 'signedIn')
  return c.redirect('/session', 303)
})

// To the home page, which has no form, so no new session (for a CSRF token) starts until one is needed.
accountRoutes.post('/signout', formGuard, (c) => {
  session(c).clear()
  return c.redirect('/?signed-out', 303)
})
