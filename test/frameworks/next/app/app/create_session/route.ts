import { session } from '../../lib/session.ts'

export const GET = session.route((_request, s) => {
  s.set('my_session', '1234')
  return Response.json('ok')
})
