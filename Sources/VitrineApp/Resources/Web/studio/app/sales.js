// What the show sells as it goes: revenue, orders (how many during the live), units, the add-to-carts
// a hand-off brand's shop took, and each lineup product's sales and stock left. Read from the API
// every 5 s while the page is in sight, and at once when the room says a product's stock moved.

import { api, path } from '/admin/api.js';
import { t, locale } from '/admin/i18n.js';
import { h, fill } from '/admin/lib/dom.js';
import { formatMoney, formatNumber } from '/admin/lib/format.js';
import { panel } from '/studio/app/ui.js';

const REFRESH_MS = 5000;

/** The stock column: "Sold out", "—" (not tracked, said in words to assistive technologies), or a count. */
function stockCell(product) {
  if (product.soldOut) return h('span', { class: 'stock sold-out' }, t('studio.sold_out'));
  if (product.allReserved) return h('span', { class: 'stock' }, t('studio.all_reserved'));
  if (product.available == null) {
    return [h('span', { 'aria-hidden': 'true', title: t('studio.stock_unlimited') }, '—'),
      h('span', { class: 'visually-hidden' }, t('studio.stock_unlimited'))];
  }
  return h('span', { class: 'stock' }, formatNumber(product.available));
}

/** A figure of the totals: a list item, its label then its value. */
function figure(label) {
  const value = h('span', { class: 'sales-value' }, '—');
  const el = h('li', { class: 'sales-figure' }, h('span', { class: 'sales-label' }, label), ' ', value);
  return { el, value };
}

export function salesPanel({ room, brandId, show }) {
  const url = path`/api/brands/${brandId}/shows/${show.id}/sales`;
  const revenue = figure(t('studio.sales_revenue'));
  const orders = figure(t('studio.sales_orders'));
  const units = figure(t('studio.sales_units'));
  const added = figure(t('studio.sales_added'));
  added.el.hidden = true;
  const rows = h('tbody');
  const table = h('table', { class: 'sales-table' },
    h('caption', { class: 'visually-hidden' }, t('studio.sales_products')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('studio.sales_product')),
      h('th', { scope: 'col', class: 'num' }, t('studio.sales_sold')),
      h('th', { scope: 'col', class: 'num' }, t('studio.sales_amount')),
      h('th', { scope: 'col', class: 'num' }, t('studio.sales_left')))),
    rows);
  const none = h('p', { class: 'muted', hidden: true }, t('lineup.none'));
  // Said once per outage (the text only changes with the time of the last figures): no announcement
  // on every failed refresh.
  const stale = h('p', { class: 'muted small sales-stale', role: 'status' });
  let timer = null;
  let loading = false;
  let again = false;
  let lastGood = null;

  function draw(sales) {
    revenue.value.textContent = formatMoney(sales.revenue);
    fill(orders.value, formatNumber(sales.orders),
      sales.orders ? [' ', h('span', { class: 'muted small' }, t('studio.sales_live_orders', {
        n: sales.liveOrders, count: formatNumber(sales.liveOrders) }))] : null);
    units.value.textContent = formatNumber(sales.units);
    added.value.textContent = formatNumber(sales.addedToCart);
    added.el.hidden = !(sales.addedToCart > 0);
    const products = sales.products ?? [];
    fill(rows, products.map((product) => h('tr', { dataset: { productId: String(product.productId).toLowerCase() } },
      h('th', { scope: 'row' }, product.title,
        product.addedToCart > 0 ? h('span', { class: 'muted small sales-added' }, t('studio.sales_added_n', {
          n: product.addedToCart, count: formatNumber(product.addedToCart) })) : null),
      h('td', { class: 'num' }, formatNumber(product.units)),
      h('td', { class: 'num' }, formatMoney(product.revenue)),
      h('td', { class: 'num' }, stockCell(product)))));
    table.hidden = products.length === 0;
    none.hidden = products.length > 0;
  }

  function note(text) {
    if (stale.textContent !== text) stale.textContent = text;
  }

  async function refresh() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      draw(await api.get(url, { redirectOn401: false }));
      lastGood = new Date();
      note('');
    } catch {
      // The last figures stay; a note says since when.
      note(lastGood ? t('studio.sales_stale', {
        time: new Intl.DateTimeFormat(locale(), { timeStyle: 'medium' }).format(lastGood) })
        : t('studio.sales_unavailable'));
    } finally {
      loading = false;
    }
    if (again) {
      again = false;
      refresh();
    }
  }

  const visible = () => document.visibilityState === 'visible';

  function stop() {
    clearInterval(timer);
    timer = null;
  }

  function start() {
    stop();
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  document.addEventListener('visibilitychange', () => (visible() ? start() : stop()));
  window.addEventListener('pagehide', stop);
  room.on('stock', () => { if (timer !== null) refresh(); });
  if (visible()) start();

  return panel(t('studio.sales'),
    h('ul', { class: 'sales-totals' }, revenue.el, orders.el, units.el, added.el),
    table, none, stale);
}
