// The variants table, edited inline: options, SKU, price, compare-at price, barcode, stock policy, quantity.

import { t } from '../../i18n.js';
import { h, clear, fill } from '../../lib/dom.js';
import { select, showFieldError } from '../../lib/forms.js';
import { formatDecimal, minorDigits, parseDecimal } from '../../lib/format.js';

const POLICIES = ['deny', 'continue', 'not_tracked'];
const COLUMNS = ['sku', 'price', 'compareAtPrice', 'barcode', 'inventoryPolicy', 'inventoryQuantity'];

/** A VariantInput in one fixed shape, so two of them compare as JSON. */
export function variantInput(v) {
  return {
    sku: v.sku ?? '',
    options: [...(v.options ?? [])],
    price: { amount: v.price.amount, currency: v.price.currency },
    // No compare-at price is sent as an amount of 0: the server reads JSON null as "unchanged".
    compareAtPrice: v.compareAtPrice && v.compareAtPrice.amount
      ? { amount: v.compareAtPrice.amount, currency: v.compareAtPrice.currency }
      : { amount: 0, currency: v.price.currency },
    barcode: v.barcode ?? '',
    inventoryPolicy: v.inventoryPolicy,
    inventoryQuantity: v.inventoryQuantity,
  };
}

/** An editor for `variants`; `collect` gives what to create, change and delete, or null after marking errors. */
export function variantsEditor({ variants, optionNames, currency, readOnly }) {
  const digits = minorDigits(currency);
  const rows = [];
  const removed = [];
  let names = [...optionNames];
  const headRow = h('tr');
  const body = h('tbody');
  const table = h('table', { class: 'table table-edit variants-table' },
    h('caption', { class: 'visually-hidden' }, t('variants.title')), h('thead', {}, headRow), body);
  const addButton = readOnly ? null : h('button', { type: 'button', class: 'button', onclick: () => add(null, true) },
    t('variants.add'));

  function optionInput(value) {
    return h('input', { type: 'text', value: value ?? '', maxlength: 255, class: 'input-option' });
  }

  function add(variant, focus = false) {
    const row = {
      id: variant?.id ?? null,
      original: variant,
      options: names.map((_, i) => optionInput(variant?.options[i])),
      sku: h('input', { type: 'text', value: variant?.sku ?? '', maxlength: 255, spellcheck: 'false' }),
      price: h('input', { type: 'text', inputmode: 'decimal', class: 'input-money',
        value: variant ? formatDecimal(variant.price.amount, digits) : '' }),
      compareAtPrice: h('input', { type: 'text', inputmode: 'decimal', class: 'input-money',
        value: variant?.compareAtPrice ? formatDecimal(variant.compareAtPrice.amount, digits) : '' }),
      barcode: h('input', { type: 'text', value: variant?.barcode ?? '', maxlength: 64, spellcheck: 'false' }),
      inventoryPolicy: select(POLICIES.map((p) => [p, t(`policy.${p}`)]), variant?.inventoryPolicy ?? 'deny'),
      inventoryQuantity: h('input', { type: 'number', step: 1, class: 'input-qty', value: variant?.inventoryQuantity ?? 0 }),
      tr: h('tr'),
    };
    if (!readOnly) {
      row.remove = h('button', { type: 'button', class: 'button button-small button-danger', onclick: () => {
        rows.splice(rows.indexOf(row), 1);
        if (row.id) removed.push(row.id);
        layout();
        addButton.focus();
      } }, t('variants.delete'));
    }
    rows.push(row);
    layout();
    if (focus) (row.options[0] ?? row.sku).focus();
  }

  function cell(column, label, control, name) {
    const td = h('td', { dataset: { label: column } });
    if (control) {
      control.setAttribute('aria-label', label);
      if (name) control.dataset.field = name;
      td.append(control);
    }
    return td;
  }

  function layout() {
    const heads = [...names, ...COLUMNS.map((c) => t(`variants.${c}`, { currency }))];
    fill(headRow, heads.map((text) => h('th', { scope: 'col' }, text)),
      readOnly ? null : h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('variants.actions'))));
    clear(body);
    rows.forEach((row, i) => {
      const n = i + 1;
      const label = (text) => `${text} · ${t('variants.row', { n })}`;
      const prefix = `variants[${i}]`;
      fill(row.tr,
        row.options.map((input, k) => {
          const column = names[k] || t('product.option_n', { n: k + 1 });
          return cell(column, label(column), input, `${prefix}.options[${k}]`);
        }),
        COLUMNS.map((c, k) => cell(heads[names.length + k], label(heads[names.length + k]), row[c], `${prefix}.${c}`)),
        readOnly ? null : h('td', { class: 'cell-actions' }, row.remove));
      row.remove?.setAttribute('aria-label', t('variants.delete_n', { n }));
      if (row.remove) row.remove.disabled = rows.length === 1;
      body.append(row.tr);
    });
  }

  /** New option names (a new product): each row keeps its values by position. */
  function setOptionNames(next) {
    names = [...next];
    for (const row of rows) {
      row.options = names.map((_, i) => row.options[i] ?? optionInput(''));
    }
    layout();
  }

  function read(row, index, errors) {
    const prefix = `variants[${index}]`;
    const price = parseDecimal(row.price.value, digits);
    if (price === null || Number.isNaN(price)) errors.push([`${prefix}.price`, t('form.money_invalid')]);
    const compare = parseDecimal(row.compareAtPrice.value, digits);
    if (Number.isNaN(compare)) errors.push([`${prefix}.compareAtPrice`, t('form.money_invalid')]);
    const quantityText = row.inventoryQuantity.value.trim();
    if (!/^-?\d+$/.test(quantityText)) errors.push([`${prefix}.inventoryQuantity`, t('form.integer_invalid')]);
    row.options.forEach((input, k) => {
      if (!input.value.trim()) errors.push([`${prefix}.options[${k}]`, t('form.required')]);
    });
    return variantInput({
      sku: row.sku.value.trim(),
      options: row.options.map((input) => input.value.trim()),
      price: { amount: price ?? 0, currency },
      compareAtPrice: compare === null || Number.isNaN(compare) ? null : { amount: compare, currency },
      barcode: row.barcode.value.trim(),
      inventoryPolicy: row.inventoryPolicy.value,
      inventoryQuantity: Number.parseInt(quantityText, 10),
    });
  }

  /**
   * Each row as {row, index, input, changes}: `changes` holds only the fields that differ from the
   * saved variant (all of them for a new row), so a save never overwrites stock it did not touch.
   */
  function collect(scope) {
    const errors = [];
    const plan = rows.map((row, index) => {
      const input = read(row, index, errors);
      if (!row.original) return { row, index, input, changes: input };
      const before = variantInput(row.original);
      const changes = Object.fromEntries(Object.entries(input)
        .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])));
      return { row, index, input, changes };
    });
    if (errors.length) {
      errors.map(([name, message]) => showFieldError(scope, name, message))[0]?.focus();
      return null;
    }
    return plan;
  }

  /** After the server answered for a row: it now is that variant. */
  function saved(row, variant) {
    row.id = variant.id;
    row.original = variant;
  }

  /** A server error about row `index`: its `field` is relative to the variant. */
  function showError(index, error, message) {
    const control = error.field ? showFieldError(table, `variants[${index}].${error.field}`, message) : null;
    control?.focus();
    return control !== null;
  }

  for (const variant of [...variants].sort((a, b) => a.position - b.position)) add(variant);
  const el = h('div', { class: 'card' }, h('h2', {}, t('variants.title')),
    h('div', { class: 'table-wrap' }, table), addButton);
  return { el, collect, saved, showError, setOptionNames, removed, count: () => rows.length };
}
