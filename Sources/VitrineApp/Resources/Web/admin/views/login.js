// Login: e-mail and password; too many attempts say how long to wait.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../lib/dom.js';
import { field, messageBox, showMessage, reportError, clearErrors, busy } from '../lib/forms.js';

export function render(ctx) {
  ctx.setTitle(t('login.title'));
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true, spellcheck: 'false' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('login.submit'));
  const box = messageBox();
  const form = h('form', { class: 'card form narrow', novalidate: true },
    box,
    field(t('field.email'), email, { name: 'email' }),
    field(t('field.password'), password, { name: 'password' }),
    h('div', { class: 'actions' }, submit, h('a', { href: '/reset/', class: 'muted' }, t('login.forgot'))));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    if (!email.value.trim() || !password.value) {
      showMessage(box, t('login.missing'), 'error');
      (email.value.trim() ? password : email).focus();
      return;
    }
    await busy(submit, async () => {
      try {
        const data = await api.post('/api/auth/login', { email: email.value.trim(), password: password.value },
          { redirectOn401: false });
        ctx.signedIn(data);
      } catch (error) {
        if (error.code === 'too_many_attempts' && error.retryAfter) {
          showMessage(box, t('login.wait', { minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) }), 'error');
        } else {
          reportError(error, { box });
        }
        password.value = '';
        password.focus();
      }
    });
  });
  ctx.root.classList.add('page-login');
  ctx.root.append(form);
  email.focus();
}
