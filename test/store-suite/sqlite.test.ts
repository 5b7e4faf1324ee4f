import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sqliteStore } from 'tessera-session/stores/sqlite'
import { storeSuite } from './suite.ts'

storeSuite('sqlite (file, WAL)', async (now) => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sqlite-'))
  const store = sqliteStore({ path: join(dir, 'sessions.db'), sweepInterval: 0, now })
  return {
    store,
    close: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
