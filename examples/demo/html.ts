/**
 * HTML from template literals with escaping by default: every interpolated value is escaped unless it
 * is already {@link SafeHtml} (the output of another `html` template), so views cannot forget it.
 */

/** Markup that is already escaped; only {@link html} and {@link trustedHtml} make one. */
export class SafeHtml {
  readonly #value: string
  private constructor(value: string) {
    this.#value = value
  }
  /** @internal */
  static of(value: string): SafeHtml {
    return new SafeHtml(value)
  }
  toString(): string {
    return this.#value
  }
}

/** What a template may interpolate: text (escaped), markup, numbers, lists of these, or nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[]

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string)
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.toString()
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/**
 * Tagged template for markup. Attribute values must be quoted in the template (`href="${url}"`).
 * @example html`<p class="${cls}">${userText}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] as string
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] as string)
  })
  return SafeHtml.of(out)
}

/** Marks a string written by the app itself (never user input) as markup. */
export function trustedHtml(markup: string): SafeHtml {
  return SafeHtml.of(markup)
}
