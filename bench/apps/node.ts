/** Plain node:http: bare, tessera's node adapter. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { nodeSessions } from 'tessera-session/node'
import {
  LARGE_SESSION,
  listening,
  MAX_AGE,
  nextCount,
  PORT,
  SECRET,
  SMALL_SESSION,
  unknownVariant,
  VARIANT,
} from './common.ts'

interface Bag {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

type Sessions = ((req: IncomingMessage, res: ServerResponse) => Bag) | undefined

function handler(sessions: Sessions) {
  const text = (res: ServerResponse, body: string) => {
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    res.end(body)
  }
  const fill = (req: IncomingMessage, res: ServerResponse, data: Record<string, unknown>) => {
    if (sessions) {
      const s = sessions(req, res)
      for (const [k, v] of Object.entries(data)) s.set(k, v)
    }
    text(res, 'ok')
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    switch (req.url) {
      case '/setup':
        return fill(req, res, SMALL_SESSION)
      case '/setup-large':
        return fill(req, res, LARGE_SESSION)
      case '/new':
        return fill(req, res, { user: 'alice' })
      case '/read':
      case '/large':
        return text(res, String(sessions ? sessions(req, res).get('user') : 'alice'))
      case '/write': {
        if (!sessions) return text(res, '1')
        const s = sessions(req, res)
        const count = nextCount(s.get('count'))
        s.set('count', count)
        return text(res, String(count))
      }
      case '/untouched':
        return text(res, 'ok')
      default:
        res.writeHead(404).end()
    }
  }
}

let sessions: Sessions
switch (VARIANT) {
  case 'bare':
    break
  case 'tessera':
    sessions = nodeSessions({ secretKey: SECRET, maxAge: MAX_AGE })
    break
  default:
    unknownVariant('node')
}
createServer(handler(sessions)).listen(PORT, '127.0.0.1', () => listening('node'))
