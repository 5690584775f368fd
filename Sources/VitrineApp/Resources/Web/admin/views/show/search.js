// Finding products to add to a lineup: a search box and a short list of matches with "Add" buttons.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill, debounce, uid } from '../../lib/dom.js';
import { formatPriceRange } from '../../lib/format.js';

/** `has(id)` says a product is already in; `full()` that no more fit; `pick(product)` adds one. */
export function productSearch(ctx, { has, full, pick }) {
  const input = h('input', { type: 'search', id: uid('lineup-search'), maxlength: 200 });
  const results = h('ul', { class: 'search-results', id: uid('lineup-results') });
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });
  input.setAttribute('aria-controls', results.id);
  let found = [];
  let sequence = 0;

  function draw() {
    fill(results, found.map((product) => {
      const inLineup = has(product.id);
      const add = h('button', {
        type: 'button',
        class: 'button button-small',
        disabled: inLineup || full(),
        'aria-label': inLineup ? t('lineup.already_n', { title: product.title }) : t('lineup.add_n', { title: product.title }),
        onclick: () => {
          pick(product);
          draw();
          input.focus();
        },
      }, inLineup ? t('lineup.already') : t('lineup.add'));
      return h('li', {},
        h('span', { class: 'search-title' }, product.title,
          product.status !== 'active' ? h('span', { class: 'muted small' }, ` · ${t(`status.${product.status}`)}`) : null),
        h('span', { class: 'muted small' }, formatPriceRange(product.variants)),
        add);
    }));
    if (full()) summary.textContent = t('lineup.full');
  }

  async function run() {
    const mine = ++sequence;
    const q = input.value.trim();
    if (!q) {
      found = [];
      summary.textContent = '';
      draw();
      return;
    }
    const params = new URLSearchParams({ q, perPage: 10 });
    try {
      const data = await api.get(`${path`/api/brands/${ctx.brandId}/products`}?${params}`);
      if (mine !== sequence) return;
      found = data.items;
      summary.textContent = data.total
        ? t('lineup.found', { n: data.total, count: data.total, shown: data.items.length })
        : t('lineup.found_none');
      draw();
    } catch (error) {
      if (mine === sequence && error.code !== 'unauthenticated') summary.textContent = t('lineup.search_failed');
    }
  }

  input.addEventListener('input', debounce(run, 300));
  // Enter searches at once instead of submitting the show's form.
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    run();
  });
  const el = h('div', { class: 'lineup-search' },
    h('div', { class: 'field' }, h('label', { for: input.id }, t('lineup.search')), input,
      h('p', { class: 'hint' }, t('lineup.search_hint'))),
    summary, results);
  return { el, input, refresh: draw };
}
