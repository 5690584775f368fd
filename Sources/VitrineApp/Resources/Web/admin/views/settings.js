// Brand settings: name, logo, accent colour, time zone, currency, languages, embed origins, default VAT.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../lib/dom.js';
import { field, checkbox, select, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '../lib/forms.js';
import { formatPercentInput, parseDecimal } from '../lib/format.js';
import { renameBrand } from '../lib/session.js';

const ZONES = ['Europe/Paris', 'Europe/Brussels', 'Europe/Luxembourg', 'Europe/Zurich', 'Europe/Monaco', 'Europe/London',
  'Europe/Dublin', 'Europe/Lisbon', 'Europe/Madrid', 'Europe/Rome', 'Europe/Berlin', 'Europe/Amsterdam', 'Europe/Vienna',
  'Europe/Copenhagen', 'Europe/Stockholm', 'Europe/Oslo', 'Europe/Helsinki', 'Europe/Warsaw', 'Europe/Prague',
  'Europe/Budapest', 'Europe/Bucharest', 'Europe/Sofia', 'Europe/Athens', 'Atlantic/Canary', 'UTC'];
const CURRENCIES = ['EUR', 'GBP', 'CHF', 'USD', 'CAD', 'AUD', 'SEK', 'DKK', 'NOK', 'PLN', 'CZK', 'HUF', 'RON', 'BGN'];
const LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'nl'];
// "Saved" outlives the render that follows a save (the app redraws with the new accent and name).
let flash = null;

export function render(ctx) {
  const brand = ctx.brand;
  if (!brand) throw new Error(t('app.brand_unavailable'));
  const box = messageBox();
  const name = h('input', { type: 'text', value: brand.name, required: true, maxlength: 120 });
  const logoUrl = h('input', { type: 'url', value: brand.logoUrl ?? '', inputmode: 'url', spellcheck: 'false' });
  const accent = h('input', { type: 'color', value: brand.accentColor.toLowerCase(), class: 'input-color' });
  const accentText = h('output', { class: 'code' }, brand.accentColor);
  accent.addEventListener('input', () => { accentText.textContent = accent.value.toUpperCase(); });
  const zone = h('input', { type: 'text', value: brand.timeZone, list: 'zone-list', spellcheck: 'false', autocomplete: 'off' });
  const zones = h('datalist', { id: 'zone-list' }, ZONES.map((z) => h('option', { value: z })));
  const currencies = CURRENCIES.includes(brand.currency) ? CURRENCIES : [brand.currency, ...CURRENCIES];
  const currency = select(currencies.map((c) => [c, c]), brand.currency);
  // A language the server knows but this form does not list stays selectable rather than silently dropped.
  const languageCodes = [...LANGUAGES, ...brand.languages.filter((code) => !LANGUAGES.includes(code))];
  const languages = languageCodes.map((code) => ({ code, ...checkbox(t(`language.${code}`), {
    value: code, checked: brand.languages.includes(code), lang: code } ) }));
  const origins = h('textarea', { rows: 4, spellcheck: 'false', class: 'code' });
  origins.value = brand.embedOrigins.join('\n');
  const vat = h('input', { type: 'text', value: formatPercentInput(brand.defaultVatRate), inputmode: 'decimal',
    class: 'input-short' });
  const renditions = checkbox(t('settings.renditions'), { checked: Boolean(brand.renditions) });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('settings.save'));

  const form = h('form', { class: 'stack', novalidate: true },
    h('div', { class: 'card' }, h('h2', {}, t('settings.identity')),
      h('div', { class: 'grid' },
        field(t('field.name'), name, { name: 'name' }),
        field(t('settings.logo'), logoUrl, { name: 'logoUrl', hint: t('settings.logo_hint') }),
        h('div', { class: 'field' },
          h('label', { for: 'accent-color' }, t('settings.accent')),
          h('div', { class: 'color-row' }, accent, accentText)))),
    h('div', { class: 'card' }, h('h2', {}, t('settings.region')),
      h('div', { class: 'grid' },
        field(t('settings.time_zone'), zone, { name: 'timeZone', hint: t('settings.time_zone_hint') }),
        field(t('settings.currency'), currency, { name: 'currency', hint: t('settings.currency_hint') }),
        field(t('settings.default_vat'), vat, { name: 'defaultVatRate', hint: t('product.vat_hint') })),
      zones,
      h('fieldset', { class: 'checks', dataset: { field: 'languages' } },
        h('legend', {}, t('settings.languages')),
        h('div', { class: 'check-grid' }, languages.map((l) => l.el)))),
    h('div', { class: 'card' }, h('h2', {}, t('settings.embed')),
      field(t('settings.origins'), origins, { name: 'embedOrigins', hint: t('settings.origins_hint') })),
    h('div', { class: 'card' }, h('h2', {}, t('settings.video')), renditions.el,
      h('p', { class: 'hint' }, t('settings.renditions_hint'))),
    h('div', { class: 'actions sticky-actions' }, submit));
  accent.id = 'accent-color';
  accent.dataset.field = 'accentColor';

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const rate = parseDecimal(vat.value, 2);
    const chosen = languages.filter((l) => l.input.checked).map((l) => l.code);
    const errors = [];
    if (!name.value.trim()) errors.push(['name', t('form.required')]);
    if (rate === null || Number.isNaN(rate) || rate > 10000) errors.push(['defaultVatRate', t('form.percent_invalid')]);
    if (!chosen.length) errors.push(['languages', t('settings.choose_language')]);
    if (errors.length) {
      errors.map(([key, message]) => showFieldError(form, key, message))[0]?.focus();
      return;
    }
    const lines = origins.value.split('\n').map((line) => line.trim()).filter(Boolean);
    await busy(submit, async () => {
      try {
        const updated = await api.patch(path`/api/brands/${ctx.brandId}`, {
          name: name.value.trim(),
          logoUrl: logoUrl.value.trim(),
          accentColor: accent.value.toUpperCase(),
          timeZone: zone.value.trim(),
          currency: currency.value,
          languages: chosen,
          embedOrigins: lines,
          defaultVatRate: rate,
          renditions: renditions.input.checked,
        });
        renameBrand(updated.id, updated.name);
        flash = t('settings.saved');
        ctx.brandChanged(updated);
      } catch (error) {
        reportError(error, { scope: form, box });
      }
    });
  });

  ctx.root.append(box, form);
  if (flash) {
    showMessage(box, flash, 'success');
    flash = null;
  }
}
