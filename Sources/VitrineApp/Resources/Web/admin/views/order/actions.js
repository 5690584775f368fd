// The changes an order's status allows: mark paid, fulfil (carrier and tracking), cancel (reason,
// confirmed), refund (units per line). Each opens its form below the buttons; its errors stay there.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill, uid } from '../../lib/dom.js';
import { field, messageBox, showMessage, showFieldError, clearErrors, busy } from '../../lib/forms.js';
import { formatMoney } from '../../lib/format.js';
import { orderErrorText } from './common.js';
import { refundForm } from './refund.js';

/** Shows an error of the server in the form's box, and next to its field when the form has it. */
function showError(error, { scope, box }) {
  if (error?.code === 'unauthenticated') return;
  if (!error?.code) console.error(error);
  const text = orderErrorText(error);
  showMessage(box, text, 'error');
  const control = scope && error?.field ? showFieldError(scope, error.field, text) : null;
  (control ?? box).focus();
}

function reasonField(name) {
  const reason = h('textarea', { rows: 2, maxlength: 500 });
  return { reason, el: field(t('order.reason'), reason, { name, hint: t('order.reason_hint') }) };
}

function fulfilForm(order, { send, closeButton }) {
  const id = uid('fulfil');
  const text = (props) => h('input', { type: 'text', maxlength: 80, autocomplete: 'off', required: true, ...props });
  const carrier = text({});
  const number = text({ spellcheck: 'false' });
  const link = h('input', { type: 'url', maxlength: 500, placeholder: 'https://', autocomplete: 'off', spellcheck: 'false' });
  const box = messageBox();
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('order.fulfil_submit'));
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': id },
    h('h3', { id }, t('order.fulfil_title')),
    order.payment === 'later' && order.status === 'awaiting_payment'
      ? h('p', { class: 'hint' }, t('order.fulfil_unpaid')) : null,
    field(t('order.carrier'), carrier, { name: 'carrier' }),
    field(t('order.tracking_number'), number, { name: 'trackingNumber' }),
    field(t('order.tracking_link'), link, { name: 'trackingUrl', hint: t('order.tracking_link_hint') }),
    box,
    h('div', { class: 'actions' }, submit, closeButton()));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const missing = [[carrier, 'carrier'], [number, 'trackingNumber']].filter(([input]) => !input.value.trim());
    for (const [, name] of missing) showFieldError(form, name, t('form.required'));
    if (missing.length) {
      missing[0][0].focus();
      return;
    }
    const body = { carrier: carrier.value.trim(), trackingNumber: number.value.trim() };
    if (link.value.trim()) body.trackingUrl = link.value.trim();
    send('fulfil', body, { scope: form, box, button: submit });
  });
  return form;
}

function cancelForm(order, { send, closeButton }) {
  const id = uid('cancel');
  const { reason, el } = reasonField('reason');
  const box = messageBox();
  const submit = h('button', { type: 'submit', class: 'button button-danger' }, t('order.cancel_submit'));
  let note = 'order.cancel_note_unpaid';
  if (order.payment === 'stripe') note = order.status === 'paid' ? 'order.cancel_note_card_paid' : 'order.cancel_note_card_unpaid';
  else if (order.status === 'paid') note = 'order.cancel_note_paid';
  const left = order.total.amount - order.refunded.amount;
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': id },
    h('h3', { id }, t('order.cancel_title')),
    h('p', { class: 'hint' }, t(note, { amount: formatMoney({ amount: left, currency: order.total.currency }) })),
    el, box,
    h('div', { class: 'actions' }, submit, closeButton()));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    if (!window.confirm(t('order.cancel_confirm', { number: order.number }))) return;
    const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
    send('cancel', body, { scope: form, box, button: submit });
  });
  return form;
}

/**
 * The buttons of the changes `order` allows now, and the form of the one opened. `onChange(order,
 * message)` gets the order after a change, to draw the page again.
 */
export function actionButtons(ctx, order, { onChange }) {
  const base = path`/api/brands/${ctx.brandId}/orders/${order.id}`;
  const awaitingCard = order.payment === 'stripe' && order.status === 'awaiting_payment';
  const open = ['awaiting_payment', 'paid'].includes(order.status);
  const refundable = ['paid', 'fulfilled'].includes(order.status) && order.lines.some((l) => l.refundedQuantity < l.quantity);
  const box = messageBox();
  const panel = h('div', { id: uid('order-action') });
  const toggles = [];
  let opened = null;

  async function send(action, body, { scope, box: errors, button }) {
    await busy(button, async () => {
      try {
        const updated = await api.post(`${base}/${action}`, body);
        onChange(updated, t(`order.done_${action}`));
      } catch (error) {
        showError(error, { scope, box: errors });
      }
    });
  }

  function close() {
    const toggle = opened;
    opened = null;
    fill(panel);
    for (const b of toggles) b.setAttribute('aria-expanded', 'false');
    toggle?.focus();
  }
  const closeButton = () => h('button', { type: 'button', class: 'button button-quiet', onclick: close }, t('order.close'));

  function toggleButton(key, kind, makeForm) {
    const button = h('button', { type: 'button', class: `button ${kind}`, 'aria-expanded': 'false', 'aria-controls': panel.id },
      t(key));
    button.addEventListener('click', () => {
      if (opened === button) return close();
      showMessage(box, '');
      for (const b of toggles) b.setAttribute('aria-expanded', String(b === button));
      opened = button;
      const form = makeForm(order, { send, closeButton });
      fill(panel, form);
      form.querySelector('input, textarea, select')?.focus();
      return undefined;
    });
    toggles.push(button);
    return button;
  }

  const buttons = [];
  if (order.status === 'awaiting_payment' && !awaitingCard) {
    const pay = h('button', { type: 'button', class: 'button button-primary' }, t('order.pay'));
    pay.addEventListener('click', () => {
      showMessage(box, '');
      send('pay', {}, { box, button: pay });
    });
    buttons.push(pay);
  }
  if (open && !awaitingCard) buttons.push(toggleButton('order.fulfil', 'button-primary', fulfilForm));
  if (refundable) buttons.push(toggleButton('order.refund', '', refundForm));
  if (open) buttons.push(toggleButton('order.cancel', 'button-danger', cancelForm));

  const notes = [
    awaitingCard ? h('p', { class: 'hint' }, t('order.awaiting_card')) : null,
    buttons.length ? null : h('p', { class: 'hint' }, t('order.no_action')),
  ];
  return h('div', { class: 'order-actions' },
    h('h3', {}, t('order.actions')),
    notes, box,
    buttons.length ? h('div', { class: 'actions' }, buttons) : null,
    panel);
}
