// Every route of the suite, as one endpoint. SvelteKit's own json, redirect and setHeaders; the
// suite's behaviour (act, lateBody, requireKey) comes through `platform`.
import { json, redirect } from '@sveltejs/kit'

export async function GET(event) {
  const suite = event.platform.suite
  const session = event.locals.session
  const action = suite.actionOf(event.url.pathname)
  if (action !== undefined) return json(await suite.act(action, session, event.url.searchParams))
  await session.load()
  if (event.url.pathname === '/late') return new Response(suite.lateBody(session))
  if (event.url.pathname === '/headers') {
    session.set('value', 'h')
    event.setHeaders({ vary: 'Accept-Encoding', 'cache-control': 'max-age=0, private' })
    const response = json('ok')
    response.headers.append('set-cookie', 'other=1; Path=/')
    return response
  }
  if (event.url.pathname === '/redirect') {
    session.set('value', 'r')
    redirect(302, '/act/read')
  }
  if (event.url.pathname === '/guarded') {
    return (await suite.requireKey(event, 'value')) ?? json({ value: session.get('value') })
  }
  return new Response('not found', { status: 404 })
}
