/**
 * WCAG 2.2 contrast ratios measured in the page. Written as a string of plain JavaScript because tsx
 * compiles test functions with helpers (`__name`) that do not exist inside the browser.
 */
import type { Page } from 'playwright-core'

const MEASURE = `(selectors) => {
  const rgb = (css) => (css.match(/[\\d.]+/g) || []).map(Number)
  const channel = (v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4 }
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
  // The effective background is the first opaque one up the tree.
  const background = (el) => {
    for (let e = el; e !== null; e = e.parentElement) {
      const [r, g, b, a = 1] = rgb(getComputedStyle(e).backgroundColor)
      if (a > 0.99 && r !== undefined) return [r, g, b]
    }
    return [255, 255, 255]
  }
  return selectors.flatMap((selector) => {
    const el = document.querySelector(selector)
    if (el === null) return []
    const fg = luminance(rgb(getComputedStyle(el).color))
    const bg = luminance(background(el))
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
    return [{ what: selector, ratio: Math.round(ratio * 100) / 100 }]
  })
}`

/** Elements that carry text in the demo's layout. */
export const TEXT_SELECTORS = [
  'main p',
  '.note',
  'main a',
  'nav a',
  'button',
  '.button-link',
  '.site-footer p',
  'h1',
  'label',
  '.flash',
  '.error',
]

/** Contrast of each selector's first element against its background. */
export async function contrasts(
  page: Page,
  selectors: string[] = TEXT_SELECTORS,
): Promise<{ what: string; ratio: number }[]> {
  return page.evaluate(`(${MEASURE})(${JSON.stringify(selectors)})`)
}
