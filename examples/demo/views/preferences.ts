/** Theme and language choices, as radio groups that work without JavaScript. */
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'
import { LANGUAGES, type Preferences, THEMES } from '../state.ts'
import { csrfField } from './layout.ts'

const THEME_LABEL = { auto: 'themeAuto', light: 'themeLight', dark: 'themeDark' } as const
/** Each language is named in itself, so a reader who does not know the current one can find theirs. */
const LANGUAGE_NAME = { en: 'English', ru: 'Русский' } as const

function radio(name: string, value: string, checked: boolean, label: SafeHtml | string): SafeHtml {
  const id = `${name}-${value || 'auto'}`
  return html`<div class="choice">
      <input type="radio" id="${id}" name="${name}" value="${value}"${checked ? html` checked` : ''}>
      <label for="${id}">${label}</label>
    </div>`
}

/** The preferences form, showing the current choices. */
export function preferencesView(page: Page, prefs: Preferences): SafeHtml {
  const { t } = page
  return html`<p>${t.prefsIntro}</p>
    <form method="post" action="/preferences" class="stack">
      ${csrfField(page)}
      <fieldset>
        <legend>${t.theme}</legend>
        ${THEMES.map((theme) => radio('theme', theme, prefs.theme === theme, t[THEME_LABEL[theme]]))}
      </fieldset>
      <fieldset>
        <legend>${t.language}</legend>
        ${radio('lang', '', prefs.lang === undefined, t.languageAuto)}
        ${LANGUAGES.map((lang) =>
          radio('lang', lang, prefs.lang === lang, html`<span lang="${lang}">${LANGUAGE_NAME[lang]}</span>`),
        )}
      </fieldset>
      <div class="actions"><button type="submit">${t.savePrefs}</button></div>
    </form>`
}
