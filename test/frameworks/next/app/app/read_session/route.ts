import { session } from '../../lib/session.ts'

export const GET = session.route((_request, s) => Response.json(s.get('my_session') ?? null))
