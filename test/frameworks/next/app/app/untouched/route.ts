import { session } from '../../lib/session.ts'

export const GET = session.route(() => Response.json('ok'))
