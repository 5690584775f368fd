// Announcements: a line of text every viewer sees over the video ("-20 % tonight").

import { t } from '/admin/i18n.js';
import { h, uid } from '/admin/lib/dom.js';
import { messageBox } from '/admin/lib/forms.js';
import { panel, act } from '/studio/app/ui.js';

const SHOWN = 5;

export function announcePanel({ room }) {
  const box = messageBox();
  const input = h('input', { type: 'text', id: uid('announce'), maxlength: 500, autocomplete: 'off' });
  const send = h('button', { type: 'submit', class: 'button button-primary' }, t('studio.announce'));
  const recent = h('ul', { class: 'plain-list announcements' });
  const form = h('form', {},
    h('div', { class: 'field' }, h('label', { for: input.id }, t('studio.announcement')),
      h('div', { class: 'copy-row' }, input, send)), box);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (await act(send, box, () => room.request({ type: 'announce', text }), t('studio.announced'))) input.value = '';
  });
  room.on('snapshot', (snapshot) => { send.disabled = !(snapshot.you?.canRun || snapshot.you?.canModerate); });
  room.on('announcement', (event) => {
    recent.prepend(h('li', {}, event.text));
    while (recent.children.length > SHOWN) recent.lastChild.remove();
  });
  return panel(t('studio.announcements'), form, recent);
}
