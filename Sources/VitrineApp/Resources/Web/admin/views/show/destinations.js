// Simulcast: the other platforms a show streams to while live (YouTube, Twitch, Facebook…). The
// stream key is typed once and then only its last characters are shown.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill } from '../../lib/dom.js';
import { field, messageBox, showMessage, reportError, clearErrors, busy } from '../../lib/forms.js';

export function destinationsPanel(ctx, show) {
  const base = path`/api/brands/${ctx.brandId}/shows/${show.id}/destinations`;
  const box = messageBox();
  const list = h('ul', { class: 'plain-list destinations' });

  async function load() {
    const { items } = await api.get(base);
    fill(list, items.length ? items.map((d) => {
      const toggle = h('button', { type: 'button', class: 'button button-small' },
        t(d.enabled ? 'destinations.pause' : 'destinations.resume'));
      const remove = h('button', { type: 'button', class: 'button button-small button-danger' }, t('destinations.remove'));
      toggle.addEventListener('click', () => busy(toggle, async () => {
        try {
          await api.patch(`${base}/${encodeURIComponent(d.id)}`, { enabled: !d.enabled });
          await load();
        } catch (error) {
          reportError(error, { box });
        }
      }));
      remove.addEventListener('click', () => busy(remove, async () => {
        if (!window.confirm(t('destinations.remove_confirm', { name: d.name }))) return;
        try {
          await api.del(`${base}/${encodeURIComponent(d.id)}`);
          await load();
        } catch (error) {
          reportError(error, { box });
        }
      }));
      return h('li', { class: d.enabled ? null : 'row-muted' },
        h('strong', {}, d.name), ' ', h('code', {}, d.url), ' ',
        h('span', { class: 'hint' }, t('destinations.key_hint', { last: d.keyHint })), ' ', toggle, ' ', remove);
    }) : h('li', { class: 'empty' }, t('destinations.none')));
  }

  const name = h('input', { type: 'text', maxlength: 80, autocomplete: 'off', placeholder: 'YouTube' });
  const url = h('input', { type: 'text', maxlength: 500, autocomplete: 'off', placeholder: 'rtmps://…' });
  const key = h('input', { type: 'password', maxlength: 500, autocomplete: 'new-password' });
  const submit = h('button', { type: 'submit', class: 'button' }, t('destinations.add'));
  const form = h('form', { class: 'form', novalidate: true },
    field(t('destinations.name'), name, { name: 'name' }),
    field(t('destinations.url'), url, { name: 'url', hint: t('destinations.url_hint') }),
    field(t('destinations.key'), key, { name: 'streamKey' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    return busy(submit, async () => {
      try {
        const input = { url: url.value.trim(), streamKey: key.value.trim() };
        if (name.value.trim()) input.name = name.value.trim();
        await api.post(base, input);
        form.reset();
        await load();
        showMessage(box, t('destinations.added'), 'success');
      } catch (error) {
        reportError(error, { scope: form, box });
      }
    });
  });
  load().catch((error) => reportError(error, { box }));
  return h('section', { class: 'card', 'aria-labelledby': 'destinations-title' },
    h('h2', { id: 'destinations-title' }, t('destinations.title')), h('p', { class: 'hint' }, t('destinations.intro')),
    box, list, form);
}
