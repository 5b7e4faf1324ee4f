/**
 * What every page needs from the request: language, theme, the signed-in user, the CSRF token and the
 * one-shot message; and the function that sends a rendered page.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { csrfToken } from './csrf.ts'
import { session } from './dependencies.ts'
import type { SafeHtml } from './html.ts'
import { type Messages, messages, pickLanguage } from './i18n.ts'
import {
  type Flash,
  type Language,
  readPreferences,
  readUser,
  type Theme,
  takeFlash,
  type User,
} from './state.ts'
import { layout } from './views/layout.ts'

/** Per-request facts the views render from. */
export interface Page {
  lang: Language
  t: Messages
  theme: Theme
  user: User | undefined
  /** The request path, to mark the current navigation link. */
  path: string
  /** Present when the page has forms (or a sign-out button). */
  csrf: string | undefined
  flash: Flash | undefined
}

/**
 * Reads the page facts from the session. `withForms` makes sure a CSRF token exists; a signed-in
 * visitor always gets one, for the sign-out button in the header.
 */
export function pageOf(c: Context, withForms = false): Page {
  const s = session(c)
  const prefs = readPreferences(s)
  const lang = pickLanguage(prefs.lang, c.req.header('accept-language'))
  const user = readUser(s)
  return {
    lang,
    t: messages(lang),
    theme: prefs.theme,
    user,
    path: c.req.path,
    csrf: withForms || user !== undefined ? csrfToken(s) : undefined,
    flash: takeFlash(s),
  }
}

/** Sends `content` inside the site layout. Pages depend on the session, so nothing caches them. */
export function sendPage(
  c: Context,
  page: Page,
  title: string,
  content: SafeHtml,
  status: ContentfulStatusCode = 200,
): Response {
  c.header('Cache-Control', 'no-store')
  return c.html(layout(page, title, content).toString(), status)
}
