// The lineup on air: pin and unpin each product (a click, or the keys 1 to 9 for the first nine),
// with its live stock. The pins shown are the room's, so two people in the studio see the same.

import { api, path } from '/admin/api.js';
import { t } from '/admin/i18n.js';
import { h, fill, safeUrl } from '/admin/lib/dom.js';
import { messageBox, showMessage } from '/admin/lib/forms.js';
import { formatMoney, formatPriceRange } from '/admin/lib/format.js';
import { panel, roomErrorText, isTyping } from '/studio/app/ui.js';

// The room sends ids as Swift writes them (upper case); the API too, but compare without case anyway.
const key = (id) => String(id).toLowerCase();

/**
 * The lineup's products by lower-case id, fetched one by one (the API has no batch read); a missing
 * one stays unknown. The studio fetches them once for the panels that name them.
 */
export async function fetchProducts(brandId, lineup) {
  const found = await Promise.all(lineup.map((item) => api.get(path`/api/brands/${brandId}/products/${item.productId}`)
    .catch(() => null)));
  return new Map(found.filter(Boolean).map((product) => [key(product.id), product]));
}

/** "3 left", "Sold out", "∞" (stock not tracked), or "—" before the room said. */
function stockText(stock) {
  if (!stock) return ['—', t('studio.stock_unknown')];
  if (stock.soldOut) return [t('studio.sold_out'), t('studio.sold_out')];
  if (stock.available == null) return ['∞', t('studio.stock_unlimited')];
  return [t('studio.stock_left', { n: stock.available }), t('studio.stock_left', { n: stock.available })];
}

/** `products`: the promise of fetchProducts, shared with the other panels (fetched here when absent). */
export function lineupPanel({ room, brandId, show, products: loading = fetchProducts(brandId, show.lineup ?? []) }) {
  const items = [...(show.lineup ?? [])].sort((a, b) => a.position - b.position);
  const list = h('ol', { class: 'studio-lineup' });
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const pinned = new Set();
  let stock = new Map();
  let canRun = false;
  let products = new Map();

  const rows = items.map((item, i) => {
    const row = {
      item, n: i + 1, id: key(item.productId),
      li: h('li', { class: 'studio-product', dataset: { productId: key(item.productId) } }),
      button: h('button', { type: 'button', class: 'button pin-button' }),
      badge: h('span', { class: 'badge pinned-badge' }, t('studio.pinned')),
      stock: h('span', { class: 'stock' }),
      error: messageBox(),
    };
    row.button.addEventListener('click', () => toggle(row));
    return row;
  });

  const titleOf = (row) => products.get(row.id)?.title ?? t('lineup.unknown', { id: row.id.slice(0, 8) });

  function draw(row) {
    const on = pinned.has(row.id);
    const title = titleOf(row);
    row.li.classList.toggle('pinned', on);
    row.badge.hidden = !on;
    row.button.textContent = t(on ? 'studio.unpin' : 'studio.pin');
    row.button.setAttribute('aria-label', t(on ? 'studio.unpin_n' : 'studio.pin_n', { title }));
    row.button.classList.toggle('button-primary', !on);
    row.button.disabled = !canRun;
    const [text, label] = stockText(stock.get(row.id));
    row.stock.textContent = text;
    row.stock.title = label;
    row.stock.className = `stock${stock.get(row.id)?.soldOut ? ' sold-out' : ''}`;
    const product = products.get(row.id);
    const image = product?.images?.[0];
    const src = safeUrl(image?.thumbnailUrl ?? image?.url);
    const price = row.item.showPrice ? formatMoney(row.item.showPrice) : product ? formatPriceRange(product.variants) : '';
    fill(row.li,
      h('kbd', { class: 'shortcut', title: row.n <= 9 ? t('studio.shortcut', { n: row.n }) : null }, String(row.n)),
      src ? h('img', { src, alt: '', class: 'thumb', width: 48, height: 48, loading: 'lazy' })
        : h('span', { class: 'thumb thumb-empty', 'aria-hidden': 'true' }),
      h('div', { class: 'studio-product-text' },
        h('span', { class: 'strong' }, title), ' ', row.badge,
        h('span', { class: 'muted small' }, price, ' · ', h('span', { class: 'visually-hidden' }, t('studio.stock'), ' '),
          row.stock)),
      row.button, row.error);
  }

  const drawAll = () => rows.forEach(draw);

  async function toggle(row) {
    const on = pinned.has(row.id);
    showMessage(row.error, '');
    row.button.setAttribute('aria-busy', 'true');
    try {
      await room.request(on ? { type: 'unpin', productId: row.item.productId } : { type: 'pin', productId: row.item.productId });
    } catch (error) {
      showMessage(row.error, roomErrorText(error), 'error');
    } finally {
      row.button.removeAttribute('aria-busy');
    }
  }

  function changed(id, on) {
    if (on) pinned.add(key(id));
    else pinned.delete(key(id));
    const row = rows.find((r) => r.id === key(id));
    if (!row) return;
    draw(row);
    status.textContent = t(on ? 'studio.pinned_n' : 'studio.unpinned_n', { title: titleOf(row) });
  }

  room.on('snapshot', (snapshot) => {
    canRun = Boolean(snapshot.you?.canRun);
    pinned.clear();
    for (const pin of snapshot.pins ?? []) pinned.add(key(pin.productId));
    stock = new Map(Object.entries(snapshot.stock ?? {}).map(([id, value]) => [key(id), value]));
    drawAll();
  });
  room.on('product_pinned', (event) => changed(event.product.productId, true));
  room.on('product_unpinned', (event) => changed(event.productId, false));
  room.on('stock', (event) => {
    stock.set(key(event.productId), { available: event.available, soldOut: event.soldOut });
    const row = rows.find((r) => r.id === key(event.productId));
    if (row) draw(row);
  });

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event)) return;
    if (!/^[1-9]$/.test(event.key)) return;
    const row = rows[Number(event.key) - 1];
    if (!row || !canRun) return;
    event.preventDefault();
    toggle(row);
  });

  loading.then((found) => {
    products = found;
    drawAll();
  });
  fill(list, rows.length ? rows.map((row) => row.li) : h('li', { class: 'empty' }, t('lineup.none')));
  drawAll();
  return panel(t('studio.lineup'), h('p', { class: 'hint' }, t('studio.lineup_hint')), list, status);
}
