export { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from '#base64'
export { type CachedOptions, cached } from './codec/cached.ts'
export type { CookieCodec, CookieFormat, Decoded, FormatContext, Inspected } from './codec/format.ts'
export { parseSessionJson, stringifySession } from './codec/json.ts'
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
export { readCookieValues } from './cookie/parse.ts'
export {
  type CommitResult,
  createSessionEngine,
  type Engine,
  SessionEngine,
  shouldClear,
  shouldRefresh,
  shouldSetCookie,
  toEngine,
} from './engine.ts'
export {
  BadData,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  ConfigError,
  CookieTooLarge,
  InvalidSessionData,
  SignatureExpired,
  SignatureFromFuture,
  StoreUnavailable,
  TesseraError,
} from './errors.ts'
export { login, logout, readValue, type Unauthorized, unauthorized } from './guards.ts'
export { DEFAULTS, MIN_SECRET_LENGTH, type ResolvedOptions, type SessionOptions } from './options.ts'
export type { Register, RegisteredSessionData } from './register.ts'
export { checkSessionData } from './schema.ts'
export {
  type DeepReadonly,
  PERSISTENT_KEY,
  Session,
  type SessionData,
  type SessionLoader,
  type SessionSource,
  type SessionState,
} from './session.ts'
