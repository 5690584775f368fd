// A value shown once (an invitation link, an API token secret) with a copy button and a warning.

import { h, uid, copyText } from './dom.js';
import { t } from '../i18n.js';

/** A card showing `value` read-only; `label` names it and `warning` says it will not be shown again. */
export function onceBox({ title, label, value, warning }) {
  const input = h('input', { type: 'text', readonly: true, value, id: uid('secret'), class: 'code', spellcheck: 'false' });
  const status = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'button button-primary' }, t('secret.copy'));
  copy.addEventListener('click', async () => {
    status.textContent = (await copyText(value, input)) ? t('secret.copied') : t('secret.copy_manually');
  });
  input.addEventListener('focus', () => input.select());
  const card = h('div', { class: 'card once', tabindex: '-1', role: 'region', 'aria-label': title },
    h('h2', {}, title),
    h('p', { class: 'message message-warning' }, warning),
    h('div', { class: 'field' }, h('label', { for: input.id }, label), h('div', { class: 'copy-row' }, input, copy)),
    status);
  return card;
}
