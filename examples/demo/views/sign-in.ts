/** The sign-in form with its "remember me" box, or who is signed in. */
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'
import { LIMITS } from '../state.ts'
import { csrfField } from './layout.ts'

/** What the form shows after a failed attempt. */
export interface SignInForm {
  name: string
  remember: boolean
  error?: 'badName' | 'badPassword'
}

/** The sign-in form, or, when someone is signed in, who it is and a sign-out button. */
export function signInView(page: Page, form: SignInForm): SafeHtml {
  const { t, user } = page
  if (user !== undefined) {
    return html`<p>${t.alreadySignedIn(user.name)}</p>
      <p>${t.signOutClears}</p>
      <form method="post" action="/signout">${csrfField(page)}<button type="submit">${t.signOut}</button></form>`
  }
  const nameError = form.error === 'badName'
  const passwordError = form.error === 'badPassword'
  const invalid = html` aria-invalid="true"`
  return html`<p>${t.signInIntro}</p>
    ${form.error === undefined ? '' : html`<p class="error" id="signin-error" role="alert">${t[form.error]}</p>`}
    <form method="post" action="/signin" class="stack narrow">
      ${csrfField(page)}
      <div class="field">
        <label for="name">${t.userName}</label>
        <input id="name" name="name" type="text" required maxlength="${LIMITS.userName}" autocomplete="username"
          value="${form.name}" aria-describedby="${nameError ? 'signin-error name-hint' : 'name-hint'}"${nameError ? invalid : ''}>
        <p class="note" id="name-hint">${t.userNameHint(LIMITS.userName)}</p>
      </div>
      <div class="field">
        <label for="password">${t.password}</label>
        <input id="password" name="password" type="password" required autocomplete="current-password"${passwordError ? html`${invalid} aria-describedby="signin-error"` : ''}>
      </div>
      <div class="choice">
        <input id="remember" name="remember" type="checkbox" value="yes"${form.remember ? html` checked` : ''} aria-describedby="remember-hint">
        <label for="remember">${t.rememberMe}</label>
      </div>
      <p class="note" id="remember-hint">${t.rememberHint}</p>
      <div class="actions"><button type="submit">${t.signInButton}</button></div>
    </form>
    <p class="note">${t.signOutClears}</p>`
}
