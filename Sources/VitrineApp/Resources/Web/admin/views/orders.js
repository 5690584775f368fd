// Orders list: filters (status, origin, buyer's e-mail, days, show), paging, and the CSV export of
// what the filters select.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, fill } from '../lib/dom.js';
import { field, select, messageBox, showMessage, reportError } from '../lib/forms.js';
import { formatDateTime, formatMoney, formatNumber } from '../lib/format.js';
import { STATUSES, ORIGINS, statusBadge, orderHash, rememberList, zoneOf, dayStart } from './order/common.js';

const PER_PAGE = [25, 50, 100];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function positiveInt(text, fallback) {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function stateFrom(query) {
  const pick = (name, test) => (test(query.get(name) ?? '') ? query.get(name) : '');
  const perPage = positiveInt(query.get('perPage'), 25);
  return {
    status: pick('status', (v) => STATUSES.includes(v)),
    origin: pick('origin', (v) => ORIGINS.includes(v)),
    email: (query.get('email') ?? '').trim().slice(0, 254),
    from: pick('from', (v) => DAY.test(v)),
    to: pick('to', (v) => DAY.test(v)),
    showId: pick('showId', (v) => UUID.test(v)),
    page: positiveInt(query.get('page'), 1),
    perPage: PER_PAGE.includes(perPage) ? perPage : 25,
  };
}

export function render(ctx) {
  const zone = zoneOf(ctx.brand);
  const state = stateFrom(ctx.query);
  let sequence = 0;

  const status = select([['', t('orders.all_statuses')], ...STATUSES.map((s) => [s, t(`order_status.${s}`)])],
    state.status, { id: 'order-status', name: 'status' });
  const origin = select([['', t('orders.all_origins')], ...ORIGINS.map((o) => [o, t(`order_origin.${o}`)])],
    state.origin, { id: 'order-origin', name: 'origin' });
  const email = h('input', { type: 'email', id: 'order-email', name: 'email', value: state.email, maxlength: 254,
    spellcheck: 'false' });
  const from = h('input', { type: 'date', id: 'order-from', name: 'from', value: state.from });
  const to = h('input', { type: 'date', id: 'order-to', name: 'to', value: state.to });
  const apply = h('button', { type: 'submit', class: 'button' }, t('orders.apply'));
  const reset = h('button', { type: 'button', class: 'button button-quiet' }, t('orders.clear'));
  const showFilter = h('div');
  const perPage = select(PER_PAGE.map((n) => [String(n), String(n)]), String(state.perPage), { id: 'order-per-page' });
  const exportLink = h('a', { class: 'button', download: 'orders.csv' }, t('orders.export'));
  const box = messageBox();
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const results = h('div', { class: 'table-wrap' });
  const prev = h('button', { type: 'button', class: 'button' }, t('paging.previous'));
  const next = h('button', { type: 'button', class: 'button' }, t('paging.next'));
  const pageInfo = h('span', { class: 'page-info' });

  const filters = h('form', { class: 'toolbar order-filters', role: 'search', 'aria-label': t('orders.filters'), novalidate: true },
    field(t('field.status'), status),
    field(t('orders.origin'), origin),
    field(t('orders.email'), email, { className: 'grow' }),
    field(t('orders.from'), from),
    field(t('orders.to'), to),
    h('div', { class: 'actions order-filter-actions' }, apply, reset));

  /** The filters as the API reads them: days become the instants they start in the brand's zone. */
  function apiFilters() {
    const params = new URLSearchParams();
    if (state.status) params.set('status', state.status);
    if (state.origin) params.set('origin', state.origin);
    if (state.email) params.set('email', state.email);
    if (state.showId) params.set('showId', state.showId);
    const start = dayStart(state.from, zone);
    const end = dayStart(state.to, zone, { nextDay: true });
    if (start) params.set('from', start);
    if (end) params.set('to', end);
    return params;
  }

  const filtered = () => Boolean(state.status || state.origin || state.email || state.from || state.to || state.showId);

  async function load() {
    const mine = ++sequence;
    ctx.setQuery({ status: state.status, origin: state.origin, email: state.email, from: state.from, to: state.to,
      showId: state.showId, page: state.page > 1 ? state.page : '', perPage: state.perPage !== 25 ? state.perPage : '' });
    rememberList(ctx.brandId, location.hash);
    const params = apiFilters();
    exportLink.href = `${path`/api/brands/${ctx.brandId}/orders.csv`}${params.toString() ? `?${params}` : ''}`;
    params.set('page', state.page);
    params.set('perPage', state.perPage);
    reset.hidden = !filtered();
    results.setAttribute('aria-busy', 'true');
    try {
      const data = await api.get(`${path`/api/brands/${ctx.brandId}/orders`}?${params}`);
      if (mine !== sequence) return;
      const pages = Math.max(1, Math.ceil(data.total / data.perPage));
      if (data.total > 0 && state.page > pages) {
        state.page = pages;
        load();
        return;
      }
      showMessage(box, '');
      summary.textContent = t('orders.count', { count: formatNumber(data.total), n: data.total });
      clear(results).append(data.items.length ? table(data.items)
        : h('p', { class: 'empty' }, t(filtered() ? 'orders.none_match' : 'orders.none')));
      pageInfo.textContent = t('paging.info', { page: formatNumber(data.page), pages: formatNumber(pages) });
      prev.disabled = data.page <= 1;
      next.disabled = data.page >= pages;
    } catch (error) {
      if (mine === sequence) reportError(error, { box });
    } finally {
      if (mine === sequence) results.removeAttribute('aria-busy');
    }
  }

  function row(order, heads) {
    const label = (i) => ({ dataset: { label: heads[i] } });
    const link = orderHash(ctx.brandId, order.id);
    const refunded = order.refunded?.amount > 0
      ? h('div', { class: 'muted small' }, t('orders.refunded', { amount: formatMoney(order.refunded) })) : null;
    const tr = h('tr', { class: 'row-link' },
      h('td', label(0), h('a', { href: link, class: 'strong' }, order.number)),
      h('td', label(1), h('time', { datetime: order.createdAt }, formatDateTime(order.createdAt, zone))),
      h('td', label(2), h('div', {}, order.name), h('div', { class: 'muted small' }, order.email)),
      h('td', label(3), statusBadge(order.status)),
      h('td', label(4), t(`order_payment.${order.payment}`)),
      h('td', { class: 'num', ...label(5) }, formatMoney(order.total), refunded),
      h('td', label(6), t(`order_origin.${order.origin}`)));
    // The whole row opens the order for a mouse; the number is the link for keyboards and readers.
    tr.addEventListener('click', (event) => {
      if (event.target.closest('a') || window.getSelection()?.toString()) return;
      ctx.navigate(link);
    });
    return tr;
  }

  function table(items) {
    const heads = [t('orders.number'), t('orders.date'), t('orders.buyer'), t('field.status'), t('orders.payment'),
      t('orders.total'), t('orders.origin')];
    return h('table', { class: 'table table-stack orders-table' },
      h('caption', { class: 'visually-hidden' }, t('title.orders')),
      h('thead', {}, h('tr', {}, heads.map((text, i) => h('th', { scope: 'col', class: i === 5 ? 'num' : null }, text)))),
      h('tbody', {}, items.map((order) => row(order, heads))));
  }

  async function drawShowFilter() {
    if (!state.showId) {
      clear(showFilter);
      return;
    }
    const title = await api.get(path`/api/brands/${ctx.brandId}/shows/${state.showId}`).then((s) => s.title, () => null);
    const remove = h('button', { type: 'button', class: 'button button-small' }, t('orders.show_filter_remove'));
    remove.addEventListener('click', () => {
      state.showId = '';
      state.page = 1;
      drawShowFilter();
      load();
      status.focus();
    });
    fill(showFilter, h('p', { class: 'message message-info show-filter' },
      t('orders.show_filter', { title: title ?? t('orders.show_unknown') }), ' ', remove));
  }

  function readFilters() {
    const next = {
      status: status.value, origin: origin.value, email: email.value.trim(),
      from: DAY.test(from.value) ? from.value : '', to: DAY.test(to.value) ? to.value : '',
    };
    if (Object.entries(next).every(([key, value]) => state[key] === value)) return;
    Object.assign(state, next, { page: 1 });
    load();
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    readFilters();
  });
  // Lists and days apply at once; the e-mail (an exact address) when it is left or submitted.
  filters.addEventListener('change', readFilters);
  reset.addEventListener('click', () => {
    for (const input of [status, origin, email, from, to]) input.value = '';
    Object.assign(state, { status: '', origin: '', email: '', from: '', to: '', showId: '', page: 1 });
    drawShowFilter();
    load();
    status.focus();
  });
  perPage.addEventListener('change', () => { state.perPage = Number(perPage.value); state.page = 1; load(); });
  prev.addEventListener('click', () => { state.page -= 1; load(); });
  next.addEventListener('click', () => { state.page += 1; load(); });

  ctx.root.append(filters, showFilter, box,
    h('div', { class: 'orders-head' }, summary, exportLink),
    results,
    h('nav', { class: 'pager', 'aria-label': t('paging.label') }, prev, pageInfo, next,
      h('div', { class: 'field inline' }, h('label', { for: perPage.id }, t('paging.per_page')), perPage)));
  return Promise.all([load(), drawShowFilter()]);
}
