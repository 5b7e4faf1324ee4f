// Progressive enhancement for the letter form: with JavaScript the draft is saved as you type, so a
// reload or a click elsewhere never loses it. Without JavaScript the "Save draft" button does the same.
const form = document.getElementById('draft-form')
const status = document.getElementById('autosave-status')
if (form && status) {
  let timer
  const save = (onLeave) => {
    timer = undefined
    const data = new FormData(form)
    data.set('intent', 'autosave')
    // On leaving the page, a beacon outlives it; otherwise a normal request tells us it worked.
    if (onLeave) return navigator.sendBeacon(form.getAttribute('action'), data)
    return fetch(form.getAttribute('action'), {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
    }).then((response) => {
      if (response.ok) status.textContent = status.dataset.savedText
    })
  }
  form.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(save, 400)
  })
  // A button press submits the form itself; a pending autosave must not resurrect a sent draft.
  form.addEventListener('submit', () => {
    clearTimeout(timer)
    timer = undefined
  })
  window.addEventListener('pagehide', () => {
    if (timer !== undefined) {
      clearTimeout(timer)
      save(true)
    }
  })
}
