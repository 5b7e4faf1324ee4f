/** The start page: what each use case shows, and where. */
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'

/** The start page body. */
export function homeView(page: Page): SafeHtml {
  const { t } = page
  const useCase = (href: string, label: string, text: string) =>
    html`<li><a href="${href}">${label}</a>: ${text}</li>`
  return html`<p class="lead">${t.homeIntro}</p>
    <h2>${t.homeCases}</h2>
    <ul class="cases">
      ${useCase('/draft', t.navDraft, t.caseDraft)}
      ${useCase('/preferences', t.navPreferences, t.casePreferences)}
      ${useCase('/catalogue', t.navCatalogue, t.caseCatalogue)}
      ${useCase('/signin', t.navSignIn, t.caseSignIn)}
      ${useCase('/session', t.navSession, t.caseSession)}
    </ul>
    <p>${t.seedEndpoints}
      <a href="/create_session"><code>/create_session</code></a>,
      <a href="/read_session"><code>/read_session</code></a>,
      <a href="/delete_session"><code>/delete_session</code></a>.</p>`
}
