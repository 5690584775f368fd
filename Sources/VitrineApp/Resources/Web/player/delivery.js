// How a checkout's order gets to the buyer (checkout.js): home delivery, or, when the brand has
// stores, picked up in one of them (its name, address and opening hours), the address fields then
// hidden and not sent. It also prices the cart for the choice: the server's cart counts home
// delivery. checkout.js talks to the API; this module only draws. Store text only becomes text nodes.

import { h, uid } from '/admin/lib/dom.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// The rate the server taxes home delivery at (Pricing.price's deliveryVatRate): picking up takes
// the delivery out of the cart's VAT at this rate.
const DELIVERY_VAT_RATE = 2000;

/**
 * The delivery fieldset of one checkout form. `address` is the address fieldset (hidden and
 * disabled while picking up); `changed()` is called when the choice changes. Without stores it is
 * home delivery alone, as it has always been.
 */
export function createDelivery({ stores = [], homePrice, lang, tr, price, address, changed }) {
  const radio = (value, checked) => h('input', { type: 'radio', name: 'delivery', value, checked, dataset: { key: `delivery:${value}` } });
  const home = h('label', { class: 'choice' }, radio('home', true),
    h('span', {}, tr('delivery_home')), h('span', { class: 'choice-price' }, price(homePrice)));
  const homeLine = (cart) => [tr('delivery_home'), price(cart.delivery)];
  if (!stores.length) {
    return { node: h('fieldset', {}, h('legend', {}, tr('delivery')), home), field: null,
      method: () => 'home', storeId: () => undefined, priced: (cart) => cart, line: homeLine };
  }

  const error = h('p', { class: 'field-error', id: uid('e'), 'aria-live': 'polite' });
  const legendId = uid('l');
  // A radio group: its error is read with it, and it takes the focus when the server names it.
  const list = h('fieldset', { class: 'stores', role: 'radiogroup', tabindex: '-1', disabled: true,
    'aria-labelledby': legendId, 'aria-describedby': error.id, dataset: { field: 'pickupStoreId', key: 'field:pickupStoreId' } },
  h('legend', { id: legendId }, tr('pickup_store')),
  stores.map((store) => storeChoice(store, stores.length === 1, lang)));
  const box = h('div', { class: 'pickup-stores', hidden: true }, list, error);
  const pickup = h('label', { class: 'choice' }, radio('pickup', false),
    h('span', {}, tr('pickup')), h('span', { class: 'choice-price' }, tr('pickup_free')));
  // The stores follow the choice, outside its fieldset: a radio group holds one name.
  const node = h('div', { class: 'delivery', onchange: (event) => { if (event.target.name === 'delivery') show(); } },
    h('fieldset', {}, h('legend', {}, tr('delivery')), home, pickup), box);

  const method = () => (pickup.querySelector('input').checked ? 'pickup' : 'home');
  function show() {
    const picking = method() === 'pickup';
    box.hidden = !picking;
    list.disabled = !picking; // a store is required only while picking up
    address.hidden = picking;
    address.disabled = picking; // the address is then neither required nor sent
    changed();
  }

  return {
    node,
    field: { control: list, error },
    method,
    storeId: () => (method() === 'pickup' ? list.querySelector('input:checked')?.value : undefined),
    priced: (cart) => (method() === 'pickup' ? withoutDelivery(cart) : cart),
    /** The summary's delivery line: its label and its price. */
    line: (cart) => (method() === 'pickup' ? [tr('pickup'), tr('pickup_free')] : homeLine(cart)),
  };
}

/** One store to pick: its name, address and opening hours, the whole box its label. */
function storeChoice(store, only, lang) {
  return h('label', { class: 'choice store' },
    h('input', { type: 'radio', name: 'pickupStoreId', value: store.id, required: true, checked: only,
      dataset: { key: `store:${store.id}` } }),
    h('span', { class: 'store-text' },
      h('span', { class: 'store-name' }, store.name),
      h('span', { class: 'store-address' }, place(store.address ?? {})),
      openingHours(store.openingHours ?? [], lang).map((line) => h('span', { class: 'store-hours' }, line))));
}

/** A refused pick-up in the buyer's words: the store turned off meanwhile, or none chosen. */
export function storeError(error, tr) {
  if (error?.field !== 'pickupStoreId') return error;
  return { ...error, message: tr(error.code === 'missing_field' ? 'pickup_choose' : 'pickup_gone') };
}

/** Where a pick-up order waits for its buyer, for the confirmation (the store as this page was
 * given it), or null. The server's ids may differ in case from the order's. */
export function pickupText(order, stores, tr) {
  if (order.delivery !== 'pickup') return null;
  const id = String(order.pickupStoreId ?? '').toLowerCase();
  const store = (stores ?? []).find((s) => String(s.id).toLowerCase() === id);
  return store ? tr('order_pickup', store.name, place(store.address)) : null;
}

/** "8 rue de Turenne, 75004 Paris". */
function place(a = {}) {
  return [a.line1, a.line2, `${a.postalCode ?? ''} ${a.city ?? ''}`.trim()].filter(Boolean).join(', ');
}

/** "Mon 10:00–12:30, 14:00–19:00": a line per open day, Monday first, in the viewer's language. */
export function openingHours(hours, lang) {
  // 1 January 2024 was a Monday.
  const format = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'short', timeZone: 'UTC' });
  return DAYS.flatMap((day, index) => {
    const ranges = hours.filter((range) => range.day === day).sort((x, y) => x.opens.localeCompare(y.opens));
    if (!ranges.length) return [];
    const name = format.format(Date.UTC(2024, 0, 1 + index));
    return [`${name.charAt(0).toUpperCase()}${name.slice(1)} ${ranges.map((r) => `${r.opens}–${r.closes}`).join(', ')}`];
  });
}

/** The cart as the server prices it for a pick-up: no delivery in its total nor in its VAT. The VAT
 * at the delivery's rate is worked out again as the server does (VAT included in a base, rounded
 * half up); a cart whose VAT does not hold its delivery has none shown (its total says "VAT included"). */
export function withoutDelivery(cart) {
  const delivery = cart.delivery?.amount ?? 0;
  if (!delivery) return cart;
  const shared = cart.vat?.find((line) => line.rate === DELIVERY_VAT_RATE);
  const rest = shared?.base ? shared.base.amount - delivery : -1;
  const vat = rest < 0 ? [] : cart.vat.flatMap((line) => {
    if (line !== shared) return [line];
    if (rest === 0) return [];
    const amount = Math.floor((2 * rest * line.rate + 10000 + line.rate) / (2 * (10000 + line.rate)));
    return [{ ...line, base: { ...line.base, amount: rest }, vat: { ...line.vat, amount } }];
  });
  return { ...cart, delivery: { ...cart.delivery, amount: 0 }, total: { ...cart.total, amount: cart.total.amount - delivery }, vat };
}
