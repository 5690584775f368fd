// The promo code of Vitrine's cart (checkout.js): the field a viewer types a code in, what the cart
// says of the code it carries (applied, or why it does not apply now), and the viewer's words for
// the server's refusals. checkout.js talks to the API; this module only draws. Text from the viewer
// and the server only ever becomes text nodes.

import { h, uid } from '/admin/lib/dom.js';

// The API's refusal codes and the words that say them. A code the cart carries that is
// `unknown_promotion` was known when it was put there: the brand has turned it off since.
const REFUSALS = {
  unknown_promotion: 'promo_ended',
  promotion_minimum: 'promo_minimum',
  promotion_expired: 'promo_expired',
  promotion_not_started: 'promo_not_started',
  promotion_live_only: 'promo_live_only',
  promotion_used_up: 'promo_used_up',
  promotion_already_used: 'promo_already_used',
  promotion_currency: 'promo_currency',
};

/** Why a code does not apply, in the viewer's words; the server's (English) message for a reason this page does not know. */
export function refusalText(tr, code, message) {
  const key = REFUSALS[code];
  return key ? tr(key) : (message || tr('promo_failed'));
}

/** The code to send with an order: the cart's, when the viewer typed one and it applies. */
export function orderCode(cart) {
  const promotion = cart?.promotion;
  return promotion?.code && !promotion.refusal ? promotion.code : undefined;
}

/**
 * The promo code form of the cart view, made once so that what is typed survives the cart's
 * redraws. `change(code)` puts a code on the cart (null takes it off) and resolves to the API's
 * error, or null once the cart has it; `update(cart)` shows what the cart says.
 */
export function createPromotionForm({ tr, change }) {
  const input = h('input', {
    type: 'text', id: uid('promo'), maxlength: 32, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    enterkeyhint: 'done', dataset: { key: 'promo-code' },
  });
  // What was typed and refused (an unknown code: the cart kept what it had), until the next try.
  const note = h('p', { class: 'field-error promo-note', id: uid('e'), 'aria-live': 'polite' });
  // The code the cart carries: applied, or why not.
  const stateText = h('p', { id: uid('s'), 'aria-live': 'polite' });
  const remove = h('button', { type: 'button', class: 'promo-remove', hidden: true, dataset: { key: 'promo-remove' },
    onclick: () => submit(null) }, tr('remove'));
  const state = h('div', { class: 'promo-state', hidden: true }, stateText, remove);
  const apply = h('button', { type: 'submit', class: 'promo-apply', dataset: { key: 'promo-apply' } }, tr('apply'));
  input.setAttribute('aria-describedby', `${note.id} ${stateText.id}`);
  input.addEventListener('input', () => { if (note.textContent) setNote(''); });
  const node = h('form', { class: 'promo', onsubmit: (event) => { event.preventDefault(); submit(input.value.trim()); } },
    h('label', { for: input.id }, tr('promo_code')),
    h('div', { class: 'promo-row' }, input, apply),
    note, state);
  let busy = false;
  let refused = false; // the cart's code does not apply now

  function setNote(text) {
    note.textContent = text;
    mark();
  }

  function mark() {
    if (refused || note.textContent) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  async function submit(code) {
    if (busy) return;
    if (code === '') { input.focus(); return; }
    busy = true;
    apply.setAttribute('aria-busy', 'true');
    try {
      const error = await change(code);
      if (error) {
        setNote(error.code === 'unknown_promotion' ? tr('promo_unknown') : (error.message ?? tr('promo_failed')));
        input.focus();
      } else {
        setNote('');
        input.value = '';
        // The Remove button is gone once the code is off: the field is where the viewer goes on.
        if (code === null || document.activeElement === document.body) input.focus();
      }
    } finally {
      busy = false;
      apply.removeAttribute('aria-busy');
    }
  }

  /** Shows what the cart says of its code; an automatic offer needs nothing here (its line is in the totals). */
  function update(cart) {
    const promotion = cart?.promotion;
    const code = promotion?.code ?? null;
    state.hidden = !code;
    remove.hidden = !code;
    refused = Boolean(code && promotion.refusal);
    mark();
    if (!code) { stateText.textContent = ''; return; }
    remove.setAttribute('aria-label', tr('promo_remove_label', code));
    const text = refused
      ? tr('promo_not_used', code, refusalText(tr, promotion.refusal, promotion.refusalMessage))
      : tr('promo_applied', code);
    stateText.className = refused ? 'field-error' : 'promo-applied';
    // The cart is drawn again on every change: the same words are not read out again.
    if (stateText.textContent !== text) stateText.textContent = text;
  }

  return { node, update };
}
