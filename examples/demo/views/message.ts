/** A page with a single message: not found, forbidden, error. */
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'

/** A short message and a link home. */
export function messageView(page: Page, text: string): SafeHtml {
  return html`<p>${text}</p><p><a href="/">${page.t.navHome}</a></p>`
}
