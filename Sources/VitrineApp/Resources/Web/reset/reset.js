// Password reset: /reset/ asks for the e-mail address and sends a link; /reset/{token} (the link)
// sets a new password. The server answers the same whether the address has an account or not.

import { api } from '/admin/api.js';
import { getLang, setLang, onLangChange, LANGUAGES } from '/admin/i18n.js';
import { h, clear } from '/admin/lib/dom.js';
import { field, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '/admin/lib/forms.js';

const MIN_LENGTH = 10;
const TEXT = {
  fr: {
    title: 'Mot de passe oublié', newTitle: 'Nouveau mot de passe', email: 'Adresse e-mail',
    send: 'Envoyer le lien', sent: 'Si un compte existe pour cette adresse, un lien valable une heure vient d’y être envoyé.',
    password: 'Nouveau mot de passe', again: 'Le même, encore une fois', save: 'Enregistrer',
    short: `Au moins ${MIN_LENGTH} caractères.`, mismatch: 'Les deux mots de passe diffèrent.',
    done: 'Mot de passe changé. Vous pouvez vous connecter.', login: 'Se connecter', required: 'Champ obligatoire.',
    invalid: 'Ce lien est inconnu, déjà utilisé ou expiré : demandez-en un nouveau.', language: 'Langue',
  },
  en: {
    title: 'Forgotten password', newTitle: 'New password', email: 'E-mail address',
    send: 'Send the link', sent: 'If an account exists for this address, a link valid for one hour has just been sent to it.',
    password: 'New password', again: 'The same again', save: 'Save',
    short: `At least ${MIN_LENGTH} characters.`, mismatch: 'The two passwords differ.',
    done: 'Password changed. You can log in.', login: 'Log in', required: 'This field is required.',
    invalid: 'This link is unknown, used or expired: ask for a new one.', language: 'Language',
  },
};
const main = document.getElementById('main');
const header = document.getElementById('reset-header');
const token = decodeURIComponent(location.pathname.replace(/^\/reset\/?/, '').replace(/\/+$/, ''));
const tr = (key) => (TEXT[getLang()] ?? TEXT.en)[key];

function drawHeader() {
  const select = h('select', { id: 'lang-switch', onchange: () => setLang(select.value) },
    LANGUAGES.map(([code, name]) => h('option', { value: code, selected: code === getLang(), lang: code }, name)));
  clear(header).append(h('div', { class: 'topbar-inner' },
    h('div', { class: 'topbar-brand' }, h('a', { class: 'logo', href: '/admin/' }, h('span', {}, 'Vitrine'))),
    h('div', { class: 'topbar-user' },
      h('label', { for: 'lang-switch', class: 'visually-hidden' }, tr('language')), select)));
}

function requestForm() {
  const email = h('input', { type: 'email', autocomplete: 'username', required: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, tr('send'));
  const box = messageBox();
  const form = h('form', { class: 'card form narrow', novalidate: true }, box,
    field(tr('email'), email, { name: 'email' }), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!email.value.trim()) return showFieldError(form, 'email', tr('required'))?.focus();
    await busy(submit, async () => {
      try {
        await api.post('/api/auth/password-reset', { email: email.value.trim() }, { redirectOn401: false });
        showMessage(box, tr('sent'), 'success');
      } catch (error) {
        reportError(error, { scope: form, box });
      }
    });
  });
  return form;
}

function passwordForm() {
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, tr('save'));
  const box = messageBox();
  const form = h('form', { class: 'card form narrow', novalidate: true }, box,
    field(tr('password'), password, { name: 'newPassword', hint: tr('short') }),
    field(tr('again'), again, { name: 'confirmPassword' }), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (password.value.length < MIN_LENGTH) return showFieldError(form, 'newPassword', tr('short'))?.focus();
    if (password.value !== again.value) return showFieldError(form, 'confirmPassword', tr('mismatch'))?.focus();
    await busy(submit, async () => {
      try {
        await api.post('/api/auth/password-reset/confirm', { token, newPassword: password.value }, { redirectOn401: false });
        clear(form).append(h('p', { class: 'message message-success', role: 'status' }, tr('done')),
          h('p', {}, h('a', { class: 'button button-primary', href: '/admin/' }, tr('login'))));
      } catch (error) {
        if (error.status === 404) showMessage(box, tr('invalid'), 'error');
        else reportError(error, { scope: form, box });
      }
    });
  });
  return form;
}

function draw() {
  document.documentElement.lang = getLang();
  drawHeader();
  const title = token ? tr('newTitle') : tr('title');
  document.title = `${title} · Vitrine`;
  clear(main).append(h('h1', { class: 'page-title' }, title), token ? passwordForm() : requestForm());
}

onLangChange(draw);
draw();
