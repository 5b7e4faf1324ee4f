/**
 * Flash messages: set on one request, shown once on the next one that reads them (a "saved" notice
 * after a redirect). Kept in the session data under Flask's key and in Flask's shape, a list of
 * `[category, message]` pairs (`flask.flash` / `get_flashed_messages`), so a Flask app sharing the
 * session sees tessera's flashes and the other way round. Flask's tagged JSON writes each pair as a
 * tuple, `{" t": [category, message]}`; both shapes are read.
 */

/** Where flashes are kept in the session data: Flask's key. */
export const FLASHES_KEY = '_flashes'

/** The category of a flash given without one: Flask's default. */
export const DEFAULT_CATEGORY = 'message'

/** One flash message and its category (`'message'` unless one was given). */
export interface Flash<Message = string> {
  readonly category: string
  readonly message: Message
}

/** How Flask's tagged JSON writes a tuple. */
const TUPLE_TAG = ' t'

/** The stored list with one more `[category, message]` pair (a new array: the stored one is not changed). */
export function withFlash(stored: unknown, category: string, message: unknown): unknown[] {
  const list = Array.isArray(stored) ? [...stored] : []
  list.push([category, message])
  return list
}

/**
 * Splits the stored list into the flashes taken (all, or those of `category`) and the entries kept.
 * An entry that is not a `[category, message]` pair (written by hand, or by something else) is
 * dropped rather than shown.
 */
export function takeFlashes(
  stored: unknown,
  category?: string,
): { taken: Flash<unknown>[]; kept: unknown[] } {
  const taken: Flash<unknown>[] = []
  const kept: unknown[] = []
  if (!Array.isArray(stored)) return { taken, kept }
  for (const entry of stored) {
    const pair = asPair(entry)
    if (pair === undefined) continue
    if (category === undefined || pair[0] === category) taken.push({ category: pair[0], message: pair[1] })
    else kept.push(entry)
  }
  return { taken, kept }
}

/** `[category, message]` from a stored entry, plain or tagged as a Flask tuple. */
function asPair(entry: unknown): [string, unknown] | undefined {
  let value = entry
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.hasOwn(value, TUPLE_TAG)
  ) {
    value = (value as Record<string, unknown>)[TUPLE_TAG]
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string') return undefined
  return [value[0], value[1]]
}
