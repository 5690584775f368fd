// The promotions card: codes buyers type and shows' automatic offers, with their discount, rules,
// uses and state; a form to make one; turning one off or on, and deleting one (a used one is
// turned off instead, by the server, so that its orders keep it).

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill, uid } from '../../lib/dom.js';
import { field, select, messageBox, showMessage, clearErrors, showFieldError, busy } from '../../lib/forms.js';
import { formatMoney, formatNumber, parseDecimal } from '../../lib/format.js';
import { zonedToUtc, isoUtc, formatZoned } from '../show/time.js';
import { sectionCard, parseMoney, parseCount, report } from './common.js';

/** The brand's shows a promotion may name: live and scheduled ones, soonest first. */
async function upcomingShows(brandId) {
  const base = path`/api/brands/${brandId}/shows`;
  const pages = await Promise.all(['live', 'scheduled'].map((status) => api.get(`${base}?status=${status}&perPage=100`)));
  return pages.flatMap((p) => p.items);
}

function discountText(promotion) {
  if (promotion.amountOff) return `−${formatMoney(promotion.amountOff)}`;
  return `−${formatNumber(promotion.percentOff)} %`;
}

function whenText(iso, zone) {
  return formatZoned(Date.parse(iso), zone, { weekday: undefined });
}

/** The card: everyone who opens the page reads it; catalog.edit (producers and up) changes it. */
export function promotionsCard(ctx) {
  const base = path`/api/brands/${ctx.brandId}/promotions`;
  const editable = ctx.can('catalog.edit');
  const currency = ctx.brand.currency;
  const zone = ctx.brand.timeZone;
  const box = messageBox();
  const list = h('div', { class: 'table-wrap' });
  const showTitles = new Map();

  const kindGroup = uid('promo-kind');
  const kinds = ['code', 'automatic'].map((kind) => h('input', { type: 'radio', name: kindGroup, value: kind, checked: kind === 'code' }));
  const code = h('input', { type: 'text', maxlength: 32, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
    class: 'code' });
  const codeField = field(t('commerce.promotions.code'), code, { name: 'code', hint: t('commerce.promotions.code_hint') });
  const title = h('input', { type: 'text', maxlength: 80, autocomplete: 'off' });
  const unit = select([['percent', '%'], ['amount', currency]], 'percent', { 'aria-label': t('commerce.promotions.unit') });
  const value = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'input-money' });
  const minimum = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'input-money' });
  const show = select([['', t('commerce.promotions.any_show')]], '');
  const startDate = h('input', { type: 'date', class: 'input-date' });
  const startTime = h('input', { type: 'time', step: 60, class: 'input-time', 'aria-label': t('commerce.promotions.starts_time') });
  const endDate = h('input', { type: 'date', class: 'input-date' });
  const endTime = h('input', { type: 'time', step: 60, class: 'input-time', 'aria-label': t('commerce.promotions.ends_time') });
  const usageLimit = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input-short' });
  const perCustomer = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input-short' });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('commerce.promotions.create'));
  const valueField = field(t('commerce.promotions.discount'), value, { name: 'percentOff' });
  valueField.append(h('div', { class: 'inline-row' }, value, unit));
  const dateRow = (label, date, time, name) => {
    const el = field(label, date, { name, hint: t('commerce.promotions.zone_hint', { zone }) });
    el.insertBefore(h('div', { class: 'inline-row' }, date, time), el.querySelector('.hint'));
    return el;
  };
  const formTitle = h('h3', { id: uid('promo-form') }, t('commerce.promotions.create_title'));
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': formTitle.id },
    formTitle,
    h('fieldset', { class: 'checks' }, h('legend', {}, t('commerce.promotions.kind')),
      h('div', { class: 'check-grid' }, kinds.map((input) => h('div', {},
        h('label', { class: 'check' }, input, h('span', {}, t(`commerce.promotions.kind_${input.value}`))),
        h('span', { class: 'hint' }, t(`commerce.promotions.kind_${input.value}_hint`)))))),
    h('div', { class: 'grid' },
      codeField,
      field(t('commerce.promotions.title_field'), title, { name: 'title', hint: t('commerce.promotions.title_hint') }),
      valueField,
      field(t('commerce.promotions.minimum', { currency }), minimum, { name: 'minimumOrder', hint: t('commerce.promotions.minimum_hint') }),
      field(t('commerce.promotions.show'), show, { name: 'showId', hint: t('commerce.promotions.show_hint') }),
      dateRow(t('commerce.promotions.starts'), startDate, startTime, 'startsAt'),
      dateRow(t('commerce.promotions.ends'), endDate, endTime, 'endsAt'),
      field(t('commerce.promotions.usage_limit'), usageLimit, { name: 'usageLimit', hint: t('commerce.promotions.usage_limit_hint') }),
      field(t('commerce.promotions.per_customer'), perCustomer, { name: 'perCustomerLimit', hint: t('commerce.promotions.per_customer_hint') })),
    h('div', { class: 'actions' }, submit));

  const automatic = () => kinds[1].checked;
  function kindChanged() {
    codeField.hidden = automatic();
    show.options[0].textContent = t(automatic() ? 'commerce.promotions.choose_show' : 'commerce.promotions.any_show');
  }
  for (const input of kinds) input.addEventListener('change', kindChanged);
  unit.addEventListener('change', () => { value.dataset.field = unit.value === 'percent' ? 'percentOff' : 'amountOff'; });

  function instant(date, time, name, errors) {
    if (!date.value) return undefined;
    const found = zonedToUtc(date.value, time.value || '00:00', zone);
    if (!found) errors.push([name, t('commerce.promotions.date_invalid')]);
    return found ? isoUtc(found.ms) : undefined;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const errors = [];
    const body = {};
    if (!automatic()) {
      if (!code.value.trim()) errors.push(['code', t('form.required')]);
      body.code = code.value.trim();
    }
    if (title.value.trim()) body.title = title.value.trim();
    if (unit.value === 'percent') {
      const basisPoints = parseDecimal(value.value.replace('%', ''), 2);
      if (basisPoints === null || Number.isNaN(basisPoints)) errors.push(['percentOff', t('commerce.promotions.percent_invalid')]);
      else body.percentOff = basisPoints / 100;
    } else {
      const amount = parseMoney(value.value, currency);
      if (!amount) errors.push(['amountOff', t('form.money_invalid')]);
      else body.amountOff = amount;
    }
    const minimumOrder = parseMoney(minimum.value, currency);
    if (Number.isNaN(minimumOrder)) errors.push(['minimumOrder', t('form.money_invalid')]);
    else if (minimumOrder) body.minimumOrder = minimumOrder;
    if (show.value) body.showId = show.value;
    body.startsAt = instant(startDate, startTime, 'startsAt', errors);
    body.endsAt = instant(endDate, endTime, 'endsAt', errors);
    for (const [input, name] of [[usageLimit, 'usageLimit'], [perCustomer, 'perCustomerLimit']]) {
      const n = parseCount(input.value);
      if (Number.isNaN(n) || n === 0) errors.push([name, t('form.integer_invalid')]);
      else if (n) body[name] = n;
    }
    if (errors.length) {
      errors.map(([name, message]) => showFieldError(form, name, message))[0]?.focus();
      return undefined;
    }
    return busy(submit, async () => {
      try {
        const created = await api.post(base, body);
        form.reset();
        // reset() goes back to the markup's defaults, and the choices here were set as properties.
        kinds[0].checked = true;
        value.dataset.field = 'percentOff';
        kindChanged();
        showMessage(box, t('commerce.promotions.created', { title: created.title }), 'success');
        await load();
      } catch (error) {
        report(error, { scope: form, box });
      }
    });
  });

  function conditions(p) {
    const parts = [];
    if (p.minimumOrder) parts.push(t('commerce.promotions.from_amount', { amount: formatMoney(p.minimumOrder) }));
    if (p.startsAt) parts.push(t('commerce.promotions.from_date', { when: whenText(p.startsAt, zone) }));
    if (p.endsAt) parts.push(t('commerce.promotions.until_date', { when: whenText(p.endsAt, zone) }));
    if (p.showId) parts.push(t('commerce.promotions.during', { show: showTitles.get(p.showId) ?? p.showId }));
    if (p.perCustomerLimit) parts.push(t('commerce.promotions.per_buyer', { n: p.perCustomerLimit }));
    return parts.length ? h('ul', { class: 'plain-list small' }, parts.map((part) => h('li', {}, part))) : '—';
  }

  // On a phone each row is a card: its cells say what they are (see .table-stack).
  const cellLabel = (key) => ({ label: t(`commerce.promotions.${key}`) });

  function promotionRow(p) {
    const id = encodeURIComponent(p.id);
    const label = p.code ?? p.title;
    const cells = [
      h('td', {}, p.automatic ? h('span', { class: 'badge badge-draft' }, t('commerce.promotions.automatic')) : h('code', {}, p.code),
        h('br'), h('span', { class: 'small' }, p.title)),
      h('td', { class: 'num', dataset: cellLabel('discount') }, discountText(p)),
      h('td', { dataset: cellLabel('conditions') }, conditions(p)),
      h('td', { class: 'num', dataset: cellLabel('uses') },
        p.usageLimit ? `${formatNumber(p.uses)} / ${formatNumber(p.usageLimit)}` : formatNumber(p.uses)),
      h('td', { dataset: { label: t('field.status') } }, h('span', { class: `badge ${p.active ? 'badge-active' : 'badge-archived'}` }, t(p.active ? 'commerce.on' : 'commerce.off'))),
    ];
    if (editable) {
      const button = (key, kind = '') => h('button', { type: 'button', class: `button button-small ${kind}`.trim(),
        'aria-label': t(`${key}_n`, { name: label }) }, t(key));
      const toggle = button(p.active ? 'commerce.turn_off' : 'commerce.turn_on');
      const remove = button('commerce.delete', 'button-danger');
      toggle.addEventListener('click', () => busy(toggle, async () => {
        try {
          await api.patch(`${base}/${id}`, { active: !p.active });
          await load();
        } catch (error) {
          report(error, { box });
        }
      }));
      remove.addEventListener('click', () => {
        if (!window.confirm(t('commerce.promotions.delete_confirm', { name: label }))) return undefined;
        return busy(remove, async () => {
          try {
            const kept = await api.del(`${base}/${id}`);
            await load();
            showMessage(box, kept ? t('commerce.promotions.kept', { name: label }) : t('commerce.promotions.deleted'), 'success');
          } catch (error) {
            report(error, { box });
          }
        });
      });
      cells.push(h('td', { class: 'cell-actions' }, toggle, ' ', remove));
    }
    return h('tr', { class: p.active ? '' : 'row-muted' }, cells);
  }

  async function load() {
    const { items } = await api.get(base);
    // Shows that are over are not in the select; their titles are read one by one for the list.
    const unknown = [...new Set(items.map((p) => p.showId).filter((sid) => sid && !showTitles.has(sid)))];
    await Promise.all(unknown.map((sid) => api.get(path`/api/brands/${ctx.brandId}/shows/${sid}`)
      .then((s) => showTitles.set(sid, s.title), () => {})));
    const headings = ['commerce.promotions.promotion', 'commerce.promotions.discount', 'commerce.promotions.conditions',
      'commerce.promotions.uses', 'field.status'];
    fill(list, items.length
      ? h('table', { class: 'table table-stack' },
        h('caption', { class: 'visually-hidden' }, t('commerce.promotions.title')),
        h('thead', {}, h('tr', {}, headings.map((key) => h('th', { scope: 'col' }, t(key))),
          editable ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('commerce.actions'))) : null)),
        h('tbody', {}, items.map(promotionRow)))
      : h('p', { class: 'empty' }, t('commerce.promotions.none')));
  }

  async function loadShows() {
    const shows = await upcomingShows(ctx.brandId);
    for (const s of shows) showTitles.set(s.id, s.title);
    show.append(...shows.map((s) => h('option', { value: s.id },
      `${s.title} — ${s.status === 'live' ? t('commerce.promotions.live_now') : whenText(s.scheduledStart, zone)}`)));
  }

  const el = sectionCard(t('commerce.promotions.title'), h('p', { class: 'hint' }, t('commerce.promotions.intro')), box, list,
    editable ? form : h('p', { class: 'hint' }, t('commerce.promotions.editors_only')));
  return { el, load: async () => {
    if (editable) await loadShows().catch((error) => report(error, { box }));
    await load();
  } };
}
