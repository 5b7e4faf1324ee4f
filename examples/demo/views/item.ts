/** One catalogue item; viewing it is what feeds the recommendations. */
import type { Item } from '../catalogue.ts'
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'
import { recommendationsPanel } from './recommendations.ts'

/** One item, beside the recommendations panel (which already counts this view). */
export function itemView(page: Page, item: Item, recent: readonly string[]): SafeHtml {
  const { t, lang } = page
  return html`<div class="with-panel">
      <article>
        <p class="lead">${item.description[lang]}</p>
        <p>${t.tags}: ${item.tags.map((tag, i) => html`${i > 0 ? ', ' : ''}<span class="tag">${tag}</span>`)}</p>
        <p><a href="/catalogue">${t.backToCatalogue}</a></p>
      </article>
      ${recommendationsPanel(page, recent)}
    </div>`
}
