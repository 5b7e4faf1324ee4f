import { nextSessions } from 'tessera-session/next'

export type Data = { user?: string; my_session?: string; big?: string }

/** One for the whole app: Server Components, Server Actions, Route Handlers and middleware import it. */
export const session = nextSessions<Data>({ secretKey: process.env.SECRET_KEY ?? '' })
