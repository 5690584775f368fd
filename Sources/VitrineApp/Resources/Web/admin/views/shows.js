// Show list: upcoming, past (newest first) or all; status filter; paging; what is on air now.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, fill, uid } from '../lib/dom.js';
import { select, messageBox, showMessage, reportError } from '../lib/forms.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import { STATUSES, statusBadge, seriesMarkers, showHash, showsHash } from './show/common.js';
import { isoUtc } from './show/time.js';

const PER_PAGE = [25, 50, 100];
const PERIODS = ['upcoming', 'past', 'all'];

function positiveInt(text, fallback) {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export async function render(ctx) {
  const zone = ctx.brand?.timeZone;
  const perPageAsked = positiveInt(ctx.query.get('perPage'), 25);
  const state = {
    status: STATUSES.includes(ctx.query.get('status')) ? ctx.query.get('status') : '',
    when: PERIODS.includes(ctx.query.get('when')) ? ctx.query.get('when') : 'upcoming',
    page: positiveInt(ctx.query.get('page'), 1),
    perPage: PER_PAGE.includes(perPageAsked) ? perPageAsked : 25,
  };
  const base = path`/api/brands/${ctx.brandId}/shows`;
  const seriesTitles = new Map();
  // Series titles for the "series" marker; without them the marker just says "Series".
  const seriesLoaded = api.get(path`/api/brands/${ctx.brandId}/series`)
    .then(({ items }) => { for (const series of items) seriesTitles.set(series.id, series.title); }, () => {});
  let sequence = 0;

  const status = select([['', t('shows.all_statuses')], ...STATUSES.map((s) => [s, t(`show_status.${s}`)])],
    state.status, { id: 'show-status' });
  const periodName = uid('period');
  const periods = PERIODS.map((p) => h('input', { type: 'radio', name: periodName, value: p, checked: p === state.when }));
  const perPage = select(PER_PAGE.map((n) => [String(n), String(n)]), String(state.perPage), { id: 'show-per-page' });
  const box = messageBox();
  const onAir = h('div');
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const results = h('div', { class: 'table-wrap' });
  const prev = h('button', { type: 'button', class: 'button' }, t('paging.previous'));
  const next = h('button', { type: 'button', class: 'button' }, t('paging.next'));
  const pageInfo = h('span', { class: 'page-info' });

  const toolbar = h('div', { class: 'toolbar' },
    h('fieldset', { class: 'segmented' }, h('legend', {}, t('shows.period')),
      periods.map((input) => h('label', { class: 'segment' }, input, h('span', {}, t(`shows.period_${input.value}`))))),
    h('div', { class: 'field' }, h('label', { for: status.id }, t('field.status')), status),
    ctx.can('shows.manage')
      ? h('a', { class: 'button button-primary', href: `${showsHash(ctx.brandId)}/new` }, t('shows.new')) : null);

  const get = (params) => api.get(`${base}?${new URLSearchParams(params)}`);

  function filters(now) {
    const params = {};
    if (state.status) params.status = state.status;
    if (state.when === 'upcoming') params.from = now;
    if (state.when === 'past') params.to = now;
    return params;
  }

  /** The API lists oldest first: for the past, newest first, page p is cut from the end (1 or 2 API pages). */
  async function pastPage(params) {
    const { total } = await get({ ...params, page: 1, perPage: 1 });
    const pages = Math.max(1, Math.ceil(total / state.perPage));
    const page = Math.min(state.page, pages);
    const end = total - (page - 1) * state.perPage;
    const start = Math.max(0, end - state.perPage);
    const first = Math.floor(start / state.perPage) + 1;
    const last = Math.max(first, Math.floor((end - 1) / state.perPage) + 1);
    const chunks = await Promise.all([first, last].filter((p, i) => i === 0 || p !== first)
      .map((p) => get({ ...params, page: p, perPage: state.perPage })));
    const offset = start - (first - 1) * state.perPage;
    const items = chunks.flatMap((c) => c.items).slice(offset, offset + (end - start)).reverse();
    return { items, total, page, perPage: state.perPage };
  }

  async function load() {
    const mine = ++sequence;
    ctx.setQuery({ when: state.when !== 'upcoming' ? state.when : '', status: state.status,
      page: state.page > 1 ? state.page : '', perPage: state.perPage !== 25 ? state.perPage : '' });
    const params = filters(isoUtc(Date.now()));
    results.setAttribute('aria-busy', 'true');
    try {
      const data = state.when === 'past'
        ? await pastPage(params)
        : await get({ ...params, page: state.page, perPage: state.perPage });
      await seriesLoaded;
      if (mine !== sequence) return;
      const pages = Math.max(1, Math.ceil(data.total / data.perPage));
      if (data.total > 0 && state.page > pages) {
        state.page = pages;
        load();
        return;
      }
      state.page = data.page;
      showMessage(box, '');
      summary.textContent = t('shows.count', { count: formatNumber(data.total), n: data.total });
      clear(results).append(data.items.length ? table(data.items)
        : h('p', { class: 'empty' }, t(state.status || state.when !== 'all' ? 'shows.none_match' : 'shows.none')));
      pageInfo.textContent = t('paging.info', { page: formatNumber(data.page), pages: formatNumber(pages) });
      prev.disabled = data.page <= 1;
      next.disabled = data.page >= pages;
    } catch (error) {
      if (mine === sequence) reportError(error, { box });
    } finally {
      if (mine === sequence) results.removeAttribute('aria-busy');
    }
  }

  // A live show started before now, so "upcoming" (start ≥ now) leaves it out: it gets its own box.
  async function loadOnAir() {
    if (state.when !== 'upcoming' || (state.status && state.status !== 'live')) {
      clear(onAir);
      return;
    }
    try {
      const { items } = await get({ status: 'live', perPage: 20 });
      fill(onAir, items.length ? h('div', { class: 'card on-air', role: 'region', 'aria-labelledby': 'on-air-title' },
        h('h2', { id: 'on-air-title' }, t('shows.on_air')),
        h('ul', { class: 'plain-list' }, items.map((show) => h('li', {},
          h('a', { href: showHash(ctx.brandId, show.id), class: 'strong' }, show.title),
          h('span', { class: 'muted' }, ` · ${t('shows.live_since', { time: formatDateTime(show.wentLiveAt, zone) })}`)))))
        : null);
    } catch {
      clear(onAir);
    }
  }

  function row(show, heads) {
    const label = (i) => ({ dataset: { label: i ? heads[i] : '' } });
    return h('tr', {},
      h('td', label(0), h('a', { href: showHash(ctx.brandId, show.id), class: 'strong' }, show.title),
        h('div', { class: 'markers' }, seriesMarkers(show, seriesTitles.get(show.seriesId)))),
      h('td', label(1), show.scheduledStart
        ? h('time', { datetime: show.scheduledStart }, formatDateTime(show.scheduledStart, zone))
        : h('span', { class: 'muted' }, t('show.no_start'))),
      h('td', { class: 'num', ...label(2) }, t('shows.minutes', { n: show.durationMinutes, count: formatNumber(show.durationMinutes) })),
      h('td', label(3), statusBadge(show.status)),
      h('td', label(4), t(`show_format.${show.format}`)));
  }

  function table(items) {
    const heads = [t('field.title'), t('shows.start', { zone }), t('shows.duration'), t('field.status'), t('show.format')];
    return h('table', { class: 'table table-stack' },
      h('caption', { class: 'visually-hidden' }, t('title.shows')),
      h('thead', {}, h('tr', {}, heads.map((text, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : null }, text)))),
      h('tbody', {}, items.map((show) => row(show, heads))));
  }

  const reload = () => {
    state.page = 1;
    load();
    loadOnAir();
  };
  for (const input of periods) input.addEventListener('change', () => { state.when = input.value; reload(); });
  status.addEventListener('change', () => { state.status = status.value; reload(); });
  perPage.addEventListener('change', () => { state.perPage = Number(perPage.value); state.page = 1; load(); });
  prev.addEventListener('click', () => { state.page -= 1; load(); });
  next.addEventListener('click', () => { state.page += 1; load(); });

  const publicPage = ctx.brand?.slug
    ? h('p', { class: 'hint' }, t('shows.public_page'), ' ',
      h('a', { href: `/b/${encodeURIComponent(ctx.brand.slug)}`, target: '_blank', rel: 'noopener' },
        `${location.origin}/b/${ctx.brand.slug}`))
    : null;
  ctx.root.append(publicPage, toolbar, box, onAir, summary, results,
    h('nav', { class: 'pager', 'aria-label': t('paging.label') }, prev, pageInfo, next,
      h('div', { class: 'field inline' }, h('label', { for: perPage.id }, t('paging.per_page')), perPage)));
  return Promise.all([load(), loadOnAir()]);
}
