/**
 * Run as a child process by the fault tests: a Redis store whose server never answers must still
 * reject calls and, once closed, let the process exit (no reconnect loop left running).
 */
import { redisStore } from 'tessera-session/stores/redis'

const store = redisStore({ url: `redis://127.0.0.1:${process.env.DEAD_PORT}`, commandTimeout: 300 })
const outcome = await store.get('x').then(
  () => 'resolved',
  (error: unknown) => `rejected: ${error instanceof Error ? error.message : String(error)}`,
)
await store.close()
console.log(outcome)
