/** The letter form: the draft lives in the session until it is sent or discarded. */
import { formGuard } from '../csrf.ts'
import { session } from '../dependencies.ts'
import { pageOf, sendPage } from '../page.ts'
import { cleanText, type Draft, LIMITS, readDraft, TOPICS, type Topic } from '../state.ts'
import { draftView } from '../views/draft.ts'
import { field, router } from './env.ts'

/** GET and POST /draft. */
export const draftRoutes = router()

draftRoutes.get('/draft', (c) => {
  const page = pageOf(c, true)
  return sendPage(c, page, page.t.draftTitle, draftView(page, readDraft(session(c))))
})

// POST-redirect-GET: a reload after saving does not offer to resend the form.
draftRoutes.post('/draft', formGuard, async (c) => {
  const body = await c.req.parseBody()
  const s = session(c)
  const intent = field(body, 'intent')
  if (intent === 'send' || intent === 'discard') {
    s.delete('draft')
    s.set('flash', intent === 'send' ? 'draftSent' : 'draftDiscarded')
    return c.redirect('/draft', 303)
  }
  const topic = field(body, 'topic')
  const draft: Draft = {
    topic: (TOPICS as readonly string[]).includes(topic) ? (topic as Topic) : 'question',
    subject: cleanText(field(body, 'subject'), LIMITS.subject),
    message: cleanText(field(body, 'message'), LIMITS.message, true),
  }
  s.set('draft', draft)
  // The script's background saves need no page back.
  if (intent === 'autosave') return c.body(null, 204)
  s.set('flash', 'draftSaved')
  return c.redirect('/draft', 303)
})
