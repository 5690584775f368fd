// The product's own fields: title, handle, status, vendor, type, tags, VAT, description, option names.

import { t } from '../../i18n.js';
import { h, clear, debounce } from '../../lib/dom.js';
import { field, select, showFieldError } from '../../lib/forms.js';
import { formatPercentInput, parseDecimal } from '../../lib/format.js';
import { renderDescription } from '../../lib/richtext.js';

const STATUSES = ['draft', 'active', 'archived'];

function text(value, props = {}) {
  return h('input', { type: 'text', value: value ?? '', ...props });
}

/** The form section for `product` (a blank one when new); `collect` returns ProductInput fields or null. */
export function productFields(product, { isNew }) {
  const title = text(product.title, { required: true, maxlength: 255 });
  const handle = text(product.handle, { maxlength: 255, spellcheck: 'false', autocapitalize: 'off' });
  const status = select(STATUSES.map((s) => [s, t(`status.${s}`)]), product.status);
  const vendor = text(product.vendor, { maxlength: 255 });
  const productType = text(product.productType, { maxlength: 255 });
  const tags = text(product.tags.join(', '));
  const vat = text(formatPercentInput(product.vatRate), { inputmode: 'decimal', class: 'input-short' });
  const description = h('textarea', { rows: 10, class: 'code', spellcheck: 'true' });
  description.value = product.descriptionHtml ?? '';
  const preview = h('div', { class: 'preview prose', id: 'description-preview' });
  const refresh = () => clear(preview).append(renderDescription(description.value));
  description.addEventListener('input', debounce(refresh, 200));
  refresh();

  // The server refuses to change how many options an existing product has (its variants would
  // be left with the wrong number of values), so only the names of existing options are editable.
  const options = [0, 1, 2].map((i) => text(product.optionNames[i], {
    maxlength: 255,
    disabled: !isNew && i >= product.optionNames.length,
  }));

  const el = h('div', { class: 'stack' },
    h('div', { class: 'card' },
      h('h2', {}, t('product.general')),
      h('div', { class: 'grid' },
        field(t('field.title'), title, { name: 'title', className: 'span-2' }),
        field(t('field.handle'), handle, { name: 'handle', hint: t(isNew ? 'product.handle_hint_new' : 'product.handle_hint') }),
        field(t('field.status'), status, { name: 'status' }),
        field(t('field.vendor'), vendor, { name: 'vendor' }),
        field(t('field.product_type'), productType, { name: 'productType' }),
        field(t('field.tags'), tags, { name: 'tags', hint: t('product.tags_hint') }),
        field(t('field.vat_rate'), vat, { name: 'vatRate', hint: t('product.vat_hint') }))),
    h('div', { class: 'card' },
      h('h2', {}, t('field.description')),
      h('div', { class: 'split' },
        field(t('product.description_html'), description, { name: 'descriptionHtml', hint: t('product.description_hint') }),
        h('div', { class: 'field' },
          h('h3', { class: 'label', id: 'preview-label' }, t('product.preview')),
          preview))),
    h('div', { class: 'card' },
      h('h2', {}, t('product.options')),
      h('p', { class: 'hint' }, t(isNew ? 'product.options_hint_new' : 'product.options_hint')),
      h('div', { class: 'grid' }, options.map((input, i) =>
        field(t('product.option_n', { n: i + 1 }), input, { name: `optionNames[${i}]` })))));
  preview.setAttribute('aria-labelledby', 'preview-label');

  function optionNames() {
    const values = options.filter((input) => !input.disabled).map((input) => input.value.trim());
    return isNew ? values.filter(Boolean) : values;
  }

  /** The fields as the API wants them, or null after marking what is wrong. */
  function collect(scope) {
    const errors = [];
    if (!title.value.trim()) errors.push(['title', t('form.required')]);
    const vatRate = parseDecimal(vat.value, 2);
    if (vatRate === null || Number.isNaN(vatRate) || vatRate > 10000) errors.push(['vatRate', t('form.percent_invalid')]);
    if (errors.length) {
      errors.map(([name, message]) => showFieldError(scope, name, message))[0]?.focus();
      return null;
    }
    const input = {
      title: title.value.trim(),
      status: status.value,
      vendor: vendor.value.trim(),
      productType: productType.value.trim(),
      tags: tags.value.split(',').map((tag) => tag.trim()).filter(Boolean),
      vatRate,
      descriptionHtml: description.value,
      optionNames: optionNames(),
    };
    if (handle.value.trim()) input.handle = handle.value.trim();
    return input;
  }

  return { el, collect, optionNames, options, status };
}
