// The refund form: units per line, and what they will give back before it is sent.

import { t } from '../../i18n.js';
import { h, uid } from '../../lib/dom.js';
import { field, messageBox, showMessage, showFieldError, clearErrors } from '../../lib/forms.js';
import { formatMoney, formatNumber } from '../../lib/format.js';

/**
 * What refunding `quantity` more units of `line` gives back: each unit's share of the line's total
 * (after its discount), the last unit taking the remainder, as the server counts it (docs/orders.md).
 */
export function lineRefund(line, quantity) {
  const before = Math.floor((line.total.amount * line.refundedQuantity) / line.quantity);
  const after = Math.floor((line.total.amount * (line.refundedQuantity + quantity)) / line.quantity);
  return after - before;
}

/** The amount `chosen` ([{line, quantity}]) gives back; the delivery too when no unit is left after it. */
export function refundAmount(order, chosen) {
  let amount = chosen.reduce((sum, { line, quantity }) => sum + lineRefund(line, quantity), 0);
  const everything = order.lines.every((line) => {
    const more = chosen.find((c) => c.line.id === line.id)?.quantity ?? 0;
    return line.refundedQuantity + more === line.quantity;
  });
  if (everything) amount += order.deliveryPrice.amount;
  return { amount, everything };
}

export function refundForm(order, { send, closeButton }) {
  const id = uid('refund');
  const currency = order.total.currency;
  const rows = order.lines.filter((line) => line.refundedQuantity < line.quantity).map((line) => {
    const left = line.quantity - line.refundedQuantity;
    const input = h('input', { type: 'number', min: 0, max: left, step: 1, value: 0, inputmode: 'numeric',
      class: 'input-qty', dataset: { lineId: line.id } });
    const name = [line.title, line.variantTitle].filter(Boolean).join(' · ');
    const hint = t('order.refund_left', { left: formatNumber(left), quantity: formatNumber(line.quantity),
      total: formatMoney(line.total), n: left });
    return { line, left, input, el: field(t('order.refund_units_of', { name }), input, { hint, name: `line-${line.id}` }) };
  });
  const preview = h('p', { class: 'refund-preview', 'aria-live': 'polite' });
  const reason = h('textarea', { rows: 2, maxlength: 500 });
  const box = messageBox();
  const submit = h('button', { type: 'submit', class: 'button button-danger' }, t('order.refund_submit'));
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': id },
    h('h3', { id }, t('order.refund_title')),
    h('fieldset', { class: 'plain refund-lines', dataset: { field: 'lines' } },
      h('legend', {}, t('order.refund_choose')),
      rows.map((r) => r.el)),
    preview,
    h('p', { class: 'hint' }, t(order.payment === 'stripe' ? 'order.refund_note_card' : 'order.refund_note_later')),
    field(t('order.reason'), reason, { name: 'reason', hint: t('order.reason_hint') }),
    box,
    h('div', { class: 'actions' }, submit, closeButton()));

  /** The units asked for, or null when one of them is not a whole number from 0 to what is left. */
  function chosen() {
    const out = [];
    for (const { line, left, input } of rows) {
      const text = input.value.trim();
      const quantity = text === '' ? 0 : Number(text);
      if (!Number.isInteger(quantity) || quantity < 0 || quantity > left) return null;
      if (quantity > 0) out.push({ line, quantity });
    }
    return out;
  }

  function update() {
    const picked = chosen();
    if (!picked?.length) {
      preview.textContent = picked ? t('order.refund_preview_none') : '';
      return;
    }
    const { amount, everything } = refundAmount(order, picked);
    preview.textContent = t(everything && order.deliveryPrice.amount ? 'order.refund_preview_all' : 'order.refund_preview',
      { amount: formatMoney({ amount, currency }) });
  }
  form.addEventListener('input', update);
  update();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const wrong = rows.find(({ input, left }) => {
      const text = input.value.trim();
      const n = text === '' ? 0 : Number(text);
      return !Number.isInteger(n) || n < 0 || n > left;
    });
    if (wrong) {
      showFieldError(form, `line-${wrong.line.id}`, t('order.refund_between', { left: formatNumber(wrong.left) }));
      wrong.input.focus();
      return;
    }
    const picked = chosen();
    if (!picked.length) {
      showFieldError(form, 'lines', t('order.refund_none'));
      rows[0]?.input.focus();
      return;
    }
    const body = { lines: picked.map(({ line, quantity }) => ({ lineId: line.id, quantity })) };
    if (reason.value.trim()) body.reason = reason.value.trim();
    send('refund', body, { scope: form, box, button: submit });
  });
  return form;
}
