import { session } from '../../lib/session.ts'

export const GET = session.route((_request, s) => {
  const value = s.pop('my_session', null)
  return value === null
    ? Response.json({ detail: 'There is no session value to delete.' }, { status: 404 })
    : Response.json(value)
})
