/** The "recommended for you" panel and the recently-viewed list, shown beside catalogue pages. */
import { findItem, type Item, recommend } from '../catalogue.ts'
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'
import { LIMITS } from '../state.ts'
import { csrfField } from './layout.ts'

const link = (page: Page, item: Item) => html`<a href="/catalogue/${item.slug}">${item.name[page.lang]}</a>`

/** Suggestions from `recent` (slugs, most recent first), the recent list itself, and a button to forget it. */
export function recommendationsPanel(page: Page, recent: readonly string[]): SafeHtml {
  const { t } = page
  const suggestions = recommend(recent)
  const viewed = recent.map(findItem).filter((item): item is Item => item !== undefined)
  return html`<aside class="panel" aria-labelledby="recommended-heading">
      <h2 id="recommended-heading">${t.recommended}</h2>
      ${
        suggestions.length === 0
          ? html`<p class="note">${t.recommendedEmpty}</p>`
          : html`<ol class="recommended">${suggestions.map(
              ({ item, because }) =>
                html`<li>${link(page, item)}<br><span class="note">${t.because(because.name[page.lang])}</span></li>`,
            )}</ol>`
      }
      ${
        viewed.length === 0
          ? ''
          : html`<h2 id="recent-heading">${t.recentlyViewed}</h2>
            <ol class="recent" aria-labelledby="recent-heading">${viewed.map((item) => html`<li>${link(page, item)}</li>`)}</ol>
            <p class="note">${t.recentLimit(LIMITS.recent)}</p>
            <form method="post" action="/catalogue/forget">
              ${csrfField(page)}
              <button type="submit" class="secondary">${t.forgetHistory}</button>
            </form>`
      }
    </aside>`
}
