// Vitrine's own cart and checkout in the player (the brand's `cartMode` is "vitrine"): the cart kept
// by the server and opened by a token in this frame's storage, its dialog, the checkout form, and the
// confirmation; a card order's payment step is payment.js's, the delivery choice delivery.js's. The
// player gives what it knows (words, money format, the show's state); this module talks to the cart
// and order API. Text from the viewer and the server only ever becomes text nodes.

import { h, fill, uid, safeUrl } from '/admin/lib/dom.js';
import { createDelivery, pickupText, storeError } from '/player/delivery.js';
import { createPayment } from '/player/payment.js';
import { createPromotionForm, orderCode, refusalText } from '/player/promotion.js';

const MAX_QUANTITY = 99;

/**
 * The checkout of one player page. `origin()` is where the viewer is now ("live", "replay" or
 * "none"), `viewerId()` the viewer's id; `post` tells the framing page; `dropLimit(variantId)` is
 * the units one buyer may take of a variant's flash drop (null when unknown).
 */
export function createCheckout({ boot, show, lang, tr, money, say, post, setCartCount, origin, viewerId, dropLimit = () => null }) {
  const commerce = boot.commerce;
  const tokenKey = `vitrine-cart:${boot.brand.slug}`;
  let token = read(tokenKey);
  let cart = null;
  let view = 'cart';
  let attempt = null; // one checkout: its Idempotency-Key, its form, its state, then its payment
  let queue = Promise.resolve(); // cart calls one at a time (the first one makes the token)

  const titleId = uid('checkout');
  const title = h('h2', { id: titleId, tabindex: '-1' });
  const body = h('div', { class: 'checkout-body' });
  const dialog = h('dialog', { class: 'sheet checkout', 'aria-labelledby': titleId },
    h('button', { type: 'button', class: 'close', 'aria-label': tr('close'), onclick: () => dialog.close() }, '×'),
    title, body);
  dialog.addEventListener('close', () => { if (view === 'done') { view = 'cart'; attempt = null; } });
  document.body.append(dialog);

  // MARK: The API

  /** One call to the cart or order API: `{ ok, status, data }`; throws when the network fails. */
  async function call(method, url, payload, headers = {}) {
    const sent = { ...headers };
    if (token) sent['X-Vitrine-Cart'] = token;
    if (payload !== undefined) sent['Content-Type'] = 'application/json';
    const response = await fetch(url, { method, headers: sent, body: payload === undefined ? undefined : JSON.stringify(payload) });
    const data = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, data };
  }

  function serial(work) {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  }

  function keep(next) {
    if (next?.token) { token = next.token; write(tokenKey, token); }
    cart = next;
    setCartCount(next.count);
    return next;
  }

  const lineUrl = (variantId) => `${commerce.cartUrl}/lines/${encodeURIComponent(variantId)}`;

  async function refresh() {
    if (!token) return (cart ??= { lines: [], count: 0 });
    try {
      const answer = await call('GET', commerce.cartUrl);
      if (answer.ok) keep(answer.data);
    } catch { /* offline: the count stays as it was */ }
    return cart;
  }

  /** Adds one unit of a variant, as the sheet's "Add to cart" asks. */
  function add(variantId, pinnedProductId) {
    return serial(async () => {
      try {
        const answer = await call('POST', `${commerce.cartUrl}/lines`, {
          variantId, quantity: 1, showId: show.id, pinnedProductId: pinnedProductId ?? undefined, origin: origin(),
          viewerId: viewerId(),
        });
        if (!answer.ok) { say(answer.data?.error?.message ?? tr('not_added')); return false; }
        keep(answer.data);
        say(tr('added'));
        return true;
      } catch {
        say(tr('offline_cart'));
        return false;
      }
    });
  }

  /** Puts a promotion code on the cart (null takes it off), then shows the view again; resolves to
   * the API's error (an unknown code: the cart keeps what it had), or null. */
  async function setCode(code) {
    const error = await working(() => serial(async () => {
      try {
        const answer = await call('PUT', `${commerce.cartUrl}/promotion`, { code });
        if (!answer.ok) return answer.data?.error ?? { message: tr('not_changed') };
        keep(answer.data);
        announce(code === null ? tr('promo_removed') : '');
        return null;
      } catch { return { message: tr('offline_cart') }; }
    }));
    render();
    return error;
  }

  /** Sets a line's quantity (0 removes it), then shows the cart again. */
  function change(line, quantity) {
    return working(() => serial(async () => {
      try {
        const answer = quantity === 0
          ? await call('DELETE', lineUrl(line.variantId))
          : await call('PUT', lineUrl(line.variantId), { quantity });
        if (answer.ok) {
          keep(answer.data);
          announce(quantity === 0 ? tr('removed', line.title) : tr('quantity_now', line.title, quantity));
        } else announce(answer.data?.error?.message ?? tr('not_changed'));
      } catch { announce(tr('offline_cart')); }
      render();
    }));
  }

  // MARK: The dialog's views

  const status = h('p', { class: 'sr-only', role: 'status' });
  function announce(text) { status.textContent = text; }
  const promotionForm = createPromotionForm({ tr, change: setCode });

  /** Opens the dialog on the cart (or on the checkout form, or the payment step, left open). */
  function open() {
    if (!dialog.open) dialog.showModal();
    // A placed order waiting for its card: its payment step again, as it was (the cart is spent).
    if (view === 'pay') { setView('pay'); return Promise.resolve(); }
    return present(view === 'done' ? 'cart' : view);
  }

  /** Shows a view at once, and again once the cart is read afresh, if it changed meanwhile. */
  async function present(next) {
    setView(next);
    const before = JSON.stringify(cart);
    await working(() => serial(refresh));
    if (view === next && JSON.stringify(cart) !== before) render();
  }

  /** Marks the dialog busy (aria-busy) while `work` runs. */
  async function working(work) {
    body.setAttribute('aria-busy', 'true');
    try { return await work(); } finally { body.removeAttribute('aria-busy'); }
  }

  /** Draws the current view, the focus kept on the control that had it. */
  function render() {
    const focused = dialog.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    if (view === 'form') showForm();
    else if (view === 'pay') showPayment();
    else if (view === 'cart') showCart();
    if (focused) (body.querySelector(`[data-key="${CSS.escape(focused)}"]`) ?? title).focus();
  }

  function setView(next) {
    view = next;
    render();
    title.focus();
  }

  function showCart() {
    title.textContent = tr('your_cart');
    const lines = cart?.lines ?? [];
    if (!lines.length) {
      fill(body, status, h('p', { class: 'empty' }, cart ? tr('cart_empty') : tr('loading')));
      return;
    }
    const blocked = lines.some((line) => !line.available);
    promotionForm.update(cart);
    fill(body, status,
      h('ul', { class: 'cart-lines' }, lines.map(cartLine)),
      promotionForm.node,
      totals(cart, [tr('delivery_home'), price(cart.delivery)]),
      blocked ? h('p', { class: 'hint' }, tr('fix_lines')) : null,
      h('button', { type: 'button', class: 'primary', disabled: blocked, dataset: { key: 'checkout' },
        onclick: startCheckout }, tr('checkout')));
  }

  function cartLine(line) {
    const key = line.variantId;
    return h('li', { class: `cart-line${line.available ? '' : ' unavailable'}` },
      line.imageUrl ? h('img', { src: line.imageUrl, alt: '', loading: 'lazy' }) : h('span', { class: 'no-image' }),
      h('div', { class: 'line-text' },
        h('span', { class: 'title' }, line.title),
        line.variantTitle ? h('span', { class: 'variant' }, line.variantTitle) : null,
        unitPrice(line),
        line.available ? null : h('span', { class: 'stock out' }, tr('not_available'))),
      h('span', { class: 'line-total' }, money(line.total)),
      h('div', { class: 'quantity' },
        h('button', { type: 'button', class: 'step', 'aria-label': tr('less', line.title), disabled: line.quantity <= 1,
          dataset: { key: `less:${key}` }, onclick: () => change(line, line.quantity - 1) }, '−'),
        h('span', { class: 'count' }, h('span', { class: 'sr-only' }, `${tr('quantity')} `), String(line.quantity)),
        h('button', { type: 'button', class: 'step', 'aria-label': tr('more', line.title), disabled: line.quantity >= MAX_QUANTITY,
          dataset: { key: `more:${key}` }, onclick: () => change(line, line.quantity + 1) }, '+'),
        h('button', { type: 'button', class: 'remove', 'aria-label': tr('remove_line', line.title),
          dataset: { key: `remove:${key}` }, onclick: () => change(line, 0) }, tr('remove'))));
  }

  function unitPrice(line) {
    return h('span', { class: 'price' }, money(line.unitPrice),
      line.compareAtPrice ? h('s', {}, h('span', { class: 'sr-only' }, tr('instead_of')), money(line.compareAtPrice)) : null);
  }

  /** A price, or "free" for nothing. */
  function price(value) { return value?.amount === 0 ? tr('free') : money(value); }

  function rate(basisPoints) {
    const number = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(basisPoints / 100);
    return `${number}\u00a0%`;
  }

  /** What the discount line says: the promotion's title; while a typed code does not apply, the
   * show's offer that does. */
  function discountLabel(promotion) {
    return (promotion?.refusal ? promotion.offerTitle : promotion?.title) || tr('discount');
  }

  /** Subtotal, the promotion's discount, delivery (`delivery`: its label and price), total with VAT,
   * and the VAT in it per rate. */
  function totals(of, delivery) {
    const row = (label, value, className = null) => [h('dt', { class: className }, label), h('dd', { class: className }, value)];
    return h('dl', { class: 'totals' },
      row(tr('subtotal'), money(of.subtotal)),
      of.discount?.amount > 0 ? row(discountLabel(of.promotion), `−${money(of.discount)}`, 'discount') : null,
      row(...delivery),
      row(tr('total_vat'), money(of.total), 'total'),
      of.vat.map((v) => row(tr('vat_of', rate(v.rate)), money(v.vat), 'vat')));
  }

  // MARK: The checkout form

  /** Checkout starts: the server sets the cart's units aside (10 minutes) before the form shows. */
  async function startCheckout() {
    attempt ??= newAttempt();
    const answer = await working(() => serial(async () => {
      try { return await call('POST', `${commerce.cartUrl}/checkout`); } catch { return null; }
    }));
    if (answer?.ok) {
      keep(answer.data.cart);
      attempt.heldUntil = answer.data.heldUntil;
    } else if (answer?.status === 409) {
      const error = answer.data?.error;
      const line = cart?.lines?.[Number(/^lines\[(\d+)\]/.exec(error?.field ?? '')?.[1])];
      await serial(refresh);
      render();
      announce(line ? stockText(error, line.title, line) : (error?.message ?? tr('order_failed')));
      return;
    }
    // Held, or the network failed: the order still takes what is available when it is placed.
    setView('form');
  }

  function newAttempt() {
    return { key: newKey(), form: null, fields: new Map(), lineErrors: new Map(), busy: false };
  }

  function showForm() {
    title.textContent = tr('checkout');
    if (!attempt.form) buildForm();
    attempt.summary.replaceChildren(summary());
    const held = attempt.heldUntil ? new Date(attempt.heldUntil) : null;
    fill(body, status,
      h('button', { type: 'button', class: 'back', dataset: { key: 'back' }, onclick: () => present('cart') }, tr('back_cart')),
      held && !Number.isNaN(held.getTime())
        ? h('p', { class: 'hint held' }, tr('held_until', held.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' })))
        : null,
      attempt.form);
  }

  /** A labelled control with its error (read out when it changes); `name` is the API's field path. */
  function field(name, label, control, { optional = false } = {}) {
    control.id = uid('f');
    control.dataset.field = name;
    control.dataset.key = `field:${name}`;
    const error = h('p', { class: 'field-error', id: uid('e'), 'aria-live': 'polite' });
    control.setAttribute('aria-describedby', error.id);
    attempt.fields.set(name, { control, error });
    return h('div', { class: 'field' },
      h('label', { for: control.id }, label, optional ? h('span', { class: 'optional' }, ` ${tr('optional')}`) : null), control, error);
  }

  function input(props) { return h('input', { type: 'text', ...props }); }

  function buildForm() {
    const f = (name) => attempt.fields.get(name).control;
    const countries = commerce.countries ?? [];
    const initial = countries.some((c) => c.code === 'FR') ? 'FR' : countries[0]?.code;
    const terms = safeUrl(commerce.termsUrl ?? '');
    const accept = h('input', { type: 'checkbox', required: true });
    const marketing = h('input', { type: 'checkbox' });
    const general = h('p', { class: 'form-error', 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit', class: 'primary', dataset: { key: 'submit' } },
      tr(commerce.stripe ? 'place_and_pay' : 'place_order'));
    const summaryBox = h('div');
    attempt.summary = summaryBox;
    const addressSet = h('fieldset', {}, h('legend', {}, tr('address')),
      field('address.line1', tr('line1'), input({ required: true, autocomplete: 'address-line1', maxlength: 200 })),
      field('address.line2', tr('line2'), input({ autocomplete: 'address-line2', maxlength: 200 }), { optional: true }),
      h('div', { class: 'pair' },
        field('address.postalCode', tr('postal_code'), input({ required: true, autocomplete: 'postal-code', maxlength: 12, class: 'short' })),
        field('address.city', tr('city'), input({ required: true, autocomplete: 'address-level2', maxlength: 100 }))),
      field('address.country', tr('country'), h('select', { autocomplete: 'country' },
        countries.map((c) => h('option', { value: c.code, selected: c.code === initial }, c.name)))));
    const delivery = createDelivery({
      stores: commerce.pickupStores, homePrice: commerce.homeDeliveryPrice, lang, tr, price, address: addressSet,
      changed: () => attempt.summary.replaceChildren(summary()),
    });
    attempt.delivery = delivery;
    if (delivery.field) attempt.fields.set('pickupStoreId', delivery.field);
    attempt.general = general;
    attempt.submit = submit;
    const termsLabel = terms
      ? [tr('accept_terms_before'), h('a', { href: terms, target: '_blank', rel: 'noopener' }, tr('terms')), tr('accept_terms_after')]
      : [tr('accept_terms_plain')];
    accept.dataset.field = 'acceptTerms';
    const termsError = h('p', { class: 'field-error', id: uid('e'), 'aria-live': 'polite' });
    accept.setAttribute('aria-describedby', termsError.id);
    attempt.fields.set('acceptTerms', { control: accept, error: termsError });

    attempt.form = h('form', { class: 'checkout-form', onsubmit: (event) => { event.preventDefault(); place(f, accept, marketing); } },
      h('fieldset', {}, h('legend', {}, tr('contact')),
        field('email', tr('email_label'), input({ type: 'email', required: true, autocomplete: 'email', maxlength: 254 })),
        field('name', tr('full_name'), input({ required: true, autocomplete: 'name', maxlength: 120 })),
        field('phone', tr('phone'), input({ type: 'tel', autocomplete: 'tel', maxlength: 30 }), { optional: true })),
      addressSet,
      delivery.node,
      paymentChoice(submit),
      h('section', { class: 'summary', 'aria-label': tr('summary') }, h('h3', {}, tr('summary')), summaryBox),
      h('div', { class: 'field' }, h('label', { class: 'check' }, accept, h('span', {}, termsLabel)), termsError),
      h('label', { class: 'check' }, marketing, h('span', {}, tr('marketing', boot.brand.name))),
      general, submit);
  }

  /** How to pay: by card first when the brand takes cards, else later or in store (the only way). */
  function paymentChoice(submit) {
    const choice = (value, label, checked) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'payment', value, checked }), h('span', {}, label));
    const hint = h('p', { class: 'hint' }, tr(commerce.stripe ? 'card_hint' : 'pay_later_hint'));
    if (!commerce.stripe) return h('fieldset', {}, h('legend', {}, tr('payment')), choice('later', tr('pay_later'), true), hint);
    const changed = (event) => {
      const card = event.target.value === 'stripe';
      hint.textContent = tr(card ? 'card_hint' : 'pay_later_hint');
      submit.textContent = tr(card ? 'place_and_pay' : 'place_order');
    };
    return h('fieldset', { onchange: changed }, h('legend', {}, tr('payment')),
      choice('stripe', tr('pay_card'), true), choice('later', tr('pay_later'), false), hint);
  }

  function summary() {
    const lines = cart?.lines ?? [];
    return h('div', {},
      promotionNote(),
      h('ul', { class: 'summary-lines' }, lines.map((line) => h('li', { class: line.available ? '' : 'unavailable' },
        h('span', {}, `${line.quantity} × ${line.title}${line.variantTitle ? ` (${line.variantTitle})` : ''}`),
        h('span', { class: 'line-total' }, money(line.total)),
        line.available ? null : h('span', { class: 'stock out' }, tr('not_available')),
        attempt.lineErrors.has(line.variantId) ? h('span', { class: 'field-error' }, attempt.lineErrors.get(line.variantId)) : null))),
      cart ? totals(attempt.delivery.priced(cart), attempt.delivery.line(cart)) : null);
  }

  /** The order's promo code when it does not apply: refused with the order (which was not placed),
   * with a way to take it off; or, as the cart says, left out of the order. */
  function promotionNote() {
    if (attempt.promotionError) {
      return h('div', { class: 'promo-refused' },
        h('p', { class: 'form-error' }, attempt.promotionError),
        h('button', { type: 'button', class: 'promo-remove', dataset: { key: 'promo-remove-order' }, onclick: removeOrderCode },
          tr('promo_remove_code')));
    }
    const promotion = cart?.promotion;
    if (!promotion?.code || !promotion.refusal) return null;
    return h('p', { class: 'hint' }, tr('promo_not_used', promotion.code, refusalText(tr, promotion.refusal, promotion.refusalMessage)));
  }

  async function removeOrderCode() {
    const current = attempt;
    const refused = current.promotionError;
    current.promotionError = null;
    const error = await setCode(null); // the form drawn again: its summary without the code
    if (current !== attempt) return;
    if (error) {
      current.promotionError = refused;
      current.summary.replaceChildren(summary());
      current.general.textContent = error.message ?? tr('not_changed');
      return;
    }
    current.general.textContent = '';
    current.submit.focus();
  }

  function clearErrors() {
    for (const { control, error } of attempt.fields.values()) {
      control.removeAttribute('aria-invalid');
      error.textContent = '';
    }
    attempt.general.textContent = '';
    attempt.lineErrors.clear();
    if (attempt.promotionError) {
      attempt.promotionError = null;
      attempt.summary.replaceChildren(summary());
    }
  }

  /** The API's error next to the field it names (or its nearest named parent), else for the form. */
  function showError(error) {
    const lineMatch = /^lines\[(\d+)\]/.exec(error?.field ?? '');
    if (lineMatch && attempt.sentLines?.[Number(lineMatch[1])]) {
      const line = attempt.sentLines[Number(lineMatch[1])];
      const text = stockText(error, line.title, line);
      attempt.lineErrors.set(line.variantId, text);
      attempt.general.textContent = text;
      return;
    }
    const found = fieldFor(error?.field ?? '');
    if (found) {
      found.control.setAttribute('aria-invalid', 'true');
      found.error.textContent = error.message;
      attempt.general.textContent = tr('fix_field');
      found.control.focus();
      return;
    }
    attempt.general.textContent = error?.message ?? tr('order_failed');
  }

  /** The control for an API field path, or for its nearest parent ("address" is its first line). */
  function fieldFor(path) {
    for (let p = path; p; p = /^(.*)(\.[^.[\]]+|\[\d+\])$/.exec(p)?.[1] ?? '') {
      const found = attempt.fields.get(p === 'address' ? 'address.line1' : p);
      if (found) return found;
    }
    return null;
  }

  function stockText(error, title, line = null) {
    switch (error?.code) {
      case 'sold_out': return tr('line_sold_out', title);
      case 'all_reserved': return tr('line_all_reserved', title);
      case 'out_of_stock': return tr('line_short', title);
      case 'drop_not_open': return tr('line_drop_not_open', title);
      case 'drop_limit': {
        const limit = line && dropLimit(line.variantId);
        return limit ? tr('line_drop_limit', title, limit) : tr('line_drop_limit_plain', title);
      }
      default: return `${title}: ${error?.message ?? tr('order_failed')}`;
    }
  }

  async function place(f, accept, marketing) {
    if (attempt.busy) return;
    const current = attempt;
    current.busy = true;
    current.submit.disabled = true;
    current.submit.setAttribute('aria-busy', 'true');
    clearErrors();
    const value = (name) => f(name).value.trim();
    const lines = cart?.lines ?? [];
    current.sentLines = lines;
    const delivery = current.delivery.method();
    const order = {
      email: value('email'), name: value('name'), phone: value('phone') || undefined,
      address: delivery === 'home' ? { line1: value('address.line1'), line2: value('address.line2') || undefined,
        postalCode: value('address.postalCode'), city: value('address.city'), country: f('address.country').value } : undefined,
      delivery, pickupStoreId: current.delivery.storeId(),
      lines: lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity, pinnedProductId: l.pinnedProductId ?? undefined })),
      payment: current.form.elements.payment.value, showId: show.id, origin: origin(), acceptTerms: accept.checked,
      marketingConsent: marketing.checked, language: lang, viewerId: viewerId(), promotionCode: orderCode(cart),
    };
    try {
      const answer = await call('POST', commerce.ordersUrl, order, { 'Idempotency-Key': current.key });
      if (answer.ok && answer.data?.order) {
        const placed = answer.data.order;
        if (answer.data.payment?.provider === 'stripe') startPayment(placed, answer.data.payment, order.email);
        else done(placed, order.email, placed.payment === 'stripe' && placed.status === 'paid' ? 'received' : false);
        return;
      }
      const error = answer.data?.error ?? { message: tr('order_failed') };
      if (error.field === 'promotionCode') {
        // The code does not apply to this order (its limits, dates, this e-mail): nothing was placed.
        current.promotionError = refusalText(tr, error.code, error.message);
        current.general.textContent = tr('promo_order_refused');
        await serial(refresh);
        if (view === 'form') current.summary.replaceChildren(summary());
        current.summary.querySelector('[data-key="promo-remove-order"]')?.focus();
        return;
      }
      showError(paymentError(storeError(error, tr)));
      if (answer.status === 409 || /^lines/.test(error.field ?? '')) {
        await serial(refresh);
        if (view === 'form') current.summary.replaceChildren(summary());
      }
    } catch {
      // The order may or may not be written: the same key on the retry gives one order either way.
      current.general.textContent = tr('order_network');
    } finally {
      current.busy = false;
      current.submit.disabled = false;
      current.submit.removeAttribute('aria-busy');
    }
  }

  /** The card errors of placing an order, in the buyer's words (the order is kept on a 502). */
  function paymentError(error) {
    switch (error?.code) {
      case 'payment_unavailable': return { ...error, message: tr('card_unavailable') };
      case 'payment_provider_error': return { ...error, message: tr('card_no_answer') };
      default: return error;
    }
  }

  // MARK: The card payment (payment.js)

  /** The order is placed and waits for its card: the payment step, until Stripe has taken it. */
  function startPayment(order, session, email) {
    // The server emptied the cart into the order; the chip stays until it is paid, to come back here.
    attempt.payment = createPayment({
      order, session, jsUrl: commerce.stripe.jsUrl, lang, tr, money,
      onPaid: (intent) => {
        done(order, email, intent.status === 'succeeded' ? 'received' : 'processing');
        serial(refresh); // anything added to the cart meanwhile
      },
    });
    setView('pay');
  }

  function showPayment() {
    title.textContent = tr('card_payment');
    const { node } = attempt.payment;
    // Drawn once: the Payment Element's frame must not be moved (it would load again, empty).
    if (node.parentNode !== body) fill(body, status, node);
  }

  /** The confirmation; `paid` says how a card order's payment stands ('received', 'processing'). */
  function done(order, email, paid = false) {
    view = 'done';
    attempt = null;
    const pickup = pickupText(order, commerce.pickupStores, tr);
    cart = { ...cart, lines: [], count: 0 };
    setCartCount(0);
    title.textContent = tr('thanks');
    fill(body, status,
      h('p', { class: 'order-number' }, tr('order_number', order.number)),
      h('p', { class: 'order-total' }, tr('order_total', money(order.total)),
        (order.vat ?? []).map((v) => h('span', { class: 'order-vat' }, tr('order_vat', rate(v.rate), money(v.vat))))),
      order.discount?.amount > 0 ? h('p', { class: 'order-saved' }, tr('order_saved', money(order.discount))) : null,
      pickup ? h('p', { class: 'order-pickup' }, pickup) : null,
      paid ? h('p', { class: 'paid' }, tr(paid === 'processing' ? 'payment_processing' : 'payment_received')) : null,
      h('p', {}, tr('mail_sent', email)),
      h('button', { type: 'button', class: 'primary', onclick: () => dialog.close() }, tr('keep_watching')));
    title.focus();
    post('order-placed', { orderNumber: order.number, total: order.total });
  }

  if (token) serial(refresh);
  return { add, open, refresh: () => serial(refresh) };
}

function read(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

function write(key, value) {
  try { localStorage.setItem(key, value); } catch { /* storage refused: this page's memory only */ }
}

/** A UUID for the Idempotency-Key; getRandomValues where randomUUID is missing (an http:// frame). */
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
