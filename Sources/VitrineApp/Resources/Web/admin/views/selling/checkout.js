// The checkout card: whose cart the player uses (the brand's shop, or Vitrine's own checkout), the
// price of home delivery, and the link to the terms of sale.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, uid } from '../../lib/dom.js';
import { field, messageBox, showMessage, clearErrors, showFieldError, busy } from '../../lib/forms.js';
import { sectionCard, moneyText, parseMoney, report } from './common.js';

const MODES = ['handoff', 'vitrine'];

/** The card, for everyone who opens the page; only owners and admins (brand.settings) may save it. */
export function checkoutCard(ctx) {
  const brand = ctx.brand;
  const editable = ctx.can('brand.settings');
  const box = messageBox();
  const group = uid('cart-mode');
  const modes = MODES.map((mode) => {
    const input = h('input', { type: 'radio', name: group, value: mode, checked: brand.cartMode === mode, disabled: !editable });
    const hint = h('span', { class: 'hint', id: uid('h') }, t(`commerce.checkout.${mode}_hint`));
    input.setAttribute('aria-describedby', hint.id);
    return { input, el: h('div', {}, h('label', { class: 'check' }, input, h('span', {}, t(`commerce.checkout.${mode}`))), hint) };
  });
  const modeSet = h('fieldset', { class: 'checks', dataset: { field: 'cartMode' } },
    h('legend', {}, t('commerce.checkout.mode')),
    h('div', { class: 'check-grid' }, modes.map((m) => m.el)));
  const price = h('input', { type: 'text', inputmode: 'decimal', class: 'input-money', autocomplete: 'off',
    value: moneyText(brand.homeDeliveryPrice, brand.currency), disabled: !editable });
  const terms = h('input', { type: 'url', inputmode: 'url', spellcheck: 'false', maxlength: 500, placeholder: 'https://',
    value: brand.termsUrl ?? '', disabled: !editable });
  const submit = editable ? h('button', { type: 'submit', class: 'button button-primary' }, t('commerce.checkout.save')) : null;

  const form = h('form', { class: 'stack', novalidate: true },
    modeSet,
    h('div', { class: 'grid' },
      field(t('commerce.checkout.delivery', { currency: brand.currency }), price,
        { name: 'homeDeliveryPrice', hint: t('commerce.checkout.delivery_hint') }),
      field(t('commerce.checkout.terms'), terms, { name: 'termsUrl', hint: t('commerce.checkout.terms_hint') })),
    editable ? h('div', { class: 'actions' }, submit) : h('p', { class: 'hint' }, t('commerce.owners_only')));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!editable) return undefined;
    clearErrors(form);
    showMessage(box, '');
    const delivery = parseMoney(price.value.trim() === '' ? '0' : price.value, brand.currency);
    if (Number.isNaN(delivery)) return showFieldError(form, 'homeDeliveryPrice', t('form.money_invalid'))?.focus();
    const cartMode = modes.find((m) => m.input.checked)?.input.value ?? brand.cartMode;
    return busy(submit, async () => {
      try {
        const updated = await api.patch(path`/api/brands/${ctx.brandId}`,
          { cartMode, homeDeliveryPrice: delivery, termsUrl: terms.value.trim() });
        // The app keeps this object for the brand: the other pages see the change without a reload.
        Object.assign(brand, updated);
        price.value = moneyText(updated.homeDeliveryPrice, updated.currency);
        terms.value = updated.termsUrl ?? '';
        showMessage(box, t(`commerce.checkout.saved_${updated.cartMode}`), 'success');
      } catch (error) {
        report(error, { scope: form, box });
      }
    });
  });

  return { el: sectionCard(t('commerce.checkout.title'), h('p', { class: 'hint' }, t('commerce.checkout.intro')), box, form) };
}
