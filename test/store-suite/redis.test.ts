import { createClient } from 'redis'
import { redisStore } from 'tessera-session/stores/redis'
import { deleteRedisKeys, redisUrl, uniqueName } from '../support/services.ts'
import { storeSuite } from './suite.ts'

storeSuite('redis (store-made client)', async (now) => {
  const url = await redisUrl()
  const prefix = `${uniqueName('suite')}:`
  const store = redisStore({ url, prefix, now })
  return {
    store,
    close: async () => {
      await store.close()
      await deleteRedisKeys(url, prefix)
    },
  }
})

storeSuite("redis (the app's own node-redis client)", async (now) => {
  const url = await redisUrl()
  const client = createClient({ url, disableOfflineQueue: true })
  client.on('error', () => {})
  await client.connect()
  const prefix = `${uniqueName('suite')}:`
  const store = redisStore({ client, prefix, now })
  return {
    store,
    close: async () => {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*` }))
        if (keys.length) await client.del(keys)
      client.destroy()
    },
  }
})
