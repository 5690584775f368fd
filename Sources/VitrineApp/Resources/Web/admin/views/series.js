// Series list: each weekly rendez-vous with its days, time, length, format and whether it is active.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, append } from '../lib/dom.js';
import { messageBox, reportError } from '../lib/forms.js';
import { formatNumber } from '../lib/format.js';
import { seriesHash } from './show/common.js';
import { ruleText } from './show/rule.js';

export async function render(ctx) {
  const zone = ctx.brand?.timeZone ?? '';
  const box = messageBox();
  const results = h('div', { class: 'table-wrap' });
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });

  const heads = [t('field.title'), t('series.schedule', { zone }), t('shows.duration'), t('show.format'), t('field.status')];
  const label = (i) => ({ dataset: { label: i ? heads[i] : '' } });

  function row(series) {
    return h('tr', { class: series.active ? null : 'row-muted' },
      h('td', label(0), h('a', { href: seriesHash(ctx.brandId, series.id), class: 'strong' }, series.title)),
      h('td', label(1), ruleText(series.rule)),
      h('td', { class: 'num', ...label(2) },
        t('shows.minutes', { n: series.durationMinutes, count: formatNumber(series.durationMinutes) })),
      h('td', label(3), t(`show_format.${series.format}`)),
      h('td', label(4), h('span', { class: `badge ${series.active ? 'badge-active' : 'badge-archived'}` },
        t(series.active ? 'series.active' : 'series.paused'))));
  }

  append(ctx.root, [
    h('p', { class: 'intro' }, t('series.intro', { zone })),
    ctx.can('shows.manage')
      ? h('div', { class: 'toolbar' }, h('a', { class: 'button button-primary', href: `${seriesHash(ctx.brandId)}/new` },
        t('series.new')))
      : null,
    box, summary, results]);

  results.setAttribute('aria-busy', 'true');
  try {
    const { items } = await api.get(path`/api/brands/${ctx.brandId}/series`);
    summary.textContent = t('series.count', { n: items.length, count: formatNumber(items.length) });
    clear(results).append(items.length
      ? h('table', { class: 'table table-stack' },
        h('caption', { class: 'visually-hidden' }, t('title.series')),
        h('thead', {}, h('tr', {}, heads.map((text, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : null }, text)))),
        h('tbody', {}, items.map(row)))
      : h('p', { class: 'empty' }, t('series.none')));
  } catch (error) {
    reportError(error, { box });
  } finally {
    results.removeAttribute('aria-busy');
  }
}
