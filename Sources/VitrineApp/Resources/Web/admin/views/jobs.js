// The brand's job queue: e-mails and webhook deliveries waiting, running, done or failed, and why.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, fill } from '../lib/dom.js';
import { messageBox, reportError, select } from '../lib/forms.js';
import { formatDateTime } from '../lib/format.js';

const STATUSES = ['pending', 'running', 'failed', 'done'];

export async function render(ctx) {
  const zone = ctx.brand?.timeZone;
  const box = messageBox();
  const list = h('div', { class: 'table-wrap' });
  const filter = select([['', t('jobs.all')], ...STATUSES.map((s) => [s, t(`jobs.status.${s}`)])],
    ctx.query.get('status') ?? '', { id: 'jobs-status' });

  async function load() {
    const status = filter.value;
    ctx.setQuery({ status });
    try {
      const { items } = await api.get(path`/api/brands/${ctx.brandId}/jobs` + (status ? `?status=${status}` : ''));
      fill(list, items.length
        ? h('table', { class: 'table' },
          h('caption', { class: 'visually-hidden' }, t('title.jobs')),
          h('thead', {}, h('tr', {}, ['jobs.kind', 'jobs.state', 'jobs.run_at', 'jobs.attempts', 'jobs.error']
            .map((key) => h('th', { scope: 'col' }, t(key))))),
          h('tbody', {}, items.map((job) => h('tr', {},
            h('td', {}, h('code', {}, job.kind)),
            h('td', {}, h('span', { class: `badge badge-${job.status}` }, t(`jobs.status.${job.status}`))),
            h('td', {}, formatDateTime(job.runAt, zone)),
            h('td', {}, `${job.attempts} / ${job.maxAttempts}`),
            h('td', {}, job.lastError ?? '')))))
        : h('p', { class: 'empty' }, t('jobs.none')));
    } catch (error) {
      reportError(error, { box });
    }
  }
  filter.addEventListener('change', load);
  ctx.root.append(box, h('p', { class: 'intro' }, t('jobs.intro')),
    h('div', { class: 'toolbar' }, h('label', { for: 'jobs-status' }, t('jobs.filter')), filter),
    list);
  await load();
}
