/** Theme and language: saved in the session, applied by the layout on every page. */
import { formGuard } from '../csrf.ts'
import { session } from '../dependencies.ts'
import { pageOf, sendPage } from '../page.ts'
import { LANGUAGES, type Language, readPreferences, THEMES, type Theme } from '../state.ts'
import { preferencesView } from '../views/preferences.ts'
import { field, router } from './env.ts'

/** GET and POST /preferences. */
export const preferencesRoutes = router()

preferencesRoutes.get('/preferences', (c) => {
  const page = pageOf(c, true)
  return sendPage(c, page, page.t.prefsTitle, preferencesView(page, readPreferences(session(c))))
})

preferencesRoutes.post('/preferences', formGuard, async (c) => {
  const body = await c.req.parseBody()
  const theme = field(body, 'theme')
  const lang = field(body, 'lang')
  const s = session(c)
  s.set('prefs', {
    theme: (THEMES as readonly string[]).includes(theme) ? (theme as Theme) : 'auto',
    // An empty choice removes the key, so the browser's language applies again.
    ...((LANGUAGES as readonly string[]).includes(lang) ? { lang: lang as Language } : {}),
  })
  s.set('flash', 'prefsSaved')
  return c.redirect('/preferences', 303)
})
