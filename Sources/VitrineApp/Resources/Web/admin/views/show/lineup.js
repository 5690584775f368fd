// The lineup: products in the order the host presents them, each with an optional show price and note.
// Reordered by drag and drop (with the handle) or by the up/down buttons; every move is announced.

import { t } from '../../i18n.js';
import { h, fill, uid, safeUrl } from '../../lib/dom.js';
import { showFieldError } from '../../lib/forms.js';
import { formatDecimal, formatPriceRange, minorDigits, parseDecimal } from '../../lib/format.js';
import { productSearch } from './search.js';

const MAX = 100;

/** A lineup as the API takes it, to compare the saved one with the edited one. */
export function lineupOf(show) {
  return [...(show.lineup ?? [])].sort((a, b) => a.position - b.position).map((item) => {
    const out = { productId: item.productId };
    if (item.showPrice) out.showPrice = { amount: item.showPrice.amount, currency: item.showPrice.currency };
    if (item.note) out.note = item.note;
    return out;
  });
}

/**
 * `products` maps product ids to the products already fetched (titles, images, prices); `onChange` is
 * told when a product is added, moved or removed (typing in the inputs fires the form's own events).
 */
export function lineupEditor(lineup, { ctx, products, currency, readOnly, onChange = () => {} }) {
  const digits = minorDigits(currency);
  const rows = [];
  const list = h('ol', { class: 'lineup', dataset: { field: 'lineup' }, tabindex: '-1' });
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  let dragging = null;
  const announce = (text) => { status.textContent = text; };
  const titleOf = (row) => row.product?.title ?? t('lineup.unknown', { id: row.productId.slice(0, 8) });

  /** Moves `row` to index `to`; from a button, focus stays on it, or on the other one at either end. */
  function move(row, to, button) {
    const at = rows.indexOf(row);
    if (to < 0 || to >= rows.length || to === at) return;
    rows.splice(at, 1);
    rows.splice(to, 0, row);
    layout();
    onChange();
    announce(t('lineup.moved', { title: titleOf(row), n: to + 1, count: rows.length }));
    if (button) (button.disabled ? (button === row.up ? row.down : row.up) : button).focus();
  }

  function add(item, product, { announceIt = false } = {}) {
    const row = {
      productId: item.productId,
      product,
      price: h('input', { type: 'text', inputmode: 'decimal', class: 'input-money', disabled: readOnly,
        value: item.showPrice ? formatDecimal(item.showPrice.amount, digits) : '' }),
      note: h('input', { type: 'text', maxlength: 500, value: item.note ?? '', disabled: readOnly }),
      li: h('li', { class: 'lineup-row' }),
      name: h('span', { class: 'strong lineup-title', tabindex: '-1' }),
    };
    if (!readOnly) {
      row.handle = h('span', { class: 'drag-handle', 'aria-hidden': 'true', title: t('lineup.drag') }, '⠿');
      row.up = h('button', { type: 'button', class: 'button button-small', onclick: () => move(row, rows.indexOf(row) - 1, row.up) }, '↑');
      row.down = h('button', { type: 'button', class: 'button button-small', onclick: () => move(row, rows.indexOf(row) + 1, row.down) }, '↓');
      row.remove = h('button', { type: 'button', class: 'button button-small button-danger', onclick: () => {
        const at = rows.indexOf(row);
        rows.splice(at, 1);
        layout();
        onChange();
        announce(t('lineup.removed', { title: titleOf(row) }));
        (rows[Math.min(at, rows.length - 1)]?.remove ?? search.input).focus();
        search.refresh();
      } }, t('lineup.remove'));
      dragAndDrop(row);
    }
    rows.push(row);
    if (announceIt) {
      layout();
      onChange();
      announce(t('lineup.added', { title: titleOf(row), n: rows.length }));
    }
  }

  function dragAndDrop(row) {
    const { li, handle } = row;
    // Only the handle starts a drag, so text in the inputs can still be selected with the mouse.
    handle.addEventListener('pointerdown', () => { li.draggable = true; });
    li.addEventListener('dragstart', (event) => {
      dragging = row;
      li.classList.add('dragging');
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', row.productId);
    });
    li.addEventListener('dragend', () => {
      li.draggable = false;
      li.classList.remove('dragging');
      dragging = null;
      for (const other of rows) other.li.classList.remove('drop-before', 'drop-after');
    });
    li.addEventListener('dragover', (event) => {
      if (!dragging || dragging === row) return;
      event.preventDefault();
      const box = li.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      li.classList.toggle('drop-after', after);
      li.classList.toggle('drop-before', !after);
    });
    li.addEventListener('dragleave', () => li.classList.remove('drop-before', 'drop-after'));
    li.addEventListener('drop', (event) => {
      if (!dragging || dragging === row) return;
      event.preventDefault();
      const after = li.classList.contains('drop-after');
      li.classList.remove('drop-before', 'drop-after');
      const from = rows.indexOf(dragging);
      let to = rows.indexOf(row) + (after ? 1 : 0);
      if (from < to) to -= 1;
      move(dragging, to);
    });
  }

  function layout() {
    fill(list, rows.map((row, i) => {
      const n = i + 1;
      const title = titleOf(row);
      row.name.textContent = title;
      row.name.dataset.field = `lineup[${i}].productId`;
      row.price.dataset.field = `lineup[${i}].showPrice`;
      row.note.dataset.field = `lineup[${i}].note`;
      row.price.id ||= uid('price');
      row.note.id ||= uid('note');
      row.up?.setAttribute('aria-label', t('lineup.up', { title, n }));
      row.down?.setAttribute('aria-label', t('lineup.down', { title, n }));
      row.remove?.setAttribute('aria-label', t('lineup.remove_n', { title }));
      if (row.up) row.up.disabled = i === 0;
      if (row.down) row.down.disabled = i === rows.length - 1;
      const image = row.product?.images?.[0];
      const src = safeUrl(image?.thumbnailUrl ?? image?.url);
      const catalog = row.product ? formatPriceRange(row.product.variants) : '—';
      return fill(row.li,
        row.handle,
        h('span', { class: 'lineup-position', 'aria-hidden': 'true' }, String(n)),
        src ? h('img', { src, alt: '', class: 'thumb', loading: 'lazy', width: 48, height: 48 })
          : h('span', { class: 'thumb thumb-empty', 'aria-hidden': 'true' }),
        h('div', { class: 'lineup-product field' },
          h('span', { class: 'visually-hidden' }, t('lineup.position', { n })),
          row.name,
          h('span', { class: 'muted small' }, t('lineup.catalog_price', { price: catalog }))),
        h('div', { class: 'field' }, h('label', { for: row.price.id }, t('lineup.show_price', { currency })), row.price),
        h('div', { class: 'field grow' }, h('label', { for: row.note.id }, t('lineup.note')), row.note),
        readOnly ? null : h('div', { class: 'row-actions' }, row.up, row.down, row.remove));
    }));
    if (!rows.length) list.append(h('li', { class: 'empty' }, t('lineup.none')));
  }

  const search = readOnly ? null : productSearch(ctx, {
    has: (id) => rows.some((row) => row.productId === id),
    full: () => rows.length >= MAX,
    pick: (product) => {
      products.set(product.id, product);
      add({ productId: product.id }, product, { announceIt: true });
    },
  });

  /** The lineup as LineupInput values, or null after marking what is wrong. */
  function collect(scope) {
    const errors = [];
    const out = rows.map((row, i) => {
      const item = { productId: row.productId };
      const amount = parseDecimal(row.price.value, digits);
      if (Number.isNaN(amount)) errors.push([`lineup[${i}].showPrice`, t('form.money_invalid')]);
      else if (amount !== null) item.showPrice = { amount, currency };
      if (row.note.value.trim()) item.note = row.note.value.trim();
      return item;
    });
    if (errors.length) {
      errors.map(([name, message]) => showFieldError(scope, name, message))[0]?.focus();
      return null;
    }
    return out;
  }

  for (const item of [...lineup].sort((a, b) => a.position - b.position)) add(item, products.get(item.productId));
  layout();
  const el = h('div', { class: 'card' },
    h('h2', {}, t('lineup.title')),
    h('p', { class: 'hint' }, t(readOnly ? 'lineup.hint_read_only' : 'lineup.hint', { max: MAX })),
    list, status, search?.el);
  return { el, collect };
}
