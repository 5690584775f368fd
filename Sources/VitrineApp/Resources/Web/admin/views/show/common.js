// What the show and series pages share: statuses, badges, choices, addresses, and loading the team.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h } from '../../lib/dom.js';

export const STATUSES = ['draft', 'scheduled', 'live', 'ended', 'cancelled', 'missed'];
export const FORMATS = ['public', 'private'];
export const ORIENTATIONS = ['vertical', 'horizontal'];
/** Whether a show in this status may still change (the server's ShowLifecycle.isEditable). */
export const isEditable = (status) => ['draft', 'scheduled', 'live'].includes(status);

export function statusBadge(status) {
  return h('span', { class: `badge badge-show-${status}` }, t(`show_status.${status}`));
}

/** "Series" (and "detached" when edited apart from its series) for a show that belongs to one. */
export function seriesMarkers(show, seriesTitle) {
  if (!show.seriesId) return [];
  const label = seriesTitle ? t('shows.series_of', { title: seriesTitle }) : t('shows.series_marker');
  return [
    h('span', { class: 'badge badge-series', title: label }, h('span', { 'aria-hidden': 'true' }, '↻ '), label),
    show.detached ? h('span', { class: 'badge badge-detached', title: t('shows.detached_hint') }, t('shows.detached')) : null,
  ];
}

export const showsHash = (brandId) => `#/brands/${encodeURIComponent(brandId)}/shows`;
export const showHash = (brandId, id) => `${showsHash(brandId)}/${encodeURIComponent(id)}`;
export const seriesHash = (brandId, id) =>
  `#/brands/${encodeURIComponent(brandId)}/series${id ? `/${encodeURIComponent(id)}` : ''}`;

/** The brand's languages as select options, keeping `current` when the brand dropped it since. */
export function languageOptions(brand, current) {
  const codes = [...(brand?.languages ?? [])];
  if (current && !codes.includes(current)) codes.push(current);
  if (!codes.length) codes.push('fr');
  return codes.map((code) => [code, t(`language.${code}`) === `language.${code}` ? code : t(`language.${code}`)]);
}

/**
 * The brand's team, for choosing hosts: null when the role may not list it (members.view: owner,
 * admin and producer), so hosts are then shown without names and left as they are.
 */
export async function loadMembers(ctx) {
  if (!ctx.can('members.view')) return null;
  try {
    return (await api.get(path`/api/brands/${ctx.brandId}/members`)).items;
  } catch {
    return null;
  }
}

/** "Alice Martin" or her e-mail. */
export const memberName = (member) => member.user.name || member.user.email;

/** The fields of `input` whose JSON differs from the same field of `before`. */
export function changedFields(input, before) {
  return Object.fromEntries(Object.entries(input)
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])));
}

/** A definition list of [term, value] pairs, skipping empty values. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}
