// Catalog list: search, status filter, paging; thumbnail, title, status, variants, prices, stock.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, debounce, safeUrl } from '../lib/dom.js';
import { select, messageBox, showMessage, reportError } from '../lib/forms.js';
import { formatPriceRange, formatNumber } from '../lib/format.js';

const PER_PAGE = [25, 50, 100];

function positiveInt(text, fallback) {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function totalStock(variants) {
  const tracked = variants.filter((v) => v.inventoryPolicy !== 'not_tracked');
  return tracked.length ? formatNumber(tracked.reduce((sum, v) => sum + v.inventoryQuantity, 0)) : t('products.not_tracked');
}

function row(ctx, product) {
  const image = product.images?.[0];
  const src = safeUrl(image?.thumbnailUrl ?? image?.url);
  const link = `#/brands/${encodeURIComponent(ctx.brandId)}/products/${encodeURIComponent(product.id)}`;
  return h('tr', {},
    h('td', { class: 'cell-thumb' }, src
      ? h('img', { src, alt: image.alt ?? '', class: 'thumb', loading: 'lazy', width: 48, height: 48 })
      : h('span', { class: 'thumb thumb-empty', 'aria-hidden': 'true' })),
    h('td', {}, h('a', { href: link, class: 'strong' }, product.title), h('div', { class: 'muted small' }, product.handle)),
    h('td', {}, h('span', { class: `badge badge-${product.status}` }, t(`status.${product.status}`))),
    h('td', { class: 'num' }, formatNumber(product.variants.length)),
    h('td', { class: 'num' }, formatPriceRange(product.variants)),
    h('td', { class: 'num' }, totalStock(product.variants)));
}

export function render(ctx) {
  const state = {
    q: ctx.query.get('q') ?? '',
    status: ['active', 'draft', 'archived'].includes(ctx.query.get('status')) ? ctx.query.get('status') : '',
    page: positiveInt(ctx.query.get('page'), 1),
    perPage: PER_PAGE.includes(positiveInt(ctx.query.get('perPage'), 25)) ? positiveInt(ctx.query.get('perPage'), 25) : 25,
  };
  let sequence = 0;

  const search = h('input', { type: 'search', id: 'product-search', value: state.q, maxlength: 200 });
  const status = select([['', t('products.all_statuses')], ...['active', 'draft', 'archived'].map((s) => [s, t(`status.${s}`)])],
    state.status, { id: 'product-status' });
  const perPage = select(PER_PAGE.map((n) => [String(n), String(n)]), String(state.perPage), { id: 'product-per-page' });
  const box = messageBox();
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const results = h('div', { class: 'table-wrap' });
  const prev = h('button', { type: 'button', class: 'button' }, t('paging.previous'));
  const next = h('button', { type: 'button', class: 'button' }, t('paging.next'));
  const pageInfo = h('span', { class: 'page-info' });

  const toolbar = h('div', { class: 'toolbar' },
    h('div', { class: 'field grow' }, h('label', { for: search.id }, t('products.search')), search),
    h('div', { class: 'field' }, h('label', { for: status.id }, t('field.status')), status),
    ctx.can('catalog.edit')
      ? h('a', { class: 'button button-primary', href: `#/brands/${encodeURIComponent(ctx.brandId)}/products/new` },
        t('products.new'))
      : null);

  async function load() {
    const mine = ++sequence;
    ctx.setQuery({ q: state.q, status: state.status, page: state.page > 1 ? state.page : '',
      perPage: state.perPage !== 25 ? state.perPage : '' });
    const params = new URLSearchParams({ page: state.page, perPage: state.perPage });
    if (state.q) params.set('q', state.q);
    if (state.status) params.set('status', state.status);
    results.setAttribute('aria-busy', 'true');
    try {
      const data = await api.get(`${path`/api/brands/${ctx.brandId}/products`}?${params}`);
      if (mine !== sequence) return;
      const pages = Math.max(1, Math.ceil(data.total / data.perPage));
      if (data.total > 0 && state.page > pages) {
        state.page = pages;
        load();
        return;
      }
      showMessage(box, '');
      summary.textContent = t('products.count', { count: formatNumber(data.total), n: data.total });
      clear(results).append(data.items.length ? table(data.items) : h('p', { class: 'empty' },
        state.q || state.status ? t('products.none_match') : t('products.none')));
      pageInfo.textContent = t('paging.info', { page: formatNumber(data.page), pages: formatNumber(pages) });
      prev.disabled = data.page <= 1;
      next.disabled = data.page >= pages;
    } catch (error) {
      if (mine === sequence) reportError(error, { box });
    } finally {
      if (mine === sequence) results.removeAttribute('aria-busy');
    }
  }

  function table(items) {
    const headers = ['', t('field.title'), t('field.status'), t('products.variants'), t('products.price'), t('products.stock')];
    return h('table', { class: 'table' },
      h('caption', { class: 'visually-hidden' }, t('title.products')),
      h('thead', {}, h('tr', {}, headers.map((text, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : null },
        i === 0 ? h('span', { class: 'visually-hidden' }, t('products.image')) : text)))),
      h('tbody', {}, items.map((product) => row(ctx, product))));
  }

  const searchLater = debounce(() => {
    state.q = search.value.trim();
    state.page = 1;
    load();
  }, 300);
  search.addEventListener('input', searchLater);
  status.addEventListener('change', () => { state.status = status.value; state.page = 1; load(); });
  perPage.addEventListener('change', () => { state.perPage = Number(perPage.value); state.page = 1; load(); });
  prev.addEventListener('click', () => { state.page -= 1; load(); });
  next.addEventListener('click', () => { state.page += 1; load(); });

  ctx.root.append(toolbar, box, summary, results,
    h('nav', { class: 'pager', 'aria-label': t('paging.label') }, prev, pageInfo, next,
      h('div', { class: 'field inline' }, h('label', { for: perPage.id }, t('paging.per_page')), perPage)));
  return load();
}
