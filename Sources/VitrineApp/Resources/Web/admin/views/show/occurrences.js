// The upcoming shows of one series. The API cannot filter shows by series, so every page of shows
// from now on is read and the series' ones kept (a series has at most 8 weeks × 7 days of them).

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill } from '../../lib/dom.js';
import { reportError, messageBox } from '../../lib/forms.js';
import { formatDateTime } from '../../lib/format.js';
import { statusBadge, showHash } from './common.js';
import { isoUtc } from './time.js';

const PER_PAGE = 100;
const MAX_PAGES = 20;

export async function upcomingOf(ctx, seriesId) {
  const from = isoUtc(Date.now());
  const found = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const params = new URLSearchParams({ from, page, perPage: PER_PAGE });
    const data = await api.get(`${path`/api/brands/${ctx.brandId}/shows`}?${params}`);
    found.push(...data.items.filter((show) => show.seriesId === seriesId));
    if (page * PER_PAGE >= data.total) break;
  }
  return found;
}

/** A card listing the series' upcoming shows; `load()` reads them again (after a save). */
export function occurrencesCard(ctx, seriesId, { zone }) {
  const box = messageBox();
  const body = h('div', { class: 'table-wrap' });

  async function load() {
    body.setAttribute('aria-busy', 'true');
    try {
      const shows = await upcomingOf(ctx, seriesId);
      const heads = [t('shows.start', { zone }), t('field.title'), t('field.status')];
      const label = (i) => ({ dataset: { label: i ? heads[i] : '' } });
      fill(body, shows.length
        ? h('table', { class: 'table table-stack' },
          h('caption', { class: 'visually-hidden' }, t('series.upcoming')),
          h('thead', {}, h('tr', {}, heads.map((text) => h('th', { scope: 'col' }, text)))),
          h('tbody', {}, shows.map((show) => h('tr', {},
            h('td', label(0), h('a', { href: showHash(ctx.brandId, show.id) },
              h('time', { datetime: show.scheduledStart }, formatDateTime(show.scheduledStart, zone)))),
            h('td', label(1), show.title, show.detached
              ? [' ', h('span', { class: 'badge badge-detached', title: t('shows.detached_hint') }, t('shows.detached'))]
              : null),
            h('td', label(2), statusBadge(show.status))))))
        : h('p', { class: 'empty' }, t('series.upcoming_none')));
    } catch (error) {
      reportError(error, { box });
    } finally {
      body.removeAttribute('aria-busy');
    }
  }

  const el = h('div', { class: 'card', role: 'region', 'aria-labelledby': 'upcoming-title' },
    h('h2', { id: 'upcoming-title' }, t('series.upcoming')),
    h('p', { class: 'hint' }, t('series.upcoming_hint')),
    box, body);
  return { el, load };
}
