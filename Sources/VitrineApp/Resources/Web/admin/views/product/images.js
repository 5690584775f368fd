// The product's images: URL and alternative text per image, in order; add, move, remove.

import { t } from '../../i18n.js';
import { h, clear, fill, safeUrl } from '../../lib/dom.js';
import { showFieldError } from '../../lib/forms.js';

/** An editor for `images`; `collect` returns [{url, alt}] or null after marking what is wrong. */
export function imagesEditor(images, { readOnly }) {
  const rows = [];
  const list = h('ol', { class: 'image-list' });
  const addButton = readOnly ? null : h('button', { type: 'button', class: 'button', onclick: () => add(null, true) },
    t('images.add'));

  function add(image, focus = false) {
    const url = h('input', { type: 'url', value: image?.url ?? '', inputmode: 'url', spellcheck: 'false' });
    const alt = h('input', { type: 'text', value: image?.alt ?? '', maxlength: 512 });
    const preview = h('div', { class: 'image-preview' });
    const showPreview = () => {
      const src = safeUrl(image?.url === url.value ? image?.thumbnailUrl ?? url.value : url.value);
      clear(preview).append(src ? h('img', { src, alt: '', class: 'thumb', loading: 'lazy' })
        : h('span', { class: 'thumb thumb-empty', 'aria-hidden': 'true' }));
    };
    url.addEventListener('change', showPreview);
    showPreview();
    const row = { url, alt, original: image, li: null };
    const move = (delta) => {
      const at = rows.indexOf(row);
      const to = at + delta;
      if (to < 0 || to >= rows.length) return;
      rows.splice(at, 1);
      rows.splice(to, 0, row);
      layout();
      (delta < 0 ? row.up : row.down)?.focus();
    };
    if (!readOnly) {
      row.up = h('button', { type: 'button', class: 'button button-small', onclick: () => move(-1) }, '↑');
      row.down = h('button', { type: 'button', class: 'button button-small', onclick: () => move(1) }, '↓');
      row.remove = h('button', { type: 'button', class: 'button button-small button-danger', onclick: () => {
        rows.splice(rows.indexOf(row), 1);
        layout();
        addButton.focus();
      } }, t('images.remove'));
    }
    rows.push(row);
    row.li = h('li', { class: 'image-row' });
    row.preview = preview;
    layout();
    if (focus) url.focus();
  }

  function layout() {
    clear(list);
    rows.forEach((row, i) => {
      const n = i + 1;
      row.url.id = `image-url-${n}`;
      row.alt.id = `image-alt-${n}`;
      row.url.dataset.field = `images[${i}].url`;
      row.alt.dataset.field = `images[${i}].alt`;
      for (const [button, label] of [[row.up, 'images.up'], [row.down, 'images.down'], [row.remove, 'images.remove_n']]) {
        button?.setAttribute('aria-label', t(label, { n }));
      }
      if (row.up) row.up.disabled = i === 0;
      if (row.down) row.down.disabled = i === rows.length - 1;
      fill(row.li,
        row.preview,
        h('div', { class: 'field grow' }, h('label', { for: row.url.id }, t('images.url_n', { n })), row.url),
        h('div', { class: 'field grow' }, h('label', { for: row.alt.id }, t('images.alt')), row.alt),
        readOnly ? null : h('div', { class: 'row-actions' }, row.up, row.down, row.remove));
      list.append(row.li);
    });
    if (!rows.length) list.append(h('li', { class: 'empty' }, t('images.none')));
  }

  /** The images with a URL, renumbered as the server will see them; an alt text alone is an error. */
  function collect(scope) {
    const out = [];
    const errors = [];
    for (const row of rows) {
      const url = row.url.value.trim();
      const alt = row.alt.value.trim();
      delete row.url.dataset.field;
      delete row.alt.dataset.field;
      if (!url && !alt) continue;
      row.url.dataset.field = `images[${out.length}].url`;
      row.alt.dataset.field = `images[${out.length}].alt`;
      if (!url) errors.push([row.url.dataset.field, t('form.required')]);
      out.push(alt ? { url, alt } : { url });
    }
    if (errors.length) {
      errors.map(([name, message]) => showFieldError(scope, name, message))[0]?.focus();
      return null;
    }
    return out;
  }

  for (const image of [...images].sort((a, b) => a.position - b.position)) add(image);
  layout();
  const el = h('div', { class: 'card' }, h('h2', {}, t('images.title')), list, addButton);
  return { el, collect };
}
