// Account: who is logged in, their brands, and a password change.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../lib/dom.js';
import { field, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '../lib/forms.js';
import { session } from '../lib/session.js';

const MIN_LENGTH = 10;

export function render(ctx) {
  const box = messageBox();
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: MIN_LENGTH });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('account.change'));
  const form = h('form', { class: 'card form narrow', novalidate: true },
    h('h2', {}, t('account.password')),
    // A hidden username lets password managers file the new password under the right account.
    h('input', { type: 'email', autocomplete: 'username', value: session.user.email, hidden: true, readonly: true }),
    field(t('account.current'), current, { name: 'currentPassword' }),
    field(t('account.new'), next, { name: 'newPassword', hint: t('password.hint', { n: MIN_LENGTH }) }),
    field(t('account.again'), again, { name: 'confirmPassword' }),
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const errors = [];
    if (!current.value) errors.push(['currentPassword', t('form.required')]);
    if (next.value.length < MIN_LENGTH) errors.push(['newPassword', t('password.too_short', { n: MIN_LENGTH })]);
    else if (next.value !== again.value) errors.push(['confirmPassword', t('password.mismatch')]);
    if (errors.length) {
      errors.map(([key, message]) => showFieldError(form, key, message))[0]?.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        await api.post('/api/me/password', { currentPassword: current.value, newPassword: next.value });
        form.reset();
        showMessage(box, t('account.changed'), 'success');
        box.focus();
      } catch (error) {
        // A wrong current password is answered without a field: it belongs next to that input.
        if (error.code === 'wrong_password' && !error.field) error.field = 'currentPassword';
        reportError(error, { scope: form, box });
      }
    });
  });

  const brands = session.memberships.length
    ? h('ul', { class: 'plain-list' }, session.memberships.map((m) => h('li', {},
      h('a', { href: `#/brands/${encodeURIComponent(m.brand.id)}/products` }, m.brand.name),
      ' — ', t(`role.${m.role}`))))
    : h('p', { class: 'message message-info' }, t('account.no_brand'));

  ctx.root.append(
    h('div', { class: 'card' },
      h('h2', {}, t('account.profile')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('field.name')), h('dd', {}, session.user.name),
        h('dt', {}, t('field.email')), h('dd', {}, session.user.email)),
      h('h3', {}, t('account.brands')), brands),
    box, form);
}
