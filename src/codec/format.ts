/**
 * The contract between the engine and a cookie format. A format is a value the user picks
 * (`format: starlette({ algorithm: 'sha256' })`); the engine, which owns the secrets and the session
 * lifetime, builds the format's codec from them once, at setup, and calls `encode`/`decode` on each
 * request. Formats are siblings (Starlette's signed cookie, a sealed cookie...), each in a file of its
 * own built from the codec layers below it; wrappers such as {@link import('./cached.ts').cached} take a
 * format and give one.
 */

/** What a codec read from a cookie value it could verify. */
export interface Decoded {
  /** The session's JSON text, exactly as the cookie carried it (the engine parses it). */
  json: string
  /** Seconds since the epoch at which the cookie was issued. */
  issuedAt: number
  /** Index of the secret that verified it; above 0 means it should be re-issued with the first. */
  keyIndex: number
}

/** What the engine gives a format to build its codec from. */
export interface FormatContext {
  /** The engine's validated secrets: the first signs (or seals), every one verifies. */
  secrets: readonly string[]
  /** Seconds a cookie stays valid after it was issued; `null` for no limit. */
  maxAge: number | null
  /** Seconds an issued-at time may lie in the future, for servers whose clocks differ. */
  clockSkew: number
}

/** A format bound to an engine's secrets and lifetime: what turns session JSON into a cookie value and back. */
export interface CookieCodec {
  /** The name of the format it was created by. */
  readonly name: string
  /** Turns the session's JSON text into a cookie value, issued at `now` (seconds since the epoch). */
  encode(json: string, now: number): string
  /**
   * Verifies a cookie value and gives back the JSON text it carries. A value issued more than
   * `maxAge` seconds before `now`, or more than `clockSkew` seconds after it, is rejected (as
   * {@link import('./timestamp.ts').checkAge} does).
   * @throws {import('../errors.ts').BadData} for anything that fails a check; nothing else for any input.
   */
  decode(value: string, now: number): Decoded
}

/** What {@link CookieFormat.inspect} can read from a value without a secret. */
export interface Inspected {
  /** The JSON text, or `undefined` when the value does not carry it readably. */
  json: string | undefined
  /** The issued-at time in seconds, or `undefined` when unreadable. */
  issuedAt: number | undefined
}

/**
 * How many cookies a format's value may be split over (`name.0`, `name.1`...), for formats only
 * tessera reads: a Starlette, Flask or iron-session reader would not understand chunks.
 */
export interface ChunkPolicy {
  /** The most cookies one session may take. */
  readonly max: number
}

/**
 * A named cookie format: what the `format` option takes. It holds no secret and no state, so one
 * format value may serve several engines; each {@link create} call gives a codec of its own.
 */
export interface CookieFormat {
  /** A short name (`'starlette'`, `'starlette-sha256'`), shown by the CLI and the demo's inspector. */
  readonly name: string
  /**
   * Builds the codec for an engine; called once, when the engine is created.
   * @throws {import('../errors.ts').ConfigError} when the context does not suit the format.
   */
  create(context: FormatContext): CookieCodec
  /**
   * Present when the engine may split a value too large for one cookie over several (the sealed
   * format's opt-in); absent, a session past 4096 bytes fails with `CookieTooLarge`.
   */
  readonly chunks?: ChunkPolicy
  /**
   * Reads what a value holds WITHOUT verifying it, for debugging (`tessera-session inspect`);
   * `undefined` when the value is not of this format. Absent for formats that cannot be read without
   * their key (sealed cookies).
   */
  inspect?(value: string): Inspected | undefined
}
