/** Plain node:http: bare, tessera's node adapter, and the references of ./common.ts. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { nodeSessions } from 'tessera-session/node'
import {
  type Bag,
  ENDPOINT_BY_PATH,
  handlerOf,
  listening,
  OPTIONS,
  PORT,
  reference,
  unknownVariant,
  VARIANT,
} from './common.ts'

type Sessions = ((req: IncomingMessage, res: ServerResponse) => Bag) | undefined
type Handler = (req: IncomingMessage, res: ServerResponse) => void

function handler(sessions: Sessions): Handler {
  const byPath = new Map([...ENDPOINT_BY_PATH].map(([path, e]) => [path, handlerOf(e, sessions)]))
  return (req, res) => {
    const handle = byPath.get(req.url ?? '')
    if (!handle) return void res.writeHead(404).end()
    const body = handle(req, res)
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    res.end(body)
  }
}

/** node:http has no middleware: a reference is an async function run in front of the handler. */
function withReference(handle: Handler): Handler {
  switch (reference()) {
    case 'noop':
      return async (req, res) => {
        await handle(req, res)
      }
    case 'vary':
      return async (req, res) => {
        res.setHeader('Vary', 'Cookie')
        await handle(req, res)
      }
    default:
      return handle
  }
}

let sessions: Sessions
if (VARIANT === 'tessera') sessions = nodeSessions(OPTIONS)
else if (VARIANT !== 'bare' && !reference()) unknownVariant('node')
createServer(withReference(handler(sessions))).listen(PORT, '127.0.0.1', () => listening('node'))
