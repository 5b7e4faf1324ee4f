/** The session inspector: the cookie as received, decoded, measured and dated. */
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'

/** What the inspector shows; gathered by routes/inspector.ts. */
export interface Inspection {
  cookieName: string
  /** The cookie value the browser sent, or `undefined` when it sent none. */
  rawValue: string | undefined
  /** A cookie came but failed verification (tampered, expired, other secret): the session is new. */
  rejected: boolean
  /** Bytes of name and value, as browsers count them. */
  size: number
  limit: number
  /** The decoded session, pretty-printed. */
  json: string
  issuedAt: Date | undefined
  /** Seconds, or `null` for no limit. */
  maxAge: number | null
  /** `false` after sign-in without "remember me": a browser-session cookie. */
  persistent: boolean
  format: string
  signedIn: string | undefined
}

function time(page: Page, date: Date): SafeHtml {
  const text = new Intl.DateTimeFormat(page.lang, {
    dateStyle: 'long',
    timeStyle: 'long',
    timeZone: 'UTC',
  }).format(date)
  return html`<time datetime="${date.toISOString()}">${text}</time>`
}

function expiry(page: Page, x: Inspection): SafeHtml {
  const { t } = page
  if (x.issuedAt === undefined) return html`—`
  const end = x.maxAge === null ? undefined : new Date(x.issuedAt.getTime() + x.maxAge * 1000)
  if (!x.persistent) {
    return html`${t.expiresBrowser}.${end === undefined ? '' : html` ${t.expiresServer} ${time(page, end)}.`}`
  }
  return end === undefined ? html`${t.expiresNever}` : time(page, end)
}

/** The inspector page body. */
export function inspectorView(page: Page, x: Inspection): SafeHtml {
  const { t } = page
  const percent = Math.round((x.size / x.limit) * 100)
  return html`<p>${t.sessionIntro}</p>
    ${x.rawValue === undefined ? html`<p class="panel" id="no-cookie">${t.noCookie}</p>` : ''}
    ${x.rejected ? html`<p class="error" id="rejected">${t.cookieRejected}</p>` : ''}
    <dl class="facts">
      <dt id="size-label">${t.size}</dt>
      <dd>
        <meter id="size-meter" aria-labelledby="size-label" min="0" max="${x.limit}" low="${Math.round(x.limit / 2)}" high="${Math.round(x.limit * 0.85)}" optimum="0" value="${x.size}" aria-describedby="size-text"></meter>
        <span id="size-text">${t.sizeOf(x.size, x.limit)} (${percent}%)</span>
        <p class="note">${t.sizeNote}</p>
      </dd>
      <dt>${t.issued}</dt>
      <dd id="issued">${x.issuedAt === undefined ? '—' : time(page, x.issuedAt)}</dd>
      <dt>${t.expires}</dt>
      <dd id="expires">${expiry(page, x)}</dd>
      <dt>${t.kind}</dt>
      <dd id="kind">${x.issuedAt === undefined ? '—' : x.persistent ? t.kindPersistent : t.kindBrowser}</dd>
      <dt>${t.maxAge}</dt>
      <dd>${x.maxAge === null ? t.expiresNever : t.seconds(x.maxAge)}</dd>
      <dt>${t.format}</dt>
      <dd id="format"><code>${x.format}</code></dd>
      <dt>${t.store}</dt>
      <dd>${t.storeCookie}</dd>
      <dt>${t.signedInUser}</dt>
      <dd>${x.signedIn ?? t.nobody}</dd>
    </dl>
    <h2 id="decoded-heading">${t.decoded}</h2>
    <pre class="code" id="decoded" aria-labelledby="decoded-heading" tabindex="0">${x.json}</pre>
    ${
      x.rawValue === undefined
        ? ''
        : html`<h2 id="raw-heading">${t.cookieValue}</h2>
      <p class="code raw" id="raw" aria-labelledby="raw-heading"><code>${x.cookieName}=${x.rawValue}</code></p>`
    }`
}
