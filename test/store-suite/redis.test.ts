import { createClient } from 'redis'
import { redisStore } from 'tessera/stores/redis'
import { redisUrl, uniqueName } from '../support/services.ts'
import { storeSuite } from './suite.ts'

storeSuite('redis (store-made client)', async () => {
  const store = redisStore({ url: await redisUrl(), prefix: `${uniqueName('suite')}:` })
  return { store, close: () => store.close() }
})

storeSuite("redis (the app's own node-redis client)", async () => {
  const client = createClient({ url: await redisUrl(), disableOfflineQueue: true })
  client.on('error', () => {})
  await client.connect()
  const prefix = `${uniqueName('suite')}:`
  const store = redisStore({ client, prefix })
  return {
    store,
    close: async () => {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*` }))
        if (keys.length) await client.del(keys)
      client.destroy()
    },
  }
})
