import { memoryStore } from 'tessera-session/stores'
import { storeSuite } from './suite.ts'

storeSuite('memory', async (now) => {
  const store = memoryStore({ sweepInterval: 0, now })
  return { store, close: () => store.close() }
})
