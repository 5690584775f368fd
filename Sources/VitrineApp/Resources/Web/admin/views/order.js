// One order: buyer, delivery, lines, totals with VAT per rate, payment, history, and the changes its
// status allows (paid, fulfilled, cancelled, refunded) beside them.

import { api, path } from '../api.js';
import { t, locale } from '../i18n.js';
import { h, fill, safeUrl } from '../lib/dom.js';
import { messageBox, showMessage } from '../lib/forms.js';
import { formatDateTime, formatMoney, formatNumber, formatPercent } from '../lib/format.js';
import { facts, showHash } from './show/common.js';
import { statusBadge, listHash, ordersHash, zoneOf } from './order/common.js';
import { actionButtons } from './order/actions.js';

function countryName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An address as the lines of a letter. */
function addressLines(address) {
  if (!address) return null;
  return h('address', { class: 'address' }, [address.line1, address.line2,
    `${address.postalCode} ${address.city}`, countryName(address.country)]
    .filter(Boolean).map((line, i) => [i ? h('br') : null, line]));
}

function card(titleKey, id, ...children) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, t(titleKey)), children);
}

function buyerCard(order) {
  const mail = safeUrl(`mailto:${order.email}`, { allowMailto: true });
  return card('order.buyer', 'order-buyer', facts([
    [t('field.name'), order.name],
    [t('field.email'), mail ? h('a', { href: mail }, order.email) : order.email],
    [t('order.phone'), order.phone],
    [t('order.language'), t(`language.${order.language}`)],
    [t('order.marketing'), t(order.marketingConsent ? 'order.yes' : 'order.no')],
  ]));
}

function deliveryCard(order, store) {
  const tracking = safeUrl(order.trackingUrl);
  const storeText = order.delivery === 'pickup'
    ? (store ? [h('div', { class: 'strong' }, store.name), addressLines(store.address)] : t('order.store_unknown')) : null;
  return card('order.delivery', 'order-delivery', facts([
    [t('order.method'), t(`order_delivery.${order.delivery}`)],
    [t('order.store'), storeText],
    [t('order.address'), addressLines(order.address)],
    [t('order.carrier'), order.carrier],
    [t('order.tracking_number'), order.trackingNumber ? h('code', {}, order.trackingNumber) : null],
    [t('order.tracking_link'), tracking
      ? h('a', { href: tracking, target: '_blank', rel: 'noopener noreferrer' }, t('order.track')) : null],
  ]));
}

function linesCard(order) {
  const heads = [t('order.product'), t('order.unit_price'), t('order.quantity'), t('order.line_discount'),
    t('order.vat'), t('order.line_total'), t('order.refunded_units')];
  const label = (i) => ({ dataset: { label: i ? heads[i] : '' } });
  const rows = order.lines.map((line) => h('tr', { class: line.refundedQuantity === line.quantity ? 'row-muted' : null },
    h('td', label(0), h('div', { class: 'strong' }, line.title),
      h('div', { class: 'muted small' }, [line.variantTitle, line.sku].filter(Boolean).join(' · ')),
      line.dropId ? h('span', { class: 'badge badge-drop' }, t('order.flash_drop')) : null),
    h('td', { class: 'num', ...label(1) }, formatMoney(line.unitPrice), line.compareAtPrice
      ? h('div', { class: 'muted small' }, t('order.instead_of', { price: formatMoney(line.compareAtPrice) })) : null),
    h('td', { class: 'num', ...label(2) }, formatNumber(line.quantity)),
    h('td', { class: 'num', ...label(3) }, line.discount.amount ? `−${formatMoney(line.discount)}` : '—'),
    h('td', { class: 'num', ...label(4) }, formatPercent(line.vatRate)),
    h('td', { class: 'num', ...label(5) }, formatMoney(line.total)),
    h('td', { class: 'num', ...label(6) }, line.refundedQuantity ? formatNumber(line.refundedQuantity) : '—')));
  return card('order.lines', 'order-lines', h('div', { class: 'table-wrap' },
    h('table', { class: 'table table-stack' },
      h('caption', { class: 'visually-hidden' }, t('order.lines')),
      h('thead', {}, h('tr', {}, heads.map((text, i) => h('th', { scope: 'col', class: i ? 'num' : null }, text)))),
      h('tbody', {}, rows))));
}

function totalsCard(order) {
  const discount = order.discount.amount
    ? [`−${formatMoney(order.discount)}`, order.promotionCode
      ? h('span', { class: 'muted' }, ' · ', t('order.code'), ' ', h('code', {}, order.promotionCode))
      : h('span', { class: 'muted' }, ` · ${t('order.automatic_offer')}`)]
    : null;
  const vat = order.vat.map((v) => [t('order.vat_at', { rate: formatPercent(v.rate) }),
    t('order.vat_of', { vat: formatMoney(v.vat), base: formatMoney(v.base) })]);
  const list = facts([
    [t('order.subtotal'), formatMoney(order.subtotal)],
    [t('order.discount'), discount],
    [t('order.delivery_price'), order.deliveryPrice.amount ? formatMoney(order.deliveryPrice) : t('order.free')],
    [t('order.total'), h('strong', {}, formatMoney(order.total))],
    ...vat,
    [t('order.refunded'), order.refunded.amount ? h('strong', { class: 'refunded-amount' }, formatMoney(order.refunded)) : null],
  ]);
  list.classList.add('totals');
  return card('order.totals', 'order-totals', list);
}

function originCard(ctx, order, show) {
  const showLink = order.showId
    ? [h('a', { href: showHash(ctx.brandId, order.showId) }, show?.title ?? t('order.show_unknown')), ' · ',
      h('a', { href: `${ordersHash(ctx.brandId)}?showId=${encodeURIComponent(order.showId)}` }, t('order.show_orders'))]
    : null;
  return card('order.origin', 'order-origin', facts([
    [t('order.origin_kind'), t(`order_origin.${order.origin}`)],
    [t('order.show'), showLink],
  ]));
}

function historyCard(order, zone) {
  const heads = [t('orders.date'), t('field.status'), t('order.note')];
  const label = (i) => ({ dataset: { label: heads[i] } });
  return card('order.history', 'order-history', h('div', { class: 'table-wrap' },
    h('table', { class: 'table table-stack history-table' },
      h('caption', { class: 'visually-hidden' }, t('order.history')),
      h('thead', {}, h('tr', {}, heads.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, order.history.map((event) => h('tr', {},
        h('td', label(0), h('time', { datetime: event.at }, formatDateTime(event.at, zone))),
        h('td', label(1), statusBadge(event.status)),
        h('td', label(2), event.note ?? '')))))));
}

function statusCard(ctx, order, zone, onChange) {
  const box = messageBox();
  const reference = order.paymentReference ? h('code', { class: 'reference' }, order.paymentReference) : null;
  const el = h('section', { class: 'card status-card', 'aria-labelledby': 'order-status-title' },
    h('h2', { id: 'order-status-title' }, t('order.status')),
    h('p', {}, statusBadge(order.status)),
    facts([
      [t('order.placed'), h('time', { datetime: order.createdAt }, formatDateTime(order.createdAt, zone))],
      [t('orders.payment'), t(`order_payment.${order.payment}`)],
      [t('order.reference'), reference],
      [t('orders.total'), formatMoney(order.total)],
      [t('order.refunded'), order.refunded.amount ? formatMoney(order.refunded) : null],
      [t('order.acknowledged'), order.acknowledgedAt ? formatDateTime(order.acknowledgedAt, zone) : null],
    ]),
    box,
    ctx.can('orders.manage') ? actionButtons(ctx, order, { onChange }) : null);
  return { el, box };
}

export async function render(ctx) {
  const zone = zoneOf(ctx.brand);
  const holder = h('div');
  ctx.root.append(h('a', { href: listHash(ctx.brandId), class: 'back-link' }, t('order.back')), holder);
  let order = await api.get(path`/api/brands/${ctx.brandId}/orders/${ctx.orderId}`);
  const [store, show] = await Promise.all([
    order.pickupStoreId
      ? api.get(path`/api/brands/${ctx.brandId}/pickup-stores/${order.pickupStoreId}`).catch(() => null) : null,
    order.showId ? api.get(path`/api/brands/${ctx.brandId}/shows/${order.showId}`).catch(() => null) : null,
  ]);

  function draw(message) {
    ctx.setTitle(t('order.title', { number: order.number }));
    const status = statusCard(ctx, order, zone, (updated, text) => {
      order = updated;
      draw(text);
    });
    fill(holder, h('div', { class: 'editor-layout' },
      h('div', { class: 'editor-aside' }, status.el),
      h('div', { class: 'editor-main stack' },
        buyerCard(order), deliveryCard(order, store), linesCard(order), totalsCard(order), originCard(ctx, order, show),
        historyCard(order, zone))));
    if (message) {
      showMessage(status.box, message, 'success');
      status.box.focus();
    }
  }
  draw();
}
