// Labelled fields, selects, messages, and server errors shown next to the field they name.

import { h, uid } from './dom.js';
import { t, errorText } from '../i18n.js';

function describe(control, id) {
  const ids = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  ids.add(id);
  control.setAttribute('aria-describedby', [...ids].join(' '));
}

/** A label, its control, an optional hint; `name` is the JSON path the server uses in `field`. */
export function field(labelText, control, { hint, name, className } = {}) {
  control.id ||= uid('f');
  if (name) control.dataset.field = name;
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'hint', id: uid('h') }, hint);
    describe(control, hintEl.id);
  }
  return h('div', { class: `field ${className ?? ''}`.trim() }, h('label', { for: control.id }, labelText), control, hintEl);
}

/** A checkbox with its label on the right. */
export function checkbox(labelText, props = {}) {
  const input = h('input', { type: 'checkbox', ...props });
  return { input, el: h('label', { class: 'check' }, input, h('span', {}, labelText)) };
}

/** A <select> of `[value, label]` pairs. */
export function select(options, value, props = {}) {
  return h('select', props, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

/** A region announcing the outcome of an action; see showMessage. */
export function messageBox() {
  return h('div', { class: 'message', 'aria-live': 'polite', tabindex: '-1', hidden: true });
}

export function showMessage(box, text, kind = 'info') {
  box.className = `message message-${kind}`;
  box.textContent = text;
  box.hidden = !text;
}

// "variants[0].price.amount" → "variants[0].price" → "variants[0]" → "variants" → "".
function parentPath(path) {
  const match = /^(.*)(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return match ? match[1] : '';
}

/** Marks the control named by `fieldPath` (or its nearest named parent) invalid; returns it or null. */
export function showFieldError(scope, fieldPath, message) {
  for (let path = fieldPath; path; path = parentPath(path)) {
    const control = scope.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (!control) continue;
    control.setAttribute('aria-invalid', 'true');
    const host = control.closest('.field, td, fieldset') ?? control.parentElement;
    let error = host.querySelector(':scope > .field-error');
    if (!error) {
      error = h('p', { class: 'field-error', id: uid('e') });
      host.append(error);
    }
    error.textContent = message;
    error.hidden = false;
    describe(control, error.id);
    return control;
  }
  return null;
}

export function clearErrors(scope) {
  for (const control of scope.querySelectorAll('[aria-invalid="true"]')) control.removeAttribute('aria-invalid');
  for (const error of scope.querySelectorAll('.field-error')) {
    error.textContent = '';
    error.hidden = true;
  }
}

/**
 * Shows an error from the server: next to its field when `scope` has it, in `box` otherwise.
 * An expired session is skipped: the app is already on its way to the login view.
 */
export function reportError(error, { scope, box } = {}) {
  if (error?.code === 'unauthenticated') return;
  if (!(error?.code)) console.error(error);
  const control = scope && error?.field ? showFieldError(scope, error.field, errorText(error)) : null;
  if (box) showMessage(box, control ? t('form.fix_field') : errorText(error), 'error');
  control?.focus();
}

/** Disables a button while `work` runs, so a double click does not send twice. */
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
