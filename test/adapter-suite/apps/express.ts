import { createServer } from 'node:http'
import type { Express, NextFunction, Request, Response } from 'express'
import express5 from 'express'
import express4 from 'express4'
import { requireKey, sessionErrors, sessions } from 'tessera-session/express'
import { act, lateWrite, suiteSession, VALUE_KEY } from '../harness.ts'
import { inProcess, listen } from '../in-process.ts'

/** The suite's app on Express; `express` is the framework's default export (Express 4 or 5). */
function expressApp(express: () => Express) {
  return inProcess(async (engine) => {
    const app = express()
    app.use(sessions(engine))
    app.get('/act/:name', async (req, res, next) => {
      try {
        res.json(
          await act(
            String(req.params.name),
            suiteSession(req.session),
            new URL(req.url, 'http://x').searchParams,
          ),
        )
      } catch (error) {
        next(error) // Express 4 does not catch rejections by itself
      }
    })
    app.get('/late', async (req, res) => {
      await suiteSession(req.session).load()
      res.write('first;')
      lateWrite(suiteSession(req.session))
      res.end('second')
    })
    app.get('/headers', async (req, res) => {
      await suiteSession(req.session).load()
      res.vary('Accept-Encoding')
      res.set('Cache-Control', 'max-age=0, private')
      res.append('Set-Cookie', 'other=1; Path=/')
      suiteSession(req.session).set('value', 'h')
      res.json('ok')
    })
    app.get('/redirect', async (req, res) => {
      await suiteSession(req.session).load()
      suiteSession(req.session).set('value', 'r')
      res.redirect(302, '/act/read')
    })
    app.get('/guarded', requireKey(VALUE_KEY), (req, res) => {
      res.json({ value: suiteSession(req.session).get('value') })
    })
    app.use(sessionErrors())
    // Quiet error handler with Express's default answer, so the suite's log stays readable.
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ detail: 'Internal Server Error' })
    })
    return listen(createServer(app))
  })
}

export const express5App = expressApp(express5)
export const express4App = expressApp(express4 as unknown as () => Express)
