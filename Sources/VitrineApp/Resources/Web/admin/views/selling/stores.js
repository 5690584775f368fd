// The pick-up stores card: the brand's stores (name, address, opening hours, on or off), with one
// form to add a store or edit one. Opening hours are rows of a day and two "HH:MM" times.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill, uid } from '../../lib/dom.js';
import { field, select, checkbox, messageBox, showMessage, clearErrors, showFieldError, busy } from '../../lib/forms.js';
import { weekdayName } from '../show/time.js';
import { sectionCard, countryOptions, countryName, report } from './common.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const dayName = (day, width) => weekdayName(DAYS.indexOf(day) + 1, width);

/** "9", "9h30", "0930", "9:30" → "09:30"; anything else is sent as typed, for the server to name. */
function timeText(text) {
  const s = text.trim();
  const found = /^(\d{1,2})(?:[:hH.]?(\d{2}))?$/.exec(s);
  return found ? `${found[1].padStart(2, '0')}:${found[2] ?? '00'}` : s;
}

function hoursList(hours) {
  if (!hours.length) return h('span', { class: 'muted' }, t('commerce.stores.no_hours'));
  return h('ul', { class: 'plain-list' }, DAYS.filter((day) => hours.some((r) => r.day === day)).map((day) =>
    h('li', {}, `${dayName(day, 'short')} ${hours.filter((r) => r.day === day).map((r) => `${r.opens}–${r.closes}`).join(', ')}`)));
}

function addressLines(address) {
  const country = countryName(address.country);
  return [address.line1, address.line2, `${address.postalCode} ${address.city}`, country].filter(Boolean)
    .map((line, i) => [i ? h('br') : null, line]);
}

/** The card, readable by everyone who opens the page; owners and admins (brand.settings) change it. */
export function storesCard(ctx) {
  const base = path`/api/brands/${ctx.brandId}/pickup-stores`;
  const editable = ctx.can('brand.settings');
  const box = messageBox();
  const list = h('div', { class: 'table-wrap' });
  let editing = null;

  const name = h('input', { type: 'text', maxlength: 80, autocomplete: 'off' });
  const line1 = h('input', { type: 'text', maxlength: 200, autocomplete: 'off' });
  const line2 = h('input', { type: 'text', maxlength: 200, autocomplete: 'off' });
  const postalCode = h('input', { type: 'text', maxlength: 12, autocomplete: 'off', class: 'input-short' });
  const city = h('input', { type: 'text', maxlength: 100, autocomplete: 'off' });
  const country = select(countryOptions(), 'FR');
  const active = checkbox(t('commerce.stores.active'), { checked: true });
  const rowsEl = h('div', { class: 'stack' });
  const addRow = h('button', { type: 'button', class: 'button button-small' }, t('commerce.stores.add_hours'));
  const hoursSet = h('fieldset', { class: 'checks', dataset: { field: 'openingHours' } },
    h('legend', {}, t('commerce.stores.hours')),
    h('p', { class: 'hint' }, t('commerce.stores.hours_hint')), rowsEl, h('div', { class: 'actions' }, addRow));
  const formTitle = h('h3', { id: uid('store-form') }, t('commerce.stores.add_title'));
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('commerce.stores.add'));
  const cancel = h('button', { type: 'button', class: 'button', hidden: true }, t('commerce.cancel'));
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': formTitle.id },
    formTitle,
    h('div', { class: 'grid' },
      field(t('commerce.stores.name'), name, { name: 'name' }),
      field(t('commerce.stores.line1'), line1, { name: 'address.line1' }),
      field(t('commerce.stores.line2'), line2, { name: 'address.line2' }),
      field(t('commerce.stores.postal_code'), postalCode, { name: 'address.postalCode' }),
      field(t('commerce.stores.city'), city, { name: 'address.city' }),
      field(t('commerce.stores.country'), country, { name: 'address.country' })),
    hoursSet, active.el,
    h('div', { class: 'actions' }, submit, cancel));

  // Each row is named openingHours[i], as the server names a bad range, renumbered when one goes.
  function renumber() {
    [...rowsEl.children].forEach((row, i) => {
      row.dataset.field = `openingHours[${i}]`;
      row.querySelector('legend').textContent = t('commerce.stores.range_n', { n: i + 1 });
      row.querySelector('.range-remove').setAttribute('aria-label', t('commerce.stores.remove_range_n', { n: i + 1 }));
    });
  }

  function hoursRow(range = { day: 'mon', opens: '', closes: '' }) {
    const day = select(DAYS.map((d) => [d, dayName(d, 'long')]), range.day, { class: 'range-day' });
    const opens = h('input', { type: 'text', inputmode: 'numeric', maxlength: 5, placeholder: 'HH:MM', value: range.opens,
      class: 'input-short range-opens', autocomplete: 'off' });
    const closes = h('input', { type: 'text', inputmode: 'numeric', maxlength: 5, placeholder: 'HH:MM', value: range.closes,
      class: 'input-short range-closes', autocomplete: 'off' });
    const remove = h('button', { type: 'button', class: 'button button-small button-quiet range-remove' }, t('commerce.remove'));
    const row = h('fieldset', { class: 'plain hours-row', tabindex: '-1' },
      h('legend', { class: 'visually-hidden' }),
      field(t('commerce.stores.day'), day), field(t('commerce.stores.opens'), opens), field(t('commerce.stores.closes'), closes),
      h('div', { class: 'row-actions' }, remove));
    remove.addEventListener('click', () => {
      row.remove();
      renumber();
      addRow.focus();
    });
    return row;
  }

  addRow.addEventListener('click', () => {
    const last = rowsEl.lastElementChild;
    const next = last ? DAYS[Math.min(DAYS.indexOf(last.querySelector('.range-day').value) + 1, 6)] : 'mon';
    const row = hoursRow({ day: next, opens: last?.querySelector('.range-opens').value ?? '',
      closes: last?.querySelector('.range-closes').value ?? '' });
    rowsEl.append(row);
    renumber();
    row.querySelector('select').focus();
  });

  function edit(store) {
    editing = store;
    clearErrors(form);
    name.value = store?.name ?? '';
    line1.value = store?.address.line1 ?? '';
    line2.value = store?.address.line2 ?? '';
    postalCode.value = store?.address.postalCode ?? '';
    city.value = store?.address.city ?? '';
    country.value = store?.address.country ?? 'FR';
    active.input.checked = store?.active ?? true;
    fill(rowsEl, (store?.openingHours ?? []).map((range) => hoursRow(range)));
    renumber();
    formTitle.textContent = store ? t('commerce.stores.edit_title', { name: store.name }) : t('commerce.stores.add_title');
    submit.textContent = t(store ? 'commerce.stores.save' : 'commerce.stores.add');
    cancel.hidden = !store;
  }
  cancel.addEventListener('click', () => edit(null));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const openingHours = [...rowsEl.children].map((row) => ({
      day: row.querySelector('.range-day').value,
      opens: timeText(row.querySelector('.range-opens').value),
      closes: timeText(row.querySelector('.range-closes').value),
    }));
    const missing = [[name, 'name'], [line1, 'address.line1'], [postalCode, 'address.postalCode'], [city, 'address.city']]
      .filter(([input]) => !input.value.trim());
    if (missing.length) {
      missing.map(([, key]) => showFieldError(form, key, t('form.required')))[0]?.focus();
      return undefined;
    }
    const body = {
      name: name.value.trim(),
      address: { line1: line1.value.trim(), line2: line2.value.trim(), postalCode: postalCode.value.trim(),
        city: city.value.trim(), country: country.value },
      openingHours,
      active: active.input.checked,
    };
    return busy(submit, async () => {
      try {
        const saved = editing ? await api.patch(`${base}/${encodeURIComponent(editing.id)}`, body) : await api.post(base, body);
        showMessage(box, t(editing ? 'commerce.stores.saved' : 'commerce.stores.added', { name: saved.name }), 'success');
        edit(null);
        await load();
      } catch (error) {
        report(error, { scope: form, box });
      }
    });
  });

  function storeRow(store) {
    const id = encodeURIComponent(store.id);
    const cells = [
      h('td', {}, h('strong', {}, store.name), h('br'), h('span', { class: 'small' }, addressLines(store.address))),
      h('td', { dataset: { label: t('commerce.stores.hours') } }, hoursList(store.openingHours)),
      h('td', { dataset: { label: t('field.status') } }, h('span', { class: `badge ${store.active ? 'badge-active' : 'badge-archived'}` },
        t(store.active ? 'commerce.on' : 'commerce.off'))),
    ];
    if (editable) {
      const button = (key, kind = '') => h('button', { type: 'button', class: `button button-small ${kind}`.trim(),
        'aria-label': t(`${key}_n`, { name: store.name }) }, t(key));
      const change = button('commerce.edit');
      const toggle = button(store.active ? 'commerce.turn_off' : 'commerce.turn_on');
      const remove = button('commerce.delete', 'button-danger');
      change.addEventListener('click', () => {
        edit(store);
        name.focus();
      });
      toggle.addEventListener('click', () => busy(toggle, async () => {
        try {
          await api.patch(`${base}/${id}`, { active: !store.active });
          await load();
        } catch (error) {
          report(error, { box });
        }
      }));
      remove.addEventListener('click', () => {
        if (!window.confirm(t('commerce.stores.delete_confirm', { name: store.name }))) return undefined;
        return busy(remove, async () => {
          try {
            const kept = await api.del(`${base}/${id}`);
            if (editing?.id === store.id) edit(null);
            await load();
            showMessage(box, kept ? t('commerce.stores.kept', { name: store.name }) : t('commerce.stores.deleted'), 'success');
          } catch (error) {
            report(error, { box });
          }
        });
      });
      cells.push(h('td', { class: 'cell-actions' }, change, ' ', toggle, ' ', remove));
    }
    return h('tr', { class: store.active ? '' : 'row-muted' }, cells);
  }

  async function load() {
    const { items } = await api.get(base);
    const headings = ['commerce.stores.store', 'commerce.stores.hours', 'field.status'];
    fill(list, items.length
      ? h('table', { class: 'table table-stack' },
        h('caption', { class: 'visually-hidden' }, t('commerce.stores.title')),
        h('thead', {}, h('tr', {}, headings.map((key) => h('th', { scope: 'col' }, t(key))),
          editable ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('commerce.actions'))) : null)),
        h('tbody', {}, items.map(storeRow)))
      : h('p', { class: 'empty' }, t('commerce.stores.none')));
  }

  edit(null);
  const el = sectionCard(t('commerce.stores.title'), h('p', { class: 'hint' }, t('commerce.stores.intro')), box, list,
    editable ? form : h('p', { class: 'hint' }, t('commerce.owners_only')));
  return { el, load };
}
