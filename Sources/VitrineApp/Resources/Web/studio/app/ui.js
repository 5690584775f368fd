// What the studio's panels share: a titled panel, errors of the room in words, a confirmation
// dialog, and whether the person is typing (keyboard shortcuts stay out of the way then).

import { t, errorText } from '/admin/i18n.js';
import { h, uid } from '/admin/lib/dom.js';
import { showMessage } from '/admin/lib/forms.js';

/** A card with an h2 that names it for assistive technologies. */
export function panel(title, ...children) {
  const id = uid('panel');
  return h('section', { class: 'card studio-panel', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** A room error (or an API one) as a sentence in the page's language. */
export function roomErrorText(error) {
  const key = `studio.error.${error?.code}`;
  const text = t(key, { seconds: error?.retryAfter ?? '?' });
  if (text !== key) return text;
  return errorText(error);
}

/** Whether a key press belongs to a text field (or a list, or an open dialog), not to a shortcut. */
export function isTyping(event) {
  const target = event.target;
  if (document.querySelector('dialog[open]')) return true;
  if (!(target instanceof Element)) return false;
  return Boolean(target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'));
}

/**
 * Asks before an action that cannot be undone, in a modal <dialog>; resolves with true when confirmed.
 * `danger` paints the confirm button red.
 */
export function confirmAction({ title, text, confirm, danger = false }) {
  const opener = document.activeElement;
  const titleId = uid('dialog');
  const textId = uid('dialog');
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: `button ${danger ? 'button-danger' : 'button-primary'}` }, confirm);
    const no = h('button', { type: 'button', class: 'button' }, t('studio.cancel'));
    const dialog = h('dialog', { class: 'studio-dialog', 'aria-labelledby': titleId, 'aria-describedby': textId },
      h('h2', { id: titleId }, title),
      h('p', { id: textId }, text),
      h('div', { class: 'actions' }, yes, no));
    let answer = false;
    yes.addEventListener('click', () => { answer = true; dialog.close(); });
    no.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** Runs a room request from `button`, with its outcome in `box`: the error in words, or `done`. */
export async function act(button, box, request, done) {
  showMessage(box, '');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const ack = await request();
    if (done) showMessage(box, done, 'success');
    return ack;
  } catch (error) {
    showMessage(box, roomErrorText(error), 'error');
    return null;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
