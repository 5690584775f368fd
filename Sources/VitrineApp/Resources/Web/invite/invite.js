// Invitation acceptance at /invite/{token}: a new person picks a name and password, an existing one
// confirms with their password; then the admin app opens on the brand they joined.

import { api, path } from '/admin/api.js';
import { t, errorText, getLang, setLang, onLangChange, LANGUAGES } from '/admin/i18n.js';
import { h, clear } from '/admin/lib/dom.js';
import { field, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '/admin/lib/forms.js';

const MIN_LENGTH = 10;
const main = document.getElementById('main');
const header = document.getElementById('invite-header');
const token = decodeURIComponent(location.pathname.replace(/^\/invite\/?/, '').replace(/\/+$/, ''));
let invitation = null;
let failure = null;

function drawHeader() {
  const select = h('select', { id: 'lang-switch', onchange: () => setLang(select.value) },
    LANGUAGES.map(([code, name]) => h('option', { value: code, selected: code === getLang(), lang: code }, name)));
  clear(header).append(h('div', { class: 'topbar-inner' },
    h('div', { class: 'topbar-brand' }, h('a', { class: 'logo', href: '/admin/' }, h('span', {}, 'Vitrine'))),
    h('div', { class: 'topbar-user' },
      h('label', { for: 'lang-switch', class: 'visually-hidden' }, t('nav.language')), select)));
}

function page(title, ...content) {
  document.title = `${title} · Vitrine`;
  clear(main).append(h('h1', { class: 'page-title' }, title), ...content);
}

function acceptForm() {
  const isNew = !invitation.userExists;
  const name = isNew ? h('input', { type: 'text', autocomplete: 'name', required: true, maxlength: 120 }) : null;
  const password = h('input', { type: 'password', autocomplete: isNew ? 'new-password' : 'current-password', required: true });
  const again = isNew ? h('input', { type: 'password', autocomplete: 'new-password', required: true }) : null;
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('invite.accept'));
  const box = messageBox();
  const form = h('form', { class: 'card form narrow', novalidate: true },
    h('p', {}, t(isNew ? 'invite.new_user' : 'invite.existing_user', { email: invitation.email })),
    box,
    h('input', { type: 'email', autocomplete: 'username', value: invitation.email, hidden: true, readonly: true }),
    isNew ? field(t('field.name'), name, { name: 'name' }) : null,
    field(t(isNew ? 'invite.choose_password' : 'field.password'), password,
      { name: 'password', hint: isNew ? t('password.hint', { n: MIN_LENGTH }) : null }),
    isNew ? field(t('account.again'), again, { name: 'confirmPassword' }) : null,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const errors = [];
    if (isNew && !name.value.trim()) errors.push(['name', t('form.required')]);
    if (isNew && password.value.length < MIN_LENGTH) errors.push(['password', t('password.too_short', { n: MIN_LENGTH })]);
    else if (isNew && password.value !== again.value) errors.push(['confirmPassword', t('password.mismatch')]);
    if (!isNew && !password.value) errors.push(['password', t('form.required')]);
    if (errors.length) {
      errors.map(([key, message]) => showFieldError(form, key, message))[0]?.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        const body = isNew ? { name: name.value.trim(), password: password.value } : { password: password.value };
        await api.post(path`/api/invitations/${token}/accept`, body, { redirectOn401: false });
        // The session cookie is set; the admin app reads the rest from GET /api/me.
        location.replace(`/admin/#/brands/${encodeURIComponent(invitation.brand.id)}/products`);
      } catch (error) {
        if (error.status === 401 && !error.field) error.field = 'password';
        reportError(error, { scope: form, box });
      }
    });
  });
  return form;
}

function draw() {
  document.documentElement.lang = getLang();
  drawHeader();
  if (failure) {
    page(t('invite.invalid_title'),
      h('p', { class: 'message message-error' }, failure.status === 404 ? t('invite.invalid') : errorText(failure)),
      h('p', {}, h('a', { href: '/admin/' }, t('invite.to_admin'))));
    return;
  }
  if (!invitation) {
    page(t('invite.title'), h('p', { class: 'muted', 'aria-live': 'polite' }, t('app.loading')));
    return;
  }
  page(t('invite.join', { brand: invitation.brand.name }),
    h('p', { class: 'lead' }, t('invite.as_role', { role: t(`role.${invitation.role}`) })),
    acceptForm());
}

async function start() {
  draw();
  if (!token) {
    failure = { status: 404 };
  } else {
    try {
      invitation = await api.get(path`/api/invitations/${token}`, { redirectOn401: false });
    } catch (error) {
      failure = error;
    }
  }
  draw();
  main.querySelector('input:not([hidden])')?.focus();
}

onLangChange(draw);
start();
