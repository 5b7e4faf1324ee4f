/** The stylesheet and the one script, served by the app itself: no CDN, so the demo works offline. */
import { readFileSync } from 'node:fs'
import { router } from './env.ts'

const FILES = {
  'style.css': 'text/css; charset=utf-8',
  'draft.js': 'text/javascript; charset=utf-8',
} as const

/** GET /static/style.css and /static/draft.js. */
export const staticRoutes = router()

for (const [name, type] of Object.entries(FILES)) {
  // Read once at startup: a missing file fails `npm start`, not a visitor's request.
  const content = readFileSync(new URL(`../public/${name}`, import.meta.url), 'utf8')
  staticRoutes.get(`/static/${name}`, (c) => {
    c.header('Content-Type', type)
    c.header('Cache-Control', 'no-cache')
    return c.body(content)
  })
}
