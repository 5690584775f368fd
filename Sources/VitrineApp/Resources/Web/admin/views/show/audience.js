// The audience of a show: who asked to be reminded (double opt-in, marketing consent) and what they
// answered to the after-show survey. Personal data: shown to producers and above only.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill } from '../../lib/dom.js';
import { messageBox, reportError } from '../../lib/forms.js';
import { formatDateTime, formatNumber } from '../../lib/format.js';

/** A CSV of the registrations, for the brand's CRM (quoted so that a cell is never read as a formula). */
function csv(items) {
  const cell = (value) => {
    let text = String(value ?? '');
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replaceAll('"', '""')}"`;
  };
  const rows = [['email', 'language', 'status', 'marketing_consent', 'registered_at', 'confirmed_at']]
    .concat(items.map((r) => [r.email, r.language, r.status, r.marketingConsent, r.createdAt, r.confirmedAt ?? '']));
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function audiencePanel(ctx, show) {
  const box = messageBox();
  const summary = h('div');
  const table = h('div', { class: 'table-wrap' });
  const survey = h('div');
  const zone = ctx.brand?.timeZone;

  async function load() {
    try {
      const [registrations, feedback] = await Promise.all([
        api.get(path`/api/brands/${ctx.brandId}/shows/${show.id}/registrations`),
        api.get(path`/api/brands/${ctx.brandId}/shows/${show.id}/feedback`),
      ]);
      const download = h('button', { type: 'button', class: 'button button-small' }, t('audience.download'));
      download.addEventListener('click', () => {
        const url = URL.createObjectURL(new Blob([csv(registrations.items)], { type: 'text/csv;charset=utf-8' }));
        const link = h('a', { href: url, download: `registrations-${show.id}.csv` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      });
      fill(summary, h('p', { class: 'audience-counts' }, t('audience.counts', {
        confirmed: formatNumber(registrations.confirmed), pending: formatNumber(registrations.pending),
        unsubscribed: formatNumber(registrations.unsubscribed), consents: formatNumber(registrations.marketingConsents),
      })), registrations.items.length ? h('div', { class: 'actions' }, download) : null);
      fill(table, registrations.items.length
        ? h('table', { class: 'table' },
          h('caption', { class: 'visually-hidden' }, t('audience.registrations')),
          h('thead', {}, h('tr', {}, ['audience.email', 'audience.language', 'audience.state', 'audience.consent',
            'audience.registered'].map((key) => h('th', { scope: 'col' }, t(key))))),
          h('tbody', {}, registrations.items.map((r) => h('tr', {},
            h('td', {}, r.email), h('td', {}, r.language.toUpperCase()),
            h('td', {}, t(`audience.status.${r.status}`)),
            h('td', {}, t(r.marketingConsent ? 'audience.yes' : 'audience.no')),
            h('td', {}, formatDateTime(r.createdAt, zone))))))
        : h('p', { class: 'empty' }, t('audience.none')));
      const stars = (n) => '★'.repeat(n) + '☆'.repeat(5 - n);
      fill(survey, h('h3', {}, t('audience.survey')),
        feedback.answered
          ? [h('p', {}, t('audience.survey_summary', {
            answered: formatNumber(feedback.answered), asked: formatNumber(feedback.asked),
            average: feedback.average.toLocaleString(undefined, { maximumFractionDigits: 1 }),
          })),
          h('ul', { class: 'plain-list rating-counts' }, feedback.counts.map((count, i) => h('li', {},
            h('span', { 'aria-label': t('audience.stars', { n: i + 1 }) }, stars(i + 1)), ` ${formatNumber(count)}`)).reverse()),
          h('ul', { class: 'plain-list survey-comments' }, feedback.answers.filter((a) => a.comment).map((a) => h('li', {},
            h('span', { 'aria-label': t('audience.stars', { n: a.rating }) }, stars(a.rating)), ' ', a.comment,
            h('span', { class: 'hint' }, ` — ${formatDateTime(a.answeredAt, zone)}`))))]
          : h('p', { class: 'empty' }, t(feedback.asked ? 'audience.survey_waiting' : 'audience.survey_none')));
    } catch (error) {
      reportError(error, { box });
    }
  }
  load();
  return h('section', { class: 'card', 'aria-labelledby': 'audience-title' },
    h('h2', { id: 'audience-title' }, t('audience.title')), box, summary, table, survey);
}
