/** The frame around every page: document head, skip link, header with navigation, footer. */
import { CSRF_FIELD } from '../csrf.ts'
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'

/** The hidden field every form carries. */
export function csrfField(page: Page): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${page.csrf ?? ''}">`
}

function navLink(page: Page, href: string, label: string): SafeHtml {
  const current = href === '/' ? page.path === '/' : page.path.startsWith(href)
  return html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`
}

function account(page: Page): SafeHtml {
  const { t, user } = page
  if (user === undefined) return html`<a class="button-link" href="/signin">${t.navSignIn}</a>`
  return html`<form method="post" action="/signout" class="inline">
      <span class="who">${t.signedInAs(user.name)}</span>
      ${csrfField(page)}
      <button type="submit" class="secondary">${t.signOut}</button>
    </form>`
}

function flash(page: Page): SafeHtml | '' {
  if (page.flash === undefined) return ''
  return html`<p class="flash" role="status">${page.t[page.flash]}</p>`
}

/** A whole HTML document. */
export function layout(page: Page, title: string, content: SafeHtml): SafeHtml {
  const { t } = page
  return html`<!doctype html>
<html lang="${page.lang}" data-theme="${page.theme}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="${page.theme === 'auto' ? 'light dark' : page.theme}">
  <title>${title} · ${t.siteName}</title>
  <link rel="stylesheet" href="/static/style.css">
</head>
<body>
  <a class="skip-link" href="#main">${t.skipToContent}</a>
  <header class="site-header">
    <a class="brand" href="/">${t.siteName}</a>
    <nav aria-label="${t.mainNav}">
      <ul>
        ${navLink(page, '/', t.navHome)}
        ${navLink(page, '/draft', t.navDraft)}
        ${navLink(page, '/catalogue', t.navCatalogue)}
        ${navLink(page, '/preferences', t.navPreferences)}
        ${navLink(page, '/session', t.navSession)}
      </ul>
    </nav>
    <div class="account">${account(page)}</div>
  </header>
  <main id="main" tabindex="-1">
    ${flash(page)}
    <h1>${title}</h1>
    ${content}
  </main>
  <footer class="site-footer">
    <p>${t.footer} <a href="/session">${t.footerLink}</a>.</p>
  </footer>
</body>
</html>
`
}
