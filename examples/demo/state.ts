/**
 * What the demo keeps in its session, the caps that keep it inside one 4 KB cookie, and readers that
 * turn whatever a cookie holds into well-formed values. The cookie is signed, but an app sharing the
 * secret (the seed's FastAPI app) may write other shapes, so readers check and fall back to defaults.
 */
import type { Session } from 'tessera-session'

/** Page colours. `auto` follows the operating system's setting. */
export const THEMES = ['auto', 'light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

/** Languages the pages are written in. */
export const LANGUAGES = ['en', 'ru'] as const
export type Language = (typeof LANGUAGES)[number]

/** Topics a draft letter can have. */
export const TOPICS = ['question', 'order', 'feedback'] as const
export type Topic = (typeof TOPICS)[number]

/**
 * Caps that keep the whole session well under the 4096-byte cookie limit even when every field is
 * full of 4-byte characters: about 3.2 KB once base64-encoded and signed
 * (checked by examples/demo/state.test.ts).
 */
export const LIMITS = Object.freeze({
  subject: 80,
  message: 400,
  recent: 5,
  userName: 32,
})

/** The letter being written. */
export interface Draft {
  topic: Topic
  subject: string
  message: string
}

/** How the visitor wants pages rendered. */
export interface Preferences {
  theme: Theme
  /** `undefined`: follow the browser's Accept-Language. */
  lang: Language | undefined
}

/** Who signed in. */
export interface User {
  name: string
  /** Seconds since the epoch. */
  signedInAt: number
}

/** One-shot messages shown on the page after a redirect. */
export const FLASHES = [
  'draftSaved',
  'draftSent',
  'draftDiscarded',
  'prefsSaved',
  'signedIn',
  'signedOut',
] as const
export type Flash = (typeof FLASHES)[number]

/** The demo's session. `my_session` is the seed's value, used by its three JSON endpoints. */
export interface DemoSession extends Record<string, unknown> {
  my_session: string
  draft: Draft
  prefs: Partial<Preferences>
  /** Catalogue slugs, most recent first, at most {@link LIMITS.recent}. */
  recent: string[]
  user: User
  flash: Flash
}

/** The request's session, typed for the demo. */
export type DemoSessionOf = Session<DemoSession>

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Keeps at most `max` characters (code points, so no emoji is cut in half). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : chars.slice(0, max).join('')
}

/**
 * Text from a form field as the demo stores it: line breaks normalised, control characters other than
 * tab and newline removed (they would cost 6 bytes each in JSON), at most `max` characters.
 */
export function cleanText(value: unknown, max: number, multiline = false): string {
  if (typeof value !== 'string') return ''
  let text = value.replace(/\r\n?/g, '\n')
  text = multiline ? text.replace(/[^\P{Cc}\n\t]/gu, '') : text.replace(/\p{Cc}/gu, ' ')
  return truncate(multiline ? text : text.trim(), max)
}

/** The saved draft, or an empty one. */
export function readDraft(session: DemoSessionOf): Draft {
  const draft: unknown = session.get('draft')
  if (!isRecord(draft)) return { topic: 'question', subject: '', message: '' }
  return {
    topic: isOneOf(TOPICS, draft.topic) ? draft.topic : 'question',
    subject: cleanText(draft.subject, LIMITS.subject),
    message: cleanText(draft.message, LIMITS.message, true),
  }
}

/** The visitor's preferences, with defaults for what was never chosen. */
export function readPreferences(session: DemoSessionOf): Preferences {
  const prefs: unknown = session.get('prefs')
  if (!isRecord(prefs)) return { theme: 'auto', lang: undefined }
  return {
    theme: isOneOf(THEMES, prefs.theme) ? prefs.theme : 'auto',
    lang: isOneOf(LANGUAGES, prefs.lang) ? prefs.lang : undefined,
  }
}

/** Recently viewed catalogue slugs, most recent first. */
export function readRecent(session: DemoSessionOf): string[] {
  const recent: unknown = session.get('recent')
  if (!Array.isArray(recent)) return []
  return recent.filter((slug): slug is string => typeof slug === 'string').slice(0, LIMITS.recent)
}

/** Puts `slug` first in the recent list, without duplicates, capped at {@link LIMITS.recent}. */
export function rememberView(session: DemoSessionOf, slug: string): void {
  const recent = [slug, ...readRecent(session).filter((s) => s !== slug)].slice(0, LIMITS.recent)
  session.set('recent', recent)
}

/** The signed-in user, or `undefined`. */
export function readUser(session: DemoSessionOf): User | undefined {
  const user: unknown = session.get('user')
  if (!isRecord(user) || typeof user.name !== 'string' || user.name === '') return undefined
  return {
    name: truncate(user.name, LIMITS.userName),
    signedInAt: typeof user.signedInAt === 'number' ? user.signedInAt : 0,
  }
}

/** Takes the one-shot message, if any, out of the session. */
export function takeFlash(session: DemoSessionOf): Flash | undefined {
  if (!session.has('flash')) return undefined
  const flash: unknown = session.pop('flash')
  return isOneOf(FLASHES, flash) ? flash : undefined
}
