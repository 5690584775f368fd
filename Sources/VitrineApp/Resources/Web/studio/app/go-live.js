// The go-live page: one phone, one show. The camera, the recording and the ingest socket are
// broadcast.js's (the studio uses them too); this page only wires its buttons.

import { api, path } from '/admin/api.js';
import { t, errorText } from '/admin/i18n.js';
import { h, clear } from '/admin/lib/dom.js';
import { browserBroadcast, mediaConstraints, stateText } from '/studio/app/broadcast.js';
import { openShow } from '/studio/app/show.js';

const main = document.getElementById('main');

async function start() {
  const found = await openShow();
  if (!found) {
    main.append(h('p', { class: 'message message-error' }, t('app.no_brand')));
    return;
  }
  const { show, brandId } = found;
  const vertical = show.orientation === 'vertical';
  const status = h('p', { class: 'studio-status', 'aria-live': 'polite' }, t('golive.ready'));
  const video = h('video', { class: `camera ${show.orientation}`, muted: true, autoplay: true, playsinline: true });
  video.muted = true;
  const cameraButton = h('button', { type: 'button', class: 'button' }, t('golive.camera'));
  const streamButton = h('button', { type: 'button', class: 'button button-primary', disabled: true }, t('golive.stream'));
  const stopButton = h('button', { type: 'button', class: 'button', disabled: true }, t('golive.stop'));
  const liveButton = h('button', { type: 'button', class: 'button button-danger', hidden: show.status !== 'scheduled' },
    t('golive.go_live'));
  const endButton = h('button', { type: 'button', class: 'button', hidden: show.status !== 'live' }, t('golive.end'));

  function setStatus(message, on = false) {
    status.textContent = message;
    status.className = `studio-status${on ? ' on' : ''}`;
  }

  const broadcast = browserBroadcast({
    brandId, showId: show.id,
    onState: (state, reason) => {
      const streaming = state === 'streaming';
      stopButton.disabled = !streaming;
      streamButton.disabled = streaming || !broadcast.media;
      const { text, on } = stateText(state, reason, show.status === 'live');
      setStatus(text, on);
    },
  });

  async function camera() {
    try {
      video.srcObject = await broadcast.openCamera(mediaConstraints(show.orientation));
      streamButton.disabled = false;
      setStatus(t('golive.camera_on'));
    } catch (error) {
      setStatus(t('golive.no_camera', { reason: error.message }));
    }
  }

  async function move(event) {
    try {
      const updated = await api.post(path`/api/brands/${brandId}/shows/${show.id}/transitions`, { event });
      show.status = updated.status;
      liveButton.hidden = show.status !== 'scheduled';
      endButton.hidden = show.status !== 'live';
      if (event === 'ended') broadcast.stop();
      setStatus(t(event === 'live' ? 'golive.streaming_live' : 'golive.ended'), event === 'live');
    } catch (error) {
      setStatus(errorText(error));
    }
  }

  cameraButton.addEventListener('click', camera);
  streamButton.addEventListener('click', () => broadcast.start());
  stopButton.addEventListener('click', () => broadcast.stop());
  liveButton.addEventListener('click', () => move('live'));
  endButton.addEventListener('click', () => move('ended'));
  document.title = `${show.title} · ${t('golive.title')}`;
  clear(main).append(
    h('h1', { class: 'page-title' }, show.title),
    h('p', { class: 'hint' }, t(vertical ? 'golive.hint_vertical' : 'golive.hint_horizontal')),
    video, status,
    h('div', { class: 'studio-controls' }, cameraButton, streamButton, stopButton, liveButton, endButton),
    h('p', { class: 'hint' }, h('a', { href: `/admin/#/brands/${encodeURIComponent(brandId)}/shows/${encodeURIComponent(show.id)}` },
      t('golive.back'))));
  window.addEventListener('pagehide', () => broadcast.stop());
}

start();
