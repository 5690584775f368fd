// A show's status, the moves its status and the person's role allow, and its history.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, clear } from '../../lib/dom.js';
import { messageBox, showMessage, reportError, busy } from '../../lib/forms.js';
import { formatDateTime } from '../../lib/format.js';
import { statusBadge, facts, memberName, seriesHash } from './common.js';

// [event, allowed from, action needed, confirm text key or null, button class]
const MOVES = [
  ['scheduled', ['draft'], 'shows.manage', null, 'button-primary'],
  ['live', ['scheduled'], 'shows.present', null, 'button-primary'],
  ['ended', ['live'], 'shows.present', 'show.confirm_end', 'button-danger'],
  ['replay_published', ['ended'], 'shows.manage', null, 'button-primary'],
  ['replay_unpublished', ['ended'], 'shows.manage', 'show.confirm_unpublish', 'button-danger'],
  ['cancelled', ['draft', 'scheduled'], 'shows.manage', 'show.confirm_cancel', 'button-danger'],
];

/**
 * The status card of `show`. `changed(show)` is called with the show after a move; `isDirty()` says
 * the form has unsaved edits (a move draws the page again); `scope` is the form, for errors on a field.
 */
export function statusPanel(ctx, show, { zone, members, seriesTitle, isDirty, changed, scope }) {
  const showPath = path`/api/brands/${ctx.brandId}/shows/${show.id}`;
  const box = messageBox();
  const history = h('div', { class: 'table-wrap' });
  const names = new Map((members ?? []).map((m) => [m.id, memberName(m)]));

  const moves = MOVES.filter(([event, from, action]) => from.includes(show.status) && ctx.can(action)
    && !(event === 'replay_published' && show.replayPublished) && !(event === 'replay_unpublished' && !show.replayPublished));
  const buttons = moves.map(([event, , , confirmKey, kind]) => {
    const noStart = event === 'scheduled' && !show.scheduledStart;
    const button = h('button', { type: 'button', class: `button ${kind}`, disabled: noStart,
      'aria-describedby': noStart ? 'schedule-needs-start' : null }, t(`show.move_${event}`));
    button.addEventListener('click', () => move(button, event, confirmKey));
    return button;
  });
  const needsStart = moves.some(([event]) => event === 'scheduled') && !show.scheduledStart
    ? h('p', { class: 'hint', id: 'schedule-needs-start' }, t('show.schedule_needs_start')) : null;
  const hostNote = ctx.role === 'host' && moves.some(([, , action]) => action === 'shows.present')
    ? h('p', { class: 'hint' }, t('show.host_only')) : null;

  async function move(button, event, confirmKey) {
    if (confirmKey && !window.confirm(t(confirmKey, { title: show.title }))) return;
    if (isDirty() && !window.confirm(t('show.confirm_discard'))) return;
    await busy(button, async () => {
      try {
        const updated = await api.post(`${showPath}/transitions`, { event });
        changed(updated, t(`show.moved_${event}`));
      } catch (error) {
        reportError(error, { scope, box });
      }
    });
  }

  const when = (iso) => (iso ? formatDateTime(iso, zone) : null);
  const series = show.seriesId
    ? h('a', { href: seriesHash(ctx.brandId, show.seriesId) }, seriesTitle ?? t('shows.series_marker')) : null;
  const el = h('div', { class: 'card status-card', role: 'region', 'aria-labelledby': 'status-title' },
    h('h2', { id: 'status-title' }, t('show.status_title')),
    h('p', {}, statusBadge(show.status)),
    facts([
      [t('show.starts'), when(show.scheduledStart) ?? t('show.no_start')],
      [t('show.went_live'), when(show.wentLiveAt)],
      [t('show.ended_at'), when(show.endedAt)],
      [t('show.cancelled_at'), when(show.cancelledAt)],
      [t('show.replay'), show.status === 'ended' ? t(show.replayPublished ? 'show.replay_on' : 'show.replay_off') : null],
      [t('show.series'), series],
      [t('show.detached'), show.seriesId && show.detached ? t('shows.detached_hint') : null],
    ]),
    box,
    buttons.length ? h('div', { class: 'actions' }, buttons) : null,
    needsStart, hostNote,
    h('h3', {}, t('show.history')),
    history);

  function who(entry) {
    if (!entry.memberId) return t('show.by_vitrine');
    return names.get(entry.memberId) ?? t('show.by_member');
  }

  async function loadHistory() {
    try {
      const { items } = await api.get(`${showPath}/history`);
      clear(history).append(items.length
        ? h('ol', { class: 'history' }, [...items].reverse().map((entry) => h('li', {},
          h('span', { class: 'strong' }, t(`show_event.${entry.event}`)), ' ',
          h('time', { datetime: entry.at }, formatDateTime(entry.at, zone)),
          h('span', { class: 'muted' }, ` · ${who(entry)}`))))
        : h('p', { class: 'empty' }, t('show.history_none')));
    } catch (error) {
      reportError(error, { box });
    }
  }

  return { el, loadHistory, box };
}

/** Shows a message in the status card after the page was drawn again. */
export function statusMessage(panel, text) {
  showMessage(panel.box, text, 'success');
}
