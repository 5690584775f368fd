// What the orders list and an order's page share: statuses, words, the brand's time zone, links.

import { t, errorText } from '../../i18n.js';
import { h } from '../../lib/dom.js';
import { knownZone, zonedToUtc, isoUtc } from '../show/time.js';

export const STATUSES = ['awaiting_payment', 'paid', 'fulfilled', 'cancelled', 'refunded'];
export const ORIGINS = ['live', 'replay', 'none'];

export const ordersHash = (brandId) => `#/brands/${encodeURIComponent(brandId)}/orders`;
export const orderHash = (brandId, id) => `${ordersHash(brandId)}/${encodeURIComponent(id)}`;

// The list as last filtered, so that "back" from an order keeps the filters and the page.
let lastList = null;

/** Remembers the list's hash (with its filters) for the order page's back link. */
export function rememberList(brandId, hash) {
  lastList = { brandId, hash };
}

/** The list as it was left, or the whole list. */
export function listHash(brandId) {
  return lastList?.brandId === brandId ? lastList.hash : ordersHash(brandId);
}

export function statusBadge(status) {
  return h('span', { class: `badge badge-order badge-order-${status}` }, t(`order_status.${status}`));
}

/** The brand's time zone, or the browser's when the brand has none Intl knows. */
export function zoneOf(brand) {
  return knownZone(brand?.timeZone) ? brand.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * A day of the brand ("2026-12-03") → the instant it starts, as the API reads it. `nextDay` gives the
 * start of the following day: the API's `to` is exclusive, the team's "to" includes its day.
 */
export function dayStart(dateText, zone, { nextDay = false } = {}) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateText ?? '');
  if (!m) return null;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (nextDay ? 1 : 0)));
  const found = zonedToUtc(day.toISOString().slice(0, 10), '00:00', zone);
  return found ? isoUtc(found.ms) : null;
}

/**
 * The text of an error from an order's change: the server's message, which says what happened
 * (e.g. Stripe's reason for a 502, where nothing changed). Session and network errors keep ours.
 */
export function orderErrorText(error) {
  const fromServer = error?.message && error.code && !/^http_/.test(error.code) && error.status > 0;
  if (fromServer && !['unauthenticated', 'forbidden'].includes(error.code) && !/^csrf_token_/.test(error.code)) {
    return error.code === 'payment_provider_error' ? t('order.error.provider', { message: error.message }) : error.message;
  }
  return errorText(error);
}
