import { StoreUnavailable } from '../errors.ts'

/**
 * Runs one store call, turning a rejection or an answer slower than `ms` into
 * {@link StoreUnavailable}. The slow call itself is left to the driver's own timeouts; the request
 * waiting on it is released.
 */
export async function withTimeout<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailable(`session store did not answer ${what} within ${ms} ms`)),
      ms,
    )
  })
  try {
    return await Promise.race([call(), expired])
  } catch (error) {
    if (error instanceof StoreUnavailable) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new StoreUnavailable(`session store failed on ${what}: ${reason}`, error)
  } finally {
    clearTimeout(timer)
  }
}
