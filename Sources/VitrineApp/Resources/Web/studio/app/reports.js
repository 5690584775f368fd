// Messages viewers reported: those of the show so far (moderators and up may list them), then each
// new report as the room tells the team, with a button to delete the message.

import { api, path } from '/admin/api.js';
import { t } from '/admin/i18n.js';
import { h, fill } from '/admin/lib/dom.js';
import { messageBox } from '/admin/lib/forms.js';
import { panel, act } from '/studio/app/ui.js';

const key = (id) => String(id).toLowerCase();

export function reportsPanel({ room, brandId, show }) {
  const list = h('ul', { class: 'report-list' });
  const empty = h('p', { class: 'muted' }, t('studio.no_reports'));
  const reports = new Map();
  let canModerate = false;

  function draw(report) {
    const box = messageBox();
    const remove = h('button', { type: 'button', class: 'button button-small', hidden: !canModerate || report.deleted,
      'aria-label': t('studio.delete_n', { name: report.name }) }, t('studio.delete'));
    remove.addEventListener('click', () => act(remove, box,
      () => room.request({ type: 'delete_message', messageId: report.messageId })));
    const li = report.li ?? h('li', { class: 'report' });
    report.li = li;
    fill(li,
      h('p', {}, h('span', { class: 'strong' }, report.name), ' ', h('q', {}, report.text)),
      h('p', { class: 'muted small' }, t('studio.report_reasons', { n: report.reports, reasons: report.reasons.join(', ') }),
        report.deleted ? [' · ', t('studio.deleted')] : null),
      remove, box);
    return li;
  }

  function add(report) {
    const known = reports.get(key(report.messageId));
    if (known) {
      known.reports = report.reports ?? known.reports + 1;
      if (report.reason && !known.reasons.includes(report.reason)) known.reasons.push(report.reason);
      draw(known);
      return;
    }
    const entry = { messageId: report.messageId, name: report.name, text: report.text, deleted: Boolean(report.deleted),
      reports: report.reports ?? 1, reasons: report.reasons ?? (report.reason ? [report.reason] : []) };
    reports.set(key(report.messageId), entry);
    list.prepend(draw(entry));
    empty.hidden = true;
  }

  room.on('snapshot', (snapshot) => {
    canModerate = Boolean(snapshot.you?.canModerate);
    for (const report of reports.values()) draw(report);
  });
  room.on('report', add);
  room.on('chat_deleted', (event) => {
    const report = reports.get(key(event.id));
    if (report) {
      report.deleted = true;
      draw(report);
    }
  });
  // Most reported first from the API: prepended in reverse so the list keeps that order.
  api.get(path`/api/brands/${brandId}/shows/${show.id}/reports`, { redirectOn401: false })
    .then((answer) => [...(answer.items ?? [])].reverse().forEach(add), () => {});

  return panel(t('studio.reports'), empty, list);
}
