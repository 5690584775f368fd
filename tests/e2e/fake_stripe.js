// A stand-in for Stripe.js (https://js.stripe.com/v3/), served by tests/e2e/fake_stripe.py at /v3/:
// just enough of `Stripe(key)`, `elements({clientSecret, locale})`, `create('payment').mount(…)` and
// `confirmPayment({elements, confirmParams, redirect})` for the player's checkout. The real Payment
// Element draws card fields in Stripe's frame; this one draws, in the page, a choice of Stripe's
// test payment methods. Confirming posts to the fake API as Stripe.js posts to api.stripe.com:
// form-encoded, with the publishable key and the PaymentIntent's client secret.
(() => {
  const origin = new URL(document.currentScript.src).origin;
  const METHODS = [['pm_card_visa', 'Visa 4242'], ['pm_card_chargeDeclined', 'Declined card']];
  let mounted = 0;

  function paymentElement(group) {
    return {
      mount(target) {
        const host = typeof target === 'string' ? document.querySelector(target) : target;
        if (!host) throw new Error(`fake Stripe: nothing matches ${target}`);
        mounted += 1;
        const select = document.createElement('select');
        select.name = 'fake-card';
        select.id = `fake-card-${mounted}`;
        for (const [value, text] of METHODS) select.append(new Option(text, value));
        const label = document.createElement('label');
        label.htmlFor = select.id;
        label.textContent = group.locale === 'fr' ? 'Carte de test' : 'Test card';
        const box = document.createElement('div');
        box.className = 'fake-payment-element';
        box.append(label, select);
        host.replaceChildren(box);
        group.select = select;
      },
      on() { return this; },
      unmount() { group.select?.parentNode?.remove(); group.select = null; },
      destroy() { this.unmount(); },
    };
  }

  window.Stripe = function Stripe(publishableKey) {
    if (!publishableKey) throw new Error('fake Stripe: no publishable key');
    return {
      elements({ clientSecret, locale } = {}) {
        const group = { clientSecret, locale, select: null };
        return {
          _fake: group,
          create(type) {
            if (type !== 'payment') throw new Error(`fake Stripe: no ${type} element`);
            return paymentElement(group);
          },
        };
      },

      async confirmPayment({ elements, confirmParams, redirect } = {}) {
        const group = elements?._fake;
        if (!group?.select) {
          return { error: { type: 'validation_error', message: 'The Payment Element is not mounted.' } };
        }
        if (redirect !== 'if_required' && !confirmParams?.return_url) {
          return { error: { type: 'invalid_request_error', message: 'A return_url is required.' } };
        }
        const secret = group.clientSecret;
        const intentId = secret.slice(0, secret.indexOf('_secret_'));
        const body = new URLSearchParams({ key: publishableKey, client_secret: secret, payment_method: group.select.value });
        let response;
        try {
          response = await fetch(`${origin}/v1/payment_intents/${encodeURIComponent(intentId)}/confirm`, { method: 'POST', body });
        } catch {
          return { error: { type: 'api_connection_error', message: 'We could not reach Stripe: try again.' } };
        }
        const data = await response.json().catch(() => ({}));
        if (response.ok) return { paymentIntent: data };
        return { error: data.error ?? { type: 'api_error', message: 'Stripe failed to answer.' } };
      },
    };
  };
})();
