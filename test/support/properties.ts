/**
 * Shared settings of the property-based tests (fast-check): the seed, taken from `FC_SEED` when set
 * so a failure can be replayed, and the case counts, printed in each test's name. fast-check's own
 * failure message carries the seed and the shrunk counterexample; {@link check} adds the seed and the
 * replay command to it.
 */
import fc from 'fast-check'

/** The seed of this run: `FC_SEED=<n> npm run test:files -- <file>` replays a failure. */
export const SEED =
  process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED)

/** `n cases, seed s`: what a property test's name reports. */
export function cases(runs: number): string {
  return `${runs} cases, seed ${SEED}`
}

/** Runs a property with the run's seed; a failure names the seed and how to replay it. */
export async function check<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  runs: number,
): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<Ts>, { numRuns: runs, seed: SEED })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`property failed with seed ${SEED} (replay: FC_SEED=${SEED}):\n${message}`)
  }
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** Keys a session may hold: any string but the ones the JSON layer refuses. */
export const sessionKey = fc.string({ unit: 'binary', maxLength: 12 }).filter((key) => !FORBIDDEN.has(key))

/** No key the JSON layer refuses, at any depth (such data is refused by design, not round-tripped). */
export function withoutForbiddenKeys(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(withoutForbiddenKeys)
  if (typeof value !== 'object' || value === null) return true
  return Object.entries(value).every(([key, v]) => !FORBIDDEN.has(key) && withoutForbiddenKeys(v))
}

/** Session data: an object of JSON values, Unicode strings (lone surrogates included) among them. */
export const sessionData = fc
  .dictionary(sessionKey, fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), { maxKeys: 8 })
  .filter(withoutForbiddenKeys)
