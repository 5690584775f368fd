// The studio's top bar: the show's status, whether the room is connected, and "Go live" / "End the
// show", each confirmed in a dialog first.

import { api, path } from '/admin/api.js';
import { t, errorText } from '/admin/i18n.js';
import { h, fill } from '/admin/lib/dom.js';
import { messageBox, showMessage } from '/admin/lib/forms.js';
import { statusBadge } from '/admin/views/show/common.js';
import { confirmAction } from '/studio/app/ui.js';

/** `mayPresent` says whether the person's role may move the show; `onStatus(status)` hears every change. */
export function onAirBar({ room, brandId, show, mayPresent, onStatus }) {
  const badge = h('span', { class: 'studio-badge' });
  const connection = h('span', { class: 'connection', role: 'status' }, t('studio.connecting'));
  const box = messageBox();
  // A session that ended meanwhile joins the room as a viewer: team messages would all be refused.
  const notTeam = h('p', { class: 'message message-error', hidden: true }, t('studio.not_team'));
  const live = h('button', { type: 'button', class: 'button button-primary button-big' }, t('golive.go_live'));
  const end = h('button', { type: 'button', class: 'button button-danger button-big' }, t('golive.end'));

  function setStatus(status) {
    show.status = status;
    fill(badge, statusBadge(status));
    live.hidden = !(mayPresent && status === 'scheduled');
    end.hidden = !(mayPresent && status === 'live');
    onStatus(status);
  }

  async function move(button, event) {
    const going = event === 'live';
    const sure = await confirmAction(going
      ? { title: t('studio.go_live_title'), text: t('studio.go_live_confirm', { title: show.title }), confirm: t('golive.go_live') }
      : { title: t('golive.end'), text: t('show.confirm_end', { title: show.title }), confirm: t('golive.end'), danger: true });
    if (!sure) return;
    showMessage(box, '');
    button.disabled = true;
    try {
      const updated = await api.post(path`/api/brands/${brandId}/shows/${show.id}/transitions`, { event });
      setStatus(updated.status);
      showMessage(box, t(going ? 'golive.streaming_live' : 'golive.ended'), 'success');
    } catch (error) {
      showMessage(box, errorText(error), 'error');
    } finally {
      button.disabled = false;
    }
  }

  live.addEventListener('click', () => move(live, 'live'));
  end.addEventListener('click', () => move(end, 'ended'));
  room.on('show_state', (event) => { if (event.status !== show.status) setStatus(event.status); });
  room.on('snapshot', (snapshot) => {
    notTeam.hidden = Boolean(snapshot.you?.staff);
    if (snapshot.show?.status && snapshot.show.status !== show.status) setStatus(snapshot.show.status);
  });
  room.on('connection', (state) => {
    connection.textContent = t(state === 'open' ? 'studio.connected' : 'studio.reconnecting');
    connection.className = `connection ${state}`;
  });
  setStatus(show.status);

  return h('div', { class: 'on-air-bar' },
    h('div', { class: 'on-air-state' }, badge, connection),
    h('div', { class: 'studio-controls' }, live, end),
    box, notTeam);
}
