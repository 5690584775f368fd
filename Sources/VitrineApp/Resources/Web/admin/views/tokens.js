// API tokens: list, revoke, and create one whose secret is shown once.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../lib/dom.js';
import { field, checkbox, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '../lib/forms.js';
import { formatDateTime } from '../lib/format.js';
import { onceBox } from '../lib/secret.js';

const SCOPES = ['brand:read', 'catalog:read', 'catalog:write', 'shows:read', 'shows:write', 'audience:read', 'orders:read', 'orders:write',
  'webhooks:manage'];

export async function render(ctx) {
  const base = path`/api/brands/${ctx.brandId}/tokens`;
  const zone = ctx.brand?.timeZone;
  const box = messageBox();
  const list = h('div', { class: 'table-wrap' });
  const secretHolder = h('div');

  function tokenRow(token) {
    const revoke = token.revokedAt ? null : h('button', { type: 'button', class: 'button button-small button-danger',
      'aria-label': t('tokens.revoke_n', { name: token.name }) }, t('tokens.revoke'));
    revoke?.addEventListener('click', async () => {
      if (!window.confirm(t('tokens.revoke_confirm', { name: token.name }))) return;
      await busy(revoke, async () => {
        try {
          await api.del(`${base}/${encodeURIComponent(token.id)}`);
          await load();
          showMessage(box, t('tokens.revoked_done', { name: token.name }), 'success');
        } catch (error) {
          reportError(error, { box });
        }
      });
    });
    return h('tr', { class: token.revokedAt ? 'row-muted' : null },
      h('td', {}, token.name),
      h('td', {}, h('ul', { class: 'chips' }, token.scopes.map((scope) => h('li', {}, h('code', {}, scope))))),
      h('td', {}, h('code', {}, `${token.prefix}…`)),
      h('td', {}, formatDateTime(token.createdAt, zone)),
      h('td', {}, token.lastUsedAt ? formatDateTime(token.lastUsedAt, zone) : t('tokens.never')),
      h('td', { class: 'cell-actions' }, token.revokedAt
        ? h('span', { class: 'badge badge-archived' }, t('tokens.revoked_on', { date: formatDateTime(token.revokedAt, zone) }))
        : revoke));
  }

  async function load() {
    const { items } = await api.get(base);
    clear(list).append(items.length
      ? h('table', { class: 'table' },
        h('caption', { class: 'visually-hidden' }, t('title.tokens')),
        h('thead', {}, h('tr', {},
          [t('field.name'), t('tokens.scopes'), t('tokens.prefix'), t('tokens.created'), t('tokens.last_used')]
            .map((head) => h('th', { scope: 'col' }, head)),
          h('th', { scope: 'col' }, t('tokens.state')))),
        h('tbody', {}, items.map(tokenRow)))
      : h('p', { class: 'empty' }, t('tokens.none')));
  }

  const name = h('input', { type: 'text', required: true, maxlength: 120, autocomplete: 'off' });
  const boxes = SCOPES.map((scope) => ({ scope, ...checkbox(h('code', {}, scope), { value: scope }) }));
  const scopes = h('fieldset', { class: 'checks', dataset: { field: 'scopes' } },
    h('legend', {}, t('tokens.scopes')),
    h('div', { class: 'check-grid' }, boxes.map((b) => h('div', {}, b.el,
      h('span', { class: 'hint' }, t(`scope.${b.scope}`))))));
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('tokens.create'));
  const form = h('form', { class: 'card form', novalidate: true },
    h('h2', {}, t('tokens.create_title')),
    field(t('field.name'), name, { name: 'name', hint: t('tokens.name_hint') }),
    scopes,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const chosen = boxes.filter((b) => b.input.checked).map((b) => b.scope);
    if (!name.value.trim()) return showFieldError(form, 'name', t('form.required'))?.focus();
    if (!chosen.length) {
      showFieldError(form, 'scopes', t('tokens.choose_scope'));
      return boxes[0].input.focus();
    }
    return busy(submit, async () => {
      try {
        const { token, secret } = await api.post(base, { name: name.value.trim(), scopes: chosen });
        const card = onceBox({ title: t('tokens.secret_title', { name: token.name }), label: t('tokens.secret'), value: secret,
          warning: t('tokens.secret_once') });
        clear(secretHolder).append(card);
        card.focus();
        form.reset();
        await load();
      } catch (error) {
        reportError(error, { scope: form, box });
      }
    });
  });

  ctx.root.append(box, h('p', { class: 'intro' }, t('tokens.intro')), form, secretHolder,
    h('div', { class: 'card' }, h('h2', {}, t('tokens.list')), list));
  await load();
}
