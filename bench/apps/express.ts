/**
 * Express 5: bare, tessera's Express adapter (Starlette's format, or sealed beside iron-session), and
 * the references of ./common.ts.
 */
import { cached, sealed } from 'tessera-session'
import { sessions } from 'tessera-session/express'
import { listening, OPTIONS, PORT, unknownVariant, VARIANT } from './common.ts'
import { build, REFERENCES } from './express-routes.ts'

function createApp() {
  switch (VARIANT) {
    case 'bare':
      return build(undefined, [])
    case 'noop':
    case 'vary':
      return build(undefined, [REFERENCES[VARIANT]])
    case 'tessera':
      return build((req) => req.session, [sessions(OPTIONS)])
    case 'tessera-sealed':
      return build((req) => req.session, [sessions({ ...OPTIONS, format: cached(sealed()) })])
    default:
      return unknownVariant('express')
  }
}

createApp().listen(PORT, '127.0.0.1', () => listening('express'))
