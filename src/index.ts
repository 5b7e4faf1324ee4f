export { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from '#base64'
export {
  applyCommit,
  CommitFailure,
  commitFor,
  failureFor,
  type HeaderTarget,
  setCookiesOf,
  shouldCommit,
  varyWithCookie,
} from './adapters/commit.ts'
export { type CachedOptions, cached } from './codec/cached.ts'
export { type FlaskOptions, flask } from './codec/flask.ts'
export { FLASK_TAGS, flaskTag, untagFlask } from './codec/flask-tags.ts'
export type {
  ChunkPolicy,
  CookieCodec,
  CookieFormat,
  Decoded,
  FormatContext,
  Inspected,
} from './codec/format.ts'
export { type IronOptions, iron } from './codec/iron.ts'
export { parseExact, parseSessionJson, stringifyExact, stringifySession } from './codec/json.ts'
export { looksSealed, SEALED_PREFIX, type SealedOptions, sealed } from './codec/sealed.ts'
export {
  type Algorithm,
  type KeyDerivation,
  Signer,
  type SignerOptions,
  type Unsigned,
} from './codec/signer.ts'
export { type StarletteOptions, starlette } from './codec/starlette.ts'
export { TimestampSigner, type TimestampUnsigned, type UnsignOptions } from './codec/timestamp.ts'
export { MAX_AGE_LIMIT_SECONDS, MAX_NAME_AND_VALUE_BYTES } from './cookie/limits.ts'
export { readCookieValue, readCookieValues } from './cookie/parse.ts'
export { shouldClear, shouldRefresh, shouldSetCookie } from './cookie-decisions.ts'
export { CookieEngine, createSessionEngine, toEngine } from './cookie-engine.ts'
export {
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfOptions,
  type CsrfRefusal,
  type CsrfRequest,
  checkCsrf,
  csrfToken,
  isFormContentType,
  isSafeMethod,
  originProblem,
  type ResolvedCsrfOptions,
  resolveCsrfOptions,
  verifyCsrfToken,
} from './csrf.ts'
export {
  type CommitResult,
  type CookieOpenedSession,
  type Engine,
  type OpenedSession,
  shouldBeSecure,
} from './engine.ts'
export {
  BadData,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  ConfigError,
  CookieTooLarge,
  InvalidSessionData,
  SessionMiddlewareMissing,
  SignatureExpired,
  SignatureFromFuture,
  StoreUnavailable,
  TesseraError,
} from './errors.ts'
export { DEFAULT_CATEGORY, FLASHES_KEY, type Flash } from './flash.ts'
export { login, logout, readValue, type Unauthorized, unauthorized } from './guards.ts'
export { consoleLogger, type Logger } from './logger.ts'
export { DEFAULTS, type ResolvedOptions, type SessionOptions } from './options.ts'
export {
  checkTrustProxy,
  isSecureRequest,
  type RequestContext,
  type RequestFacts,
  type TrustProxy,
} from './proxy.ts'
export type { Register, RegisteredSessionData } from './register.ts'
export { checkSessionData } from './schema.ts'
export { MIN_SECRET_LENGTH } from './secret-key.ts'
export {
  CREATED_KEY,
  CSRF_KEY,
  type DeepReadonly,
  PERSISTENT_KEY,
  Session,
  type SessionData,
} from './session.ts'
export {
  type CommitPlan,
  NOTHING,
  type SessionLoader,
  type SessionSource,
  SessionState,
  VARY_ONLY,
} from './session-state.ts'
