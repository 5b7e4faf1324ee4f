import { memoryStore } from 'tessera-session/stores'
import { storeSuite } from './suite.ts'

storeSuite('memory', async () => {
  const store = memoryStore({ sweepInterval: 0 })
  return { store, close: () => store.close() }
})
