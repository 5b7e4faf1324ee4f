import pg from 'pg'
import { postgresStore } from 'tessera-session/stores/postgres'
import { databaseUrl, uniqueName } from '../support/services.ts'
import { storeSuite } from './suite.ts'

storeSuite('postgres', async (now) => {
  const url = await databaseUrl()
  const table = uniqueName('suite')
  const store = postgresStore({ connectionString: url, table, sweepInterval: 0, now })
  await store.migrate()
  await store.migrate() // idempotent: safe on every deploy
  return {
    store,
    close: async () => {
      await store.close()
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP TABLE ${table}`)
      await client.end()
    },
  }
})
