// Numbers, money and dates: minor units and basis points in, locale text out, and back.

import { getLang, locale } from '../i18n.js';

// ISO 4217 minor units. Intl's own digits follow cash usage (HUF: 0) and would misread amounts.
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'ISK', 'CLP', 'VND', 'XAF', 'XOF']);

/** Digits after the decimal point in a currency's minor units (2 for EUR, 0 for JPY). */
export function minorDigits(currency) {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/** `{amount: 2490, currency: "EUR"}` → "24,90 €" in the UI language. */
export function formatMoney(money) {
  if (!money) return '';
  const digits = minorDigits(money.currency);
  try {
    return new Intl.NumberFormat(locale(), {
      style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits,
    }).format(money.amount / 10 ** digits);
  } catch {
    return `${formatDecimal(money.amount, digits)} ${money.currency}`;
  }
}

/** Lowest and highest price of some variants: "24,90 €" or "24,90 € – 54,00 €". */
export function formatPriceRange(variants) {
  if (!variants?.length) return '—';
  const sorted = [...variants].map((v) => v.price).sort((a, b) => a.amount - b.amount);
  const low = formatMoney(sorted[0]);
  const high = formatMoney(sorted[sorted.length - 1]);
  return low === high ? low : `${low} – ${high}`;
}

/** 2490, 2 → "24,90" (French) or "24.90" (English), without grouping, for an input field. */
export function formatDecimal(minor, digits) {
  if (minor === null || minor === undefined) return '';
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const unit = 10 ** digits;
  const whole = Math.floor(abs / unit);
  if (digits === 0) return `${sign}${whole}`;
  const separator = getLang() === 'fr' ? ',' : '.';
  return `${sign}${whole}${separator}${String(abs % unit).padStart(digits, '0')}`;
}

/**
 * "24,90", "24.90", "24", "1 234,5" → integer minor units (2490…); "" → null; anything else → NaN.
 * String arithmetic, so 0.1 + 0.2 never shows up in a price.
 */
export function parseDecimal(text, digits) {
  const s = String(text ?? '').replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(s);
  if (!match) return NaN;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return NaN;
  const value = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(value) ? value : NaN;
}

/** Basis points → "20" or "5,5" for an input field. */
export function formatPercentInput(basisPoints) {
  if (basisPoints === null || basisPoints === undefined) return '';
  return formatDecimal(basisPoints, 2).replace(/([.,]\d*?)0+$/, '$1').replace(/[.,]$/, '');
}

/** Basis points → "20 %" for display. */
export function formatPercent(basisPoints) {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10000);
}

/** ISO time → date and time in the brand's time zone (the browser's when unknown). */
export function formatDateTime(iso, timeZone) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

/** A count in the UI language's digits ("1 234"). */
export function formatNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}
