// CSV import: a Shopify product export sent as the raw body; the report lists what was rejected and why.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../lib/dom.js';
import { field, checkbox, messageBox, showMessage, reportError, busy } from '../lib/forms.js';
import { formatNumber } from '../lib/format.js';

const MAX_BYTES = 20 * 1024 * 1024;

function report(result) {
  const counts = h('dl', { class: 'counts' },
    ['created', 'updated', 'unchanged'].map((key) => h('div', { class: 'count' },
      h('dt', {}, t(`import.${key}`)), h('dd', {}, formatNumber(result[key])))),
    h('div', { class: 'count' }, h('dt', {}, t('import.rejected')), h('dd', {}, formatNumber(result.rejected.length))));
  const outcome = result.imported
    ? h('p', { class: 'message message-success' }, t('import.done'))
    : h('p', { class: 'message message-error' }, t(result.strict ? 'import.not_imported_strict' : 'import.not_imported'));
  const rejected = result.rejected.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('caption', {}, t('import.rejected_rows')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'num' }, t('import.line')),
        h('th', { scope: 'col' }, t('import.field')),
        h('th', { scope: 'col' }, t('import.message')))),
      h('tbody', {}, result.rejected.map((row) => h('tr', {},
        h('td', { class: 'num' }, formatNumber(row.line)),
        h('td', {}, row.field ? h('code', {}, row.field) : '—'),
        h('td', {}, row.message))))))
    : null;
  return h('div', { class: 'card stack', tabindex: '-1', id: 'import-report' },
    h('h2', {}, t('import.report')), outcome, counts, rejected);
}

export function render(ctx) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', required: true });
  const strict = checkbox(t('import.strict'), { id: 'import-strict' });
  const strictHint = h('p', { class: 'hint', id: 'import-strict-hint' }, t('import.strict_hint'));
  strict.input.setAttribute('aria-describedby', strictHint.id);
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('import.submit'));
  const box = messageBox();
  const result = h('div');
  const form = h('form', { class: 'card form', novalidate: true },
    h('p', {}, t('import.intro')),
    field(t('import.file'), file, { hint: t('import.file_hint') }),
    h('div', { class: 'field' }, strict.el, strictHint),
    h('div', { class: 'actions' }, submit),
    box);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showMessage(box, '');
    const chosen = file.files?.[0];
    if (!chosen) {
      showMessage(box, t('import.choose'), 'error');
      file.focus();
      return;
    }
    if (chosen.size > MAX_BYTES) {
      showMessage(box, t('import.too_big'), 'error');
      return;
    }
    clear(result);
    showMessage(box, t('import.uploading'), 'info');
    await busy(submit, async () => {
      try {
        const url = `${path`/api/brands/${ctx.brandId}/imports`}?strict=${strict.input.checked}`;
        const answer = await api.upload(url, chosen, 'text/csv');
        showMessage(box, '');
        const card = report(answer);
        result.append(card);
        card.focus();
      } catch (error) {
        reportError(error, { box });
      }
    });
  });

  if (!ctx.can('catalog.import')) return;
  ctx.root.append(form, result);
}
