import { session } from '../../lib/session.ts'

export const GET = session.route((_request, s) => {
  s.set('big', 'x'.repeat(5000))
  return Response.json('ok')
})
