// The form that makes a flash drop: a lineup product, the units set aside, the drop price, an
// optional limit per buyer and the countdown. The server checks every value (the browser's own
// checks are off), and its error shows next to the field it names.

import { api, path } from '/admin/api.js';
import { t, errorText } from '/admin/i18n.js';
import { h } from '/admin/lib/dom.js';
import { busy, clearErrors, field, messageBox, showFieldError, showMessage } from '/admin/lib/forms.js';
import { minorDigits, parseDecimal } from '/admin/lib/format.js';

const COUNTDOWN = 10;

/** An API error about a drop in the page's language: ours for the codes we know, the server's otherwise. */
export function dropErrorText(error) {
  const key = `studio.drop_error.${error?.code}`;
  const text = t(key);
  return text === key ? errorText(error) : text;
}

/** The whole number typed in a number field: null when empty, NaN when it is not one. */
function wholeNumber(input) {
  const text = input.value.trim();
  if (text === '') return input.validity.badInput ? NaN : null;
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

const numberInput = (props) => h('input', { type: 'number', step: 1, inputmode: 'numeric', ...props });

/**
 * `items`: the lineup; `titleOf(productId)` and `currencyOf(productId)` may answer better once the
 * products are loaded (`relabel()` then). `onMade(drop)` hears each drop made.
 */
export function dropForm({ brandId, show, items, titleOf, currencyOf, onMade }) {
  const url = path`/api/brands/${brandId}/shows/${show.id}/drops`;
  const product = h('select', {}, items.map((item) => h('option', { value: item.productId })));
  const quantity = numberInput({ min: 1, required: true });
  const price = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', required: true });
  const perCustomer = numberInput({ min: 1 });
  const countdown = numberInput({ min: COUNTDOWN, max: 600, value: COUNTDOWN, required: true });
  const priceField = field('', price, { name: 'price' });
  const make = h('button', { type: 'submit', class: 'button button-primary' }, t('studio.drop_make'));
  const box = messageBox();
  const el = h('form', { class: 'drop-form', novalidate: true },
    h('h3', {}, t('studio.drop_new')),
    field(t('studio.drop_product'), product, { name: 'productId' }),
    h('div', { class: 'drop-fields' },
      field(t('studio.drop_quantity'), quantity, { name: 'quantity' }),
      priceField,
      field(t('studio.drop_per_customer'), perCustomer, { name: 'perCustomer' }),
      field(t('studio.drop_countdown'), countdown, { name: 'countdownSeconds', hint: t('studio.drop_countdown_hint') })),
    h('div', { class: 'actions' }, make), box);

  /** The products' titles and the price's currency, once known. */
  function relabel() {
    [...product.options].forEach((option) => { option.textContent = titleOf(option.value); });
    const currency = currencyOf(product.value);
    priceField.querySelector('label').textContent = currency ? t('studio.drop_price', { currency }) : t('studio.drop_price_plain');
  }

  function report(error) {
    const text = dropErrorText(error);
    // One open drop per variant: the server names the variant, chosen here through its product.
    const name = error?.field === 'variantId' ? 'productId' : error?.field;
    const control = name ? showFieldError(el, name, text) : null;
    showMessage(box, control ? t('form.fix_field') : text, 'error');
    control?.focus();
  }

  /** The request's body, or null after marking what cannot be read. */
  function body() {
    const currency = currencyOf(product.value);
    const amount = parseDecimal(price.value, minorDigits(currency));
    const numbers = { quantity: wholeNumber(quantity), perCustomer: wholeNumber(perCustomer),
      countdownSeconds: wholeNumber(countdown) };
    const unreadable = Object.entries(numbers).filter(([, value]) => Number.isNaN(value))
      .map(([name]) => [name, t('studio.drop_whole_number')]);
    if (Number.isNaN(amount)) unreadable.push(['price', t('studio.drop_bad_price')]);
    if (unreadable.length) {
      for (const [name, text] of unreadable) showFieldError(el, name, text);
      showMessage(box, t('form.fix_field'), 'error');
      el.querySelector('[aria-invalid="true"]')?.focus();
      return null;
    }
    // What is left empty is left out: the server says what is missing.
    const out = { productId: product.value };
    for (const [name, value] of Object.entries(numbers)) if (value !== null) out[name] = value;
    if (amount !== null) out.price = { amount, currency };
    return out;
  }

  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (make.disabled) return;
    clearErrors(el);
    showMessage(box, '');
    const request = body();
    if (!request) return;
    try {
      const drop = await busy(make, () => api.post(url, request));
      for (const input of [quantity, price, perCustomer]) input.value = '';
      countdown.value = String(COUNTDOWN);
      showMessage(box, t('studio.drop_made'), 'success');
      onMade(drop);
    } catch (error) {
      report(error);
    }
  });
  product.addEventListener('change', relabel);
  relabel();
  return { el, relabel };
}
