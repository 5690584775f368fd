// What the Selling cards share: a titled card, money typed as decimals, countries, and server errors
// in the UI language where the server's own message would be English only.

import { t, locale } from '../../i18n.js';
import { h, uid } from '../../lib/dom.js';
import { reportError, showFieldError, showMessage } from '../../lib/forms.js';
import { formatDecimal, minorDigits, parseDecimal } from '../../lib/format.js';

// The countries a store (and a delivery) may be in: docs/orders.md, "Addresses".
const COUNTRIES = ['FR', 'BE', 'LU', 'MC', 'CH', 'DE', 'AT', 'BG', 'CY', 'HR', 'DK', 'ES', 'EE', 'FI', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'MT', 'NL', 'PL', 'PT', 'CZ', 'RO', 'SK', 'SI', 'SE', 'NO', 'IS', 'LI', 'AD', 'GB'];
// Codes whose server message is English or generic; the others (invalid_field…) carry an example worth keeping.
const TRANSLATED = new Set(['code_taken', 'mixed_modes', 'payment_provider_error', 'immutable_field']);

/** A `<section class="card">` named by its heading; returns the section and the heading's id. */
export function sectionCard(title, ...children) {
  const id = uid('selling');
  return h('section', { class: 'card stack selling-card', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** `{amount: 490, currency: "EUR"}` → "4.90" (English) or "4,90" (French) for an input. */
export function moneyText(money, currency) {
  return money ? formatDecimal(money.amount, minorDigits(money.currency ?? currency)) : '';
}

/** "4,90" → `{amount: 490, currency}`; "" → null; unreadable → NaN. */
export function parseMoney(text, currency) {
  const amount = parseDecimal(text, minorDigits(currency));
  if (amount === null || Number.isNaN(amount)) return amount;
  return { amount, currency };
}

/** A whole number ≥ 1 typed in an input; "" → null; anything else → NaN. */
export function parseCount(text) {
  const s = String(text ?? '').trim();
  if (s === '') return null;
  return /^\d+$/.test(s) ? Number(s) : NaN;
}

function regionNames() {
  try {
    return new Intl.DisplayNames([locale()], { type: 'region' });
  } catch {
    return null; // Without Intl.DisplayNames the codes alone are shown.
  }
}

/** "FR" → "France" in the UI language (the code itself when unknown). */
export function countryName(code) {
  return regionNames()?.of(code) ?? code;
}

/** The countries as `[code, name]` select options, by name in the UI language. */
export function countryOptions() {
  const names = regionNames();
  return COUNTRIES.map((code) => [code, names ? `${names.of(code)} (${code})` : code])
    .sort((a, b) => a[1].localeCompare(b[1], locale()));
}

/** Shows a server error next to the field it names (see reportError), in the UI language when known. */
export function report(error, { scope, box } = {}) {
  if (!error || !TRANSLATED.has(error.code)) return reportError(error, { scope, box });
  const text = t(`commerce.error.${error.code}`);
  const control = scope && error.field ? showFieldError(scope, error.field, text) : null;
  if (box) showMessage(box, control ? t('form.fix_field') : text, 'error');
  control?.focus();
  return undefined;
}
