/** The letter form whose draft the session keeps. */
import { html, type SafeHtml } from '../html.ts'
import type { Page } from '../page.ts'
import { type Draft, LIMITS, TOPICS, type Topic } from '../state.ts'
import { csrfField } from './layout.ts'

const TOPIC_LABEL = { question: 'topicQuestion', order: 'topicOrder', feedback: 'topicFeedback' } as const

function topicOption(page: Page, topic: Topic, selected: Topic): SafeHtml {
  return html`<option value="${topic}"${topic === selected ? html` selected` : ''}>${page.t[TOPIC_LABEL[topic]]}</option>`
}

/** The letter form, filled with the saved draft. */
export function draftView(page: Page, draft: Draft): SafeHtml {
  const { t } = page
  return html`<p>${t.draftIntro}</p>
    <p class="note" id="draft-limits">${t.draftLimits(LIMITS.subject, LIMITS.message)}</p>
    <form method="post" action="/draft" id="draft-form" class="stack" aria-describedby="draft-limits">
      ${csrfField(page)}
      <div class="field">
        <label for="topic">${t.topic}</label>
        <select id="topic" name="topic">${TOPICS.map((topic) => topicOption(page, topic, draft.topic))}</select>
      </div>
      <div class="field">
        <label for="subject">${t.subject}</label>
        <input id="subject" name="subject" type="text" maxlength="${LIMITS.subject}" value="${draft.subject}" autocomplete="off">
      </div>
      <div class="field">
        <label for="message">${t.message}</label>
        <textarea id="message" name="message" rows="8" maxlength="${LIMITS.message}">${draft.message}</textarea>
      </div>
      <p class="autosave" id="autosave-status" role="status" data-saved-text="${t.autosaved}"></p>
      <div class="actions">
        <button type="submit" name="intent" value="save">${t.saveDraft}</button>
        <button type="submit" name="intent" value="send" class="secondary">${t.sendLetter}</button>
        <button type="submit" name="intent" value="discard" class="secondary">${t.discardDraft}</button>
      </div>
    </form>
    <script src="/static/draft.js" defer></script>`
}
