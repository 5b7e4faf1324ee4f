/** The catalogue: each item viewed is remembered, and drives the recommendations. */
import { findItem } from '../catalogue.ts'
import { formGuard } from '../csrf.ts'
import { session } from '../dependencies.ts'
import { pageOf, sendPage } from '../page.ts'
import { readRecent, rememberView } from '../state.ts'
import { catalogueView } from '../views/catalogue.ts'
import { itemView } from '../views/item.ts'
import { messageView } from '../views/message.ts'
import { router } from './env.ts'

/** GET /catalogue, GET /catalogue/:slug, POST /catalogue/forget. */
export const catalogueRoutes = router()

// Pages with a "forget" button (shown once something was viewed) carry a CSRF token.
catalogueRoutes.get('/catalogue', (c) => {
  const recent = readRecent(session(c))
  const page = pageOf(c, recent.length > 0)
  return sendPage(c, page, page.t.catalogueTitle, catalogueView(page, recent))
})

catalogueRoutes.get('/catalogue/:slug', (c) => {
  const item = findItem(c.req.param('slug'))
  if (item === undefined) {
    const page = pageOf(c)
    return sendPage(c, page, page.t.notFoundTitle, messageView(page, page.t.notFoundText), 404)
  }
  rememberView(session(c), item.slug)
  const page = pageOf(c, true)
  return sendPage(c, page, item.name[page.lang], itemView(page, item, readRecent(session(c))))
})

catalogueRoutes.post('/catalogue/forget', formGuard, (c) => {
  session(c).delete('recent')
  return c.redirect('/catalogue', 303)
})
