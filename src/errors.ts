/**
 * tessera's typed errors. Two channels (see the README's "Errors" section):
 * configuration and programming mistakes throw at once; untrusted input (a cookie) only ever
 * raises the `BadData` family inside the library, which the engine turns into an empty session.
 */

/** Base class of every error tessera throws. */
export class TesseraError extends Error {
  override name = 'TesseraError'
}

/** Bad options passed at setup. The message names the option, the bad value and the fix. */
export class ConfigError extends TesseraError {
  override name = 'ConfigError'
}

/** Untrusted data failed a check. Never escapes the middleware: the request gets an empty session. */
export class BadData extends TesseraError {
  override name = 'BadData'
}

/** The signature does not match any configured key, or the value is not signed at all. */
export class BadSignature extends BadData {
  override name = 'BadSignature'
}

/** The signature is valid but the timestamp inside it is missing or malformed. */
export class BadTimeSignature extends BadSignature {
  override name = 'BadTimeSignature'
}

/** The signature is valid but older than `maxAge`. */
export class SignatureExpired extends BadTimeSignature {
  override name = 'SignatureExpired'
  constructor(
    message: string,
    /** When the value was signed. */
    readonly issuedAt: Date,
  ) {
    super(message)
  }
}

/** The signature is valid but dated further in the future than the allowed clock skew. */
export class SignatureFromFuture extends BadTimeSignature {
  override name = 'SignatureFromFuture'
  constructor(
    message: string,
    readonly issuedAt: Date,
  ) {
    super(message)
  }
}

/** The signature is valid but the payload is not base64 JSON of a plain object. */
export class BadPayload extends BadData {
  override name = 'BadPayload'
}

/**
 * The cookie is authentic but its data fails the `schema` option. The request gets an empty session.
 */
export class InvalidSessionData extends BadData {
  override name = 'InvalidSessionData'
  constructor(
    /** What the schema reported, in Standard Schema's issue shape. */
    readonly issues: readonly { readonly message: string; readonly path?: readonly unknown[] | undefined }[],
  ) {
    super(`session data fails the schema: ${issues.map((issue) => issue.message).join('; ')}`)
  }
}

/**
 * The serialized session is larger than browsers accept, so sending it would silently lose it.
 * Thrown from commit; no cookie is written and the client's previous cookie stays intact.
 */
export class CookieTooLarge extends TesseraError {
  override name = 'CookieTooLarge'
  constructor(
    /** The cookie name. */
    readonly cookieName: string,
    /** Bytes of name plus value the session would need. */
    readonly size: number,
    /** The limit it exceeds. */
    readonly limit: number,
  ) {
    super(
      `session cookie "${cookieName}" would be ${size} bytes (name + value), over the browser limit of ${limit}; ` +
        'store less in the session, or use a server-side store',
    )
  }
}

/**
 * A server-side store could not be reached or did not answer in time. Adapters answer 503 with a
 * clear message; the session is neither lost nor half-written, and service resumes when the store does.
 */
export class StoreUnavailable extends TesseraError {
  override name = 'StoreUnavailable'
  constructor(
    message: string,
    /** The driver's error, when there was one. */
    override readonly cause?: unknown,
  ) {
    super(message)
  }
}

/**
 * A route asked for the session of a request that has none: the session middleware (plugin, hook)
 * is not installed, or runs after the route. The message says how to install it for the framework.
 */
export class SessionMiddlewareMissing extends TesseraError {
  override name = 'SessionMiddlewareMissing'
  constructor(
    /** How to install the middleware, e.g. `add app.use(sessions(...)) before this route`. */
    fix: string,
  ) {
    super(`no session on this request; ${fix}`)
  }
}
