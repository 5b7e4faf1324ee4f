/**
 * The pages' text in each language. English is the reference: Russian must have every key
 * (the type says so), and a page picks one with {@link pickLanguage}.
 */
import { LANGUAGES, type Language } from './state.ts'

const en = {
  siteName: 'Tessera demo',
  skipToContent: 'Skip to content',
  mainNav: 'Main',
  navHome: 'Home',
  navDraft: 'Letter',
  navCatalogue: 'Catalogue',
  navPreferences: 'Preferences',
  navSession: 'Session',
  navSignIn: 'Sign in',
  signedInAs: (name: string) => `Signed in as ${name}`,
  signOut: 'Sign out',
  footer: 'Everything these pages remember about you lives in one signed cookie.',
  footerLink: 'See what it holds',

  homeTitle: 'Sessions, shown',
  homeIntro:
    'A session remembers things about one visitor between requests. This demo keeps the whole session in a signed cookie, in the same format as Starlette and FastAPI, so a Python app with the same secret can read it too.',
  homeCases: 'Try each use case',
  caseDraft: 'remembers what you typed, across reloads and pages, until you send it.',
  casePreferences: 'tailor every page: colour theme and language.',
  caseCatalogue: 'the items you view drive “recommended for you”.',
  caseSignIn: 'a temporary (browser-session) or persistent (“remember me”) sign-in.',
  caseSession: 'what the cookie holds, its size, and when it expires.',
  seedEndpoints: 'The seed’s JSON endpoints are still here:',

  draftTitle: 'Write to us',
  draftIntro:
    'Start a letter, then reload the page or wander off: the draft waits for you. With JavaScript it is saved as you type; without, press “Save draft”.',
  draftLimits: (subject: number, message: number) =>
    `To keep the cookie under 4 KB, the subject keeps at most ${subject} characters and the message ${message}.`,
  topic: 'Topic',
  topicQuestion: 'A question',
  topicOrder: 'An order',
  topicFeedback: 'Feedback',
  subject: 'Subject',
  message: 'Message',
  saveDraft: 'Save draft',
  sendLetter: 'Send',
  discardDraft: 'Discard draft',
  autosaved: 'Draft saved automatically.',
  draftSaved: 'Draft saved. It stays in your session until you send or discard it.',
  draftSent: 'Thank you! Your letter was “sent” (this is a demo) and the draft cleared.',
  draftDiscarded: 'Draft discarded.',

  prefsTitle: 'Preferences',
  prefsIntro: 'These settings change how every page is rendered, on the server, without JavaScript.',
  theme: 'Colour theme',
  themeAuto: 'Same as my system',
  themeLight: 'Light',
  themeDark: 'Dark',
  language: 'Language',
  languageAuto: 'Same as my browser',
  savePrefs: 'Save preferences',
  prefsSaved: 'Preferences saved.',

  catalogueTitle: 'Catalogue',
  catalogueIntro:
    'Open a few items. The session keeps the last few you viewed, and the panel suggests related items you have not seen yet.',
  recommended: 'Recommended for you',
  recommendedEmpty: 'View an item or two and suggestions appear here.',
  because: (name: string) => `Because you viewed ${name}`,
  recentlyViewed: 'Recently viewed',
  recentLimit: (n: number) => `Only the last ${n} are kept, to keep the cookie small.`,
  forgetHistory: 'Forget what I viewed',
  backToCatalogue: 'Back to the catalogue',
  tags: 'Tags',
  notFoundTitle: 'Not found',
  notFoundText: 'There is no such page.',

  signInTitle: 'Sign in',
  signInIntro: 'Any name works; the password is “demo”. Signing in starts a new session (regenerate).',
  userName: 'Name',
  userNameHint: (n: number) => `Letters, digits, spaces, dots, dashes; up to ${n} characters.`,
  password: 'Password',
  rememberMe: 'Remember me',
  rememberHint:
    'Checked: a persistent cookie that survives closing the browser. Unchecked: a browser-session cookie, gone when the browser closes.',
  signInButton: 'Sign in',
  badName: 'Enter a name: letters, digits, spaces, dots or dashes.',
  badPassword: 'Wrong password. It is “demo”.',
  alreadySignedIn: (name: string) => `You are signed in as ${name}.`,
  signOutClears: 'Signing out clears the whole session: draft, preferences and history too.',
  signedIn: 'Signed in.',
  signedOut: 'Signed out. The session cookie was deleted.',

  sessionTitle: 'Session inspector',
  sessionIntro:
    'What your browser sent with this request. The cookie is HttpOnly: scripts on the page cannot read it, only the server can.',
  noCookie: 'Your browser sent no session cookie: this is a new, empty session.',
  cookieRejected:
    'Your browser sent a session cookie that failed verification (altered, expired, or signed with another secret), so it was ignored and you have a fresh, empty session.',
  cookieValue: 'Cookie value (signed, base64)',
  decoded: 'Decoded contents',
  size: 'Size',
  sizeOf: (bytes: number, limit: number) => `${bytes} of ${limit} bytes`,
  sizeNote: 'Browsers ignore a cookie whose name and value exceed 4096 bytes (RFC 6265bis, section 5.7).',
  issued: 'Issued',
  expires: 'Expires',
  expiresBrowser: 'When the browser closes (browser-session cookie)',
  expiresServer: 'The server refuses it in any case after',
  expiresNever: 'No limit (maxAge is null)',
  kind: 'Kind',
  kindPersistent: 'Persistent (“remember me” or the default)',
  kindBrowser: 'Browser session',
  format: 'Format',
  store: 'Store',
  storeCookie: 'None: the whole session is in the cookie (signed, not encrypted: do not keep secrets in it).',
  maxAge: 'Lifetime (maxAge)',
  seconds: (n: number) => `${n} seconds`,
  signedInUser: 'Signed in',
  nobody: 'Nobody',

  forbiddenTitle: 'Form expired',
  forbiddenText:
    'This form was sent from another site or with an old security token, so it was not accepted. Go back, reload the page, and try again.',
  errorTitle: 'Something went wrong',
  errorText: 'The request could not be handled.',
}

/** One language's texts. */
export type Messages = typeof en

const ru: Messages = {
  siteName: 'Демо Tessera',
  skipToContent: 'Перейти к содержанию',
  mainNav: 'Главное меню',
  navHome: 'Главная',
  navDraft: 'Письмо',
  navCatalogue: 'Каталог',
  navPreferences: 'Настройки',
  navSession: 'Сессия',
  navSignIn: 'Войти',
  signedInAs: (name) => `Вы вошли как ${name}`,
  signOut: 'Выйти',
  footer: 'Всё, что эти страницы помнят о вас, хранится в одной подписанной cookie.',
  footerLink: 'Посмотреть, что в ней',

  homeTitle: 'Сессии в действии',
  homeIntro:
    'Сессия помнит что-то об одном посетителе между запросами. Здесь вся сессия хранится в подписанной cookie в том же формате, что у Starlette и FastAPI, поэтому приложение на Python с тем же секретом тоже может её прочитать.',
  homeCases: 'Попробуйте каждый сценарий',
  caseDraft: 'помнит, что вы ввели, после перезагрузки и переходов, пока вы его не отправите.',
  casePreferences: 'меняют каждую страницу: цветовую тему и язык.',
  caseCatalogue: 'просмотренные товары определяют «рекомендуем вам».',
  caseSignIn: 'временный (до закрытия браузера) или постоянный («запомнить меня») вход.',
  caseSession: 'что хранит cookie, её размер и когда она истекает.',
  seedEndpoints: 'JSON-адреса из исходного задания на месте:',

  draftTitle: 'Напишите нам',
  draftIntro:
    'Начните письмо, затем перезагрузите страницу или уйдите на другую: черновик вас дождётся. С JavaScript он сохраняется по мере ввода, без него нажмите «Сохранить черновик».',
  draftLimits: (subject, message) =>
    `Чтобы cookie оставалась меньше 4 КБ, тема хранит не более ${subject} символов, а сообщение — ${message}.`,
  topic: 'Тема письма',
  topicQuestion: 'Вопрос',
  topicOrder: 'Заказ',
  topicFeedback: 'Отзыв',
  subject: 'Заголовок',
  message: 'Сообщение',
  saveDraft: 'Сохранить черновик',
  sendLetter: 'Отправить',
  discardDraft: 'Удалить черновик',
  autosaved: 'Черновик сохранён автоматически.',
  draftSaved: 'Черновик сохранён. Он останется в сессии, пока вы его не отправите или не удалите.',
  draftSent: 'Спасибо! Письмо «отправлено» (это демо), черновик очищен.',
  draftDiscarded: 'Черновик удалён.',

  prefsTitle: 'Настройки',
  prefsIntro: 'Эти настройки меняют вид каждой страницы; страницы собираются на сервере, без JavaScript.',
  theme: 'Цветовая тема',
  themeAuto: 'Как в системе',
  themeLight: 'Светлая',
  themeDark: 'Тёмная',
  language: 'Язык',
  languageAuto: 'Как в браузере',
  savePrefs: 'Сохранить настройки',
  prefsSaved: 'Настройки сохранены.',

  catalogueTitle: 'Каталог',
  catalogueIntro:
    'Откройте несколько товаров. Сессия помнит последние просмотренные, а панель предлагает похожие, которые вы ещё не видели.',
  recommended: 'Рекомендуем вам',
  recommendedEmpty: 'Посмотрите пару товаров, и здесь появятся предложения.',
  because: (name) => `Потому что вы смотрели: ${name}`,
  recentlyViewed: 'Вы недавно смотрели',
  recentLimit: (n) => `Хранятся только последние ${n}, чтобы cookie оставалась маленькой.`,
  forgetHistory: 'Забыть историю просмотров',
  backToCatalogue: 'Назад в каталог',
  tags: 'Метки',
  notFoundTitle: 'Не найдено',
  notFoundText: 'Такой страницы нет.',

  signInTitle: 'Вход',
  signInIntro: 'Подойдёт любое имя; пароль — «demo». Вход начинает новую сессию (regenerate).',
  userName: 'Имя',
  userNameHint: (n) => `Буквы, цифры, пробелы, точки, дефисы; не более ${n} символов.`,
  password: 'Пароль',
  rememberMe: 'Запомнить меня',
  rememberHint:
    'Отмечено: постоянная cookie, переживает закрытие браузера. Не отмечено: cookie сеанса, исчезает при закрытии браузера.',
  signInButton: 'Войти',
  badName: 'Введите имя: буквы, цифры, пробелы, точки или дефисы.',
  badPassword: 'Неверный пароль. Он — «demo».',
  alreadySignedIn: (name) => `Вы вошли как ${name}.`,
  signOutClears: 'Выход очищает всю сессию: черновик, настройки и историю тоже.',
  signedIn: 'Вы вошли.',
  signedOut: 'Вы вышли. Cookie сессии удалена.',

  sessionTitle: 'Инспектор сессии',
  sessionIntro:
    'Что браузер прислал с этим запросом. Cookie помечена HttpOnly: скрипты на странице не могут её прочитать, только сервер.',
  noCookie: 'Браузер не прислал cookie сессии: это новая пустая сессия.',
  cookieRejected:
    'Браузер прислал cookie сессии, которая не прошла проверку (изменена, истекла или подписана другим секретом), поэтому она проигнорирована и у вас новая пустая сессия.',
  cookieValue: 'Значение cookie (подписано, base64)',
  decoded: 'Содержимое',
  size: 'Размер',
  sizeOf: (bytes, limit) => `${bytes} из ${limit} байт`,
  sizeNote:
    'Браузеры отбрасывают cookie, у которой имя и значение длиннее 4096 байт (RFC 6265bis, раздел 5.7).',
  issued: 'Выдана',
  expires: 'Истекает',
  expiresBrowser: 'При закрытии браузера (cookie сеанса)',
  expiresServer: 'Сервер в любом случае не примет её после',
  expiresNever: 'Без ограничения (maxAge равен null)',
  kind: 'Вид',
  kindPersistent: 'Постоянная («запомнить меня» или по умолчанию)',
  kindBrowser: 'На время сеанса браузера',
  format: 'Формат',
  store: 'Хранилище',
  storeCookie: 'Нет: вся сессия в cookie (подписана, но не зашифрована: не храните в ней секреты).',
  maxAge: 'Время жизни (maxAge)',
  seconds: (n) => `${n} с`,
  signedInUser: 'Вход выполнен',
  nobody: 'Никто',

  forbiddenTitle: 'Форма устарела',
  forbiddenText:
    'Форма пришла с другого сайта или со старым ключом защиты, поэтому не принята. Вернитесь, обновите страницу и попробуйте снова.',
  errorTitle: 'Что-то пошло не так',
  errorText: 'Не удалось обработать запрос.',
}

const MESSAGES: Record<Language, Messages> = { en, ru }

/** The texts of `lang`. */
export function messages(lang: Language): Messages {
  return MESSAGES[lang]
}

/**
 * The visitor's chosen language, else the first of ours their browser accepts (RFC 9110 section
 * 12.5.4 Accept-Language, q-values honoured), else English.
 */
export function pickLanguage(chosen: Language | undefined, acceptLanguage: string | undefined): Language {
  if (chosen !== undefined) return chosen
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { base: range.split('-')[0] ?? '', q: q === undefined ? 1 : Number(q.slice(2)) || 0, index }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const { base } of ranked) {
    const match = LANGUAGES.find((lang) => lang === base)
    if (match !== undefined) return match
  }
  return 'en'
}
