/** The list of items, with the recommendations panel. */
import { ITEMS } from '../catalogue.ts'
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'
import { recommendationsPanel } from './recommendations.ts'

/** Every item, beside the recommendations panel. */
export function catalogueView(page: Page, recent: readonly string[]): SafeHtml {
  const { t, lang } = page
  return html`<p>${t.catalogueIntro}</p>
    <div class="with-panel">
      <ul class="items">
        ${ITEMS.map(
          (item) => html`<li class="card">
            <h2><a href="/catalogue/${item.slug}">${item.name[lang]}</a></h2>
            <p>${item.description[lang]}</p>
          </li>`,
        )}
      </ul>
      ${recommendationsPanel(page, recent)}
    </div>`
}
