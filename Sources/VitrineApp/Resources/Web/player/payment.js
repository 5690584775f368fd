// The card payment step of Vitrine's checkout: a card order is placed first (its stock held, its
// PaymentIntent made by the server), then paid here in Stripe's Payment Element. Card details go
// from Stripe's own frame to Stripe; this page never sees them. 3-D Secure is Stripe.js's to show.
// Vitrine marks the order paid when Stripe's signed webhook arrives, not on the word of this page.

import { h } from '/admin/lib/dom.js';

let loading = null; // Stripe.js, loaded once per page

/** Loads Stripe.js from `url` once; resolves to `window.Stripe`. A failed load may be tried again. */
export function loadStripe(url) {
  loading ??= new Promise((resolve, reject) => {
    if (window.Stripe) { resolve(window.Stripe); return; }
    const script = h('script', { src: url });
    script.addEventListener('load', () => (window.Stripe ? resolve(window.Stripe) : reject(new Error('no Stripe'))));
    script.addEventListener('error', () => { script.remove(); reject(new Error('Stripe.js did not load')); });
    document.head.append(script);
  });
  loading.catch(() => { loading = null; });
  return loading;
}

/**
 * The payment of one placed order: `session` is the server's `{publishableKey, clientSecret}`,
 * `jsUrl` where Stripe.js comes from; `onPaid(paymentIntent)` runs once, when Stripe has taken it.
 * Returns `{ node }`, the step's content, to be put in the dialog once and never moved (moving
 * the Payment Element's frame would reload it).
 */
export function createPayment({ order, session, jsUrl, lang, tr, money, onPaid }) {
  let stripe = null;
  let elements = null;
  let card = null;
  let pending = false;
  let paid = null; // the PaymentIntent, once Stripe has taken it

  const element = h('div', { class: 'payment-element' });
  const error = h('p', { class: 'form-error', 'aria-live': 'assertive' });
  const pay = h('button', { type: 'button', class: 'primary', disabled: true, dataset: { key: 'pay' }, onclick: confirm },
    tr('pay_amount', money(order.total)));
  const retry = h('button', { type: 'button', class: 'secondary', hidden: true, dataset: { key: 'retry' }, onclick: start },
    tr('try_again'));
  const node = h('div', { class: 'payment' },
    h('p', { class: 'order-number' }, tr('order_number', order.number)),
    h('p', { class: 'order-total' }, tr('to_pay', money(order.total))),
    h('p', { class: 'hint' }, tr('pay_hint')),
    element, error, pay, retry);

  /** Loads Stripe.js (once per page) and mounts the Payment Element for this order's PaymentIntent. */
  async function start() {
    retry.hidden = true;
    error.textContent = '';
    element.replaceChildren(h('p', { class: 'hint' }, tr('loading')));
    try {
      const Stripe = await loadStripe(jsUrl);
      stripe ??= Stripe(session.publishableKey);
      elements ??= stripe.elements({ clientSecret: session.clientSecret, locale: lang });
      card ??= elements.create('payment');
      element.replaceChildren();
      card.mount(element);
      pay.disabled = false;
    } catch {
      element.replaceChildren();
      error.textContent = tr('card_form_failed', order.number);
      retry.hidden = false;
    }
  }

  /** Confirms the payment with Stripe; a declined card says why and may be tried again. */
  async function confirm() {
    if (pending || paid || !card) return;
    pending = true;
    pay.disabled = true;
    pay.setAttribute('aria-busy', 'true');
    error.textContent = '';
    try {
      const { error: failure, paymentIntent } = await stripe.confirmPayment({
        elements, confirmParams: { return_url: location.href }, redirect: 'if_required',
      });
      if (failure) error.textContent = failure.message ?? tr('payment_failed');
      else if (paymentIntent?.status === 'succeeded' || paymentIntent?.status === 'processing') paid = paymentIntent;
      else error.textContent = tr('payment_failed');
    } catch {
      error.textContent = tr('payment_failed');
    } finally {
      pending = false;
      pay.removeAttribute('aria-busy');
      pay.disabled = Boolean(paid);
    }
    if (paid) onPaid(paid);
  }

  start();
  return { node };
}
