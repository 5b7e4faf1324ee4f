export {
  type ActiveSession,
  createStoreEngine,
  StoreEngine,
} from './engine.ts'
export { hashSessionId, newSessionId, SESSION_ID_BYTES, SESSION_ID_SALT, SessionIdSigner } from './id.ts'
export { cookieMaxAge, idleExpiry, isExpired, newRecord, shouldTouch } from './lifecycle.ts'
export { MemoryStore, type MemoryStoreOptions, memoryStore } from './memory.ts'
export { STORE_DEFAULTS, type StoreEngineOptions, type StoreSettings } from './options.ts'
export { hasUserIndex, type IndexedSession, type SessionRecord, type Store } from './store.ts'
