import { session } from '../../lib/session.ts'

/** `change` in a Route Handler writes through cookies().set: Next.js percent-encodes the value. */
export async function GET(): Promise<Response> {
  await session.change((s) => {
    s.set('my_session', 'through cookies()')
  })
  return Response.json('ok')
}
