import { createCluster } from 'redis'
import { redisStore } from 'tessera-session/stores/redis'
import { startRedisCluster, uniqueName } from '../support/services.ts'
import { storeSuite } from './suite.ts'

storeSuite('redis cluster (node-redis createCluster)', async (now) => {
  const server = await startRedisCluster()
  const cluster = createCluster({ rootNodes: [{ url: server.url }], defaults: { disableOfflineQueue: true } })
  cluster.on('error', () => {})
  await cluster.connect()
  const store = redisStore({ client: cluster, prefix: `${uniqueName('cluster')}:`, now })
  return {
    store,
    close: async () => {
      cluster.destroy()
      await server.close()
    },
  }
})
