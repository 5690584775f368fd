// Guests of a private show: invite by e-mail (a personal link, shown once and e-mailed), see who
// opened their link, revoke a link.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill } from '../../lib/dom.js';
import { field, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '../../lib/forms.js';
import { formatDateTime } from '../../lib/format.js';
import { onceBox } from '../../lib/secret.js';

export function guestsPanel(ctx, show) {
  const base = path`/api/brands/${ctx.brandId}/shows/${show.id}/guests`;
  const zone = ctx.brand?.timeZone;
  const box = messageBox();
  const list = h('div', { class: 'table-wrap' });
  const linkHolder = h('div');
  ctx.onLeave(() => fill(linkHolder));
  const canInvite = ctx.can('shows.manage') && ['draft', 'scheduled', 'live'].includes(show.status);

  async function load() {
    const { items } = await api.get(base);
    fill(list, items.length
      ? h('table', { class: 'table' },
        h('caption', { class: 'visually-hidden' }, t('guests.title')),
        h('thead', {}, h('tr', {}, ['guests.email', 'guests.name', 'guests.invited', 'guests.opened', 'guests.state']
          .map((key) => h('th', { scope: 'col' }, t(key))))),
        h('tbody', {}, items.map((guest) => {
          const revoke = guest.revokedAt || !ctx.can('shows.manage') ? null
            : h('button', { type: 'button', class: 'button button-small button-danger' }, t('guests.revoke'));
          revoke?.addEventListener('click', () => busy(revoke, async () => {
            try {
              await api.del(`${base}/${encodeURIComponent(guest.id)}`);
              await load();
            } catch (error) {
              reportError(error, { box });
            }
          }));
          return h('tr', { class: guest.revokedAt ? 'row-muted' : null },
            h('td', {}, guest.email), h('td', {}, guest.name),
            h('td', {}, formatDateTime(guest.createdAt, zone)),
            h('td', {}, guest.lastOpenedAt ? formatDateTime(guest.lastOpenedAt, zone) : t('guests.not_opened')),
            h('td', {}, guest.revokedAt ? t('guests.revoked') : revoke));
        })))
      : h('p', { class: 'empty' }, t('guests.none')));
  }

  let form = null;
  if (canInvite) {
    const email = h('input', { type: 'email', required: true, maxlength: 254 });
    const name = h('input', { type: 'text', maxlength: 120, autocomplete: 'off' });
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('guests.invite'));
    form = h('form', { class: 'form', novalidate: true },
      field(t('guests.email'), email, { name: 'email' }), field(t('guests.name'), name, { name: 'name' }),
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearErrors(form);
      showMessage(box, '');
      if (!email.value.trim()) return showFieldError(form, 'email', t('form.required'))?.focus();
      return busy(submit, async () => {
        try {
          const invited = await api.post(base, { email: email.value.trim(), name: name.value.trim() });
          const card = onceBox({ title: t('guests.link_title', { email: invited.guest.email }), label: t('guests.link'),
            value: invited.link, warning: t(invited.emailed ? 'guests.link_emailed' : 'guests.link_not_emailed') });
          fill(linkHolder, card);
          card.focus();
          form.reset();
          await load();
        } catch (error) {
          reportError(error, { scope: form, box });
        }
      });
    });
  }
  load().catch((error) => reportError(error, { box }));
  return h('section', { class: 'card', 'aria-labelledby': 'guests-title' },
    h('h2', { id: 'guests-title' }, t('guests.title')), h('p', { class: 'hint' }, t('guests.intro')),
    box, form, linkHolder, list);
}
