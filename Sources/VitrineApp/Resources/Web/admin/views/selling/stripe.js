// The card payments card: the brand's own Stripe account (docs/payments.md). The webhook address and
// events to copy into Stripe's dashboard, the keys as hints only, and a form for new keys whose
// secret inputs are emptied after each save and when the page is left.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill, uid, copyText } from '../../lib/dom.js';
import { field, messageBox, showMessage, clearErrors, busy } from '../../lib/forms.js';
import { formatDateTime } from '../../lib/format.js';
import { sectionCard, report } from './common.js';

function facts(settings, zone) {
  if (!settings.configured) {
    return h('p', {}, h('span', { class: 'badge badge-archived' }, t('commerce.stripe.off')), ' ', t('commerce.stripe.off_hint'));
  }
  const row = (key, value) => [h('dt', {}, t(key)), h('dd', {}, value)];
  return h('dl', { class: 'facts' },
    row('commerce.stripe.state', h('span', { class: 'badge badge-active' }, t(`commerce.stripe.on_${settings.mode}`))),
    row('commerce.stripe.publishable', h('code', {}, settings.publishableKey)),
    row('commerce.stripe.secret', h('code', {}, settings.secretKeyHint)),
    row('commerce.stripe.webhook_secret', h('code', {}, settings.webhookSecretHint)),
    row('commerce.stripe.updated', formatDateTime(settings.updatedAt, zone)));
}

function webhookHelp(settings) {
  const url = h('input', { type: 'text', readonly: true, value: settings.webhookUrl, class: 'code', spellcheck: 'false',
    id: uid('webhook-url'), dataset: { copy: 'webhookUrl' } });
  const status = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'button' }, t('secret.copy'));
  copy.addEventListener('click', async () => {
    status.textContent = (await copyText(settings.webhookUrl, url)) ? t('secret.copied') : t('secret.copy_manually');
  });
  url.addEventListener('focus', () => url.select());
  return h('div', { class: 'stack' },
    h('h3', {}, t('commerce.stripe.webhook_title')),
    h('ol', { class: 'plain-list' },
      h('li', {}, t('commerce.stripe.step_keys')),
      h('li', {}, t('commerce.stripe.step_endpoint')),
      h('li', {}, t('commerce.stripe.step_secret'))),
    h('div', { class: 'field' }, h('label', { for: url.id }, t('commerce.stripe.webhook_url')),
      h('div', { class: 'copy-row' }, url, copy), status),
    h('div', { class: 'field' }, h('span', { class: 'label', id: `${url.id}-events` }, t('commerce.stripe.events')),
      h('ul', { class: 'chips', 'aria-labelledby': `${url.id}-events` },
        settings.webhookEvents.map((e) => h('li', {}, h('code', {}, e))))));
}

/** The card; people without brand.settings only learn who sets it up (the server refuses them the keys' hints). */
export function stripeCard(ctx) {
  const title = t('commerce.stripe.title');
  if (!ctx.can('brand.settings')) {
    return { el: sectionCard(title, h('p', { class: 'hint' }, t('commerce.stripe.owners_only'))) };
  }
  const base = path`/api/brands/${ctx.brandId}/payments/stripe`;
  const box = messageBox();
  const state = h('div');
  const help = h('div');
  const secretInput = () => h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', class: 'code' });
  const publishable = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', class: 'code', placeholder: 'pk_test_…' });
  const secret = secretInput();
  const webhookSecret = secretInput();
  const clearInputs = () => {
    for (const input of [publishable, secret, webhookSecret]) input.value = '';
  };
  ctx.onLeave(clearInputs);
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('commerce.stripe.save'));
  const remove = h('button', { type: 'button', class: 'button button-danger', hidden: true }, t('commerce.stripe.remove'));
  const heading = h('h3', {}, t('commerce.stripe.keys_title'));
  const form = h('form', { class: 'stack', novalidate: true, autocomplete: 'off' },
    heading,
    h('p', { class: 'hint' }, t('commerce.stripe.keys_hint')),
    h('div', { class: 'grid' },
      field(t('commerce.stripe.publishable'), publishable, { name: 'publishableKey', hint: 'pk_test_… / pk_live_…' }),
      field(t('commerce.stripe.secret'), secret, { name: 'secretKey', hint: 'sk_… / rk_…' }),
      field(t('commerce.stripe.webhook_secret'), webhookSecret, { name: 'webhookSecret', hint: 'whsec_…' })),
    h('div', { class: 'actions' }, submit, remove));

  function show(settings) {
    fill(state, facts(settings, ctx.brand?.timeZone));
    fill(help, webhookHelp(settings));
    remove.hidden = !settings.configured;
    heading.textContent = t(settings.configured ? 'commerce.stripe.replace_title' : 'commerce.stripe.keys_title');
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    return busy(submit, async () => {
      try {
        const saved = await api.put(base, {
          publishableKey: publishable.value.trim(), secretKey: secret.value.trim(), webhookSecret: webhookSecret.value.trim(),
        });
        clearInputs();
        show(saved);
        const note = ctx.brand?.cartMode === 'vitrine' ? '' : ` ${t('commerce.stripe.needs_vitrine')}`;
        showMessage(box, t('commerce.stripe.saved') + note, 'success');
      } catch (error) {
        report(error, { scope: form, box });
      }
    });
  });
  remove.addEventListener('click', () => {
    if (!window.confirm(t('commerce.stripe.remove_confirm'))) return undefined;
    return busy(remove, async () => {
      showMessage(box, '');
      try {
        await api.del(base);
        show(await api.get(base));
        showMessage(box, t('commerce.stripe.removed'), 'success');
      } catch (error) {
        report(error, { box });
      }
    });
  });

  const el = sectionCard(title, h('p', { class: 'hint' }, t('commerce.stripe.intro')), box, state, help, form);
  return { el, load: async () => show(await api.get(base)) };
}
