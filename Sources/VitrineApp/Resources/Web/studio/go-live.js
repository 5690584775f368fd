// Go live from the browser: camera and microphone (getUserMedia), recorded as WebM (H.264 where
// the browser offers it, with a keyframe every second) and sent in 250 ms chunks over an
// authenticated WebSocket to the show's packager. A phone held upright gives a 9:16 stream.

import { api, path } from '/admin/api.js';
import { t, errorText } from '/admin/i18n.js';
import { h, clear } from '/admin/lib/dom.js';
import { setSession } from '/admin/lib/session.js';

const main = document.getElementById('main');
const showId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const TYPES = ['video/webm;codecs=h264,opus', 'video/webm;codecs=avc1,opus', 'video/webm;codecs=vp8,opus', 'video/webm'];

function text(key, fallbackEn, fallbackFr) {
  const value = t(key);
  if (value !== key) return value;
  return document.documentElement.lang === 'fr' ? fallbackFr : fallbackEn;
}

async function findShow(memberships) {
  for (const membership of memberships) {
    try {
      const show = await api.get(path`/api/brands/${membership.brand.id}/shows/${showId}`, { redirectOn401: false });
      return { show, brandId: membership.brand.id };
    } catch {
      // Not this brand's show.
    }
  }
  return null;
}

async function start() {
  let me;
  try {
    me = await api.get('/api/me', { redirectOn401: false });
  } catch {
    location.href = `/admin/#/login`;
    return;
  }
  setSession(me);
  const found = await findShow(me.memberships ?? []);
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
  let media = null;
  let recorder = null;
  let socket = null;
  let stopping = false;

  function setStatus(message, on = false) {
    status.textContent = message;
    status.className = `studio-status${on ? ' on' : ''}`;
  }

  async function camera() {
    try {
      media = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: vertical ? { facingMode: 'user', width: { ideal: 720 }, height: { ideal: 1280 }, aspectRatio: 9 / 16 }
          : { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 }, aspectRatio: 16 / 9 },
      });
      video.srcObject = media;
      streamButton.disabled = false;
      setStatus(t('golive.camera_on'));
    } catch (error) {
      setStatus(t('golive.no_camera', { reason: error.message }));
    }
  }

  function stream() {
    const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    stopping = false;
    socket = new WebSocket(`${scheme}://${location.host}${path`/api/brands/${brandId}/shows/${show.id}/ingest`}`);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => socket.send(JSON.stringify({ mimeType }));
    socket.onmessage = (event) => {
      const answer = JSON.parse(event.data);
      if (answer.error) {
        setStatus(answer.error);
        return;
      }
      recorder = new MediaRecorder(media, {
        mimeType, videoBitsPerSecond: 2_500_000, audioBitsPerSecond: 128_000, videoKeyFrameIntervalDuration: 1000,
      });
      recorder.ondataavailable = (chunk) => {
        if (chunk.data.size && socket.readyState === WebSocket.OPEN) socket.send(chunk.data);
      };
      recorder.start(250);
      setStatus(t(show.status === 'live' ? 'golive.streaming_live' : 'golive.streaming_preview'), true);
      stopButton.disabled = false;
      streamButton.disabled = true;
      window.vitrineStreaming = true;
    };
    socket.onclose = () => {
      if (recorder && recorder.state !== 'inactive') recorder.stop();
      window.vitrineStreaming = false;
      stopButton.disabled = true;
      streamButton.disabled = !media;
      if (!stopping) {
        // A network blip or a packager restart: reconnect with a new recording.
        setStatus(t('golive.reconnecting'));
        setTimeout(() => { if (!stopping) stream(); }, 1500);
      } else {
        setStatus(t('golive.stopped'));
      }
    };
  }

  function stop() {
    stopping = true;
    if (recorder && recorder.state !== 'inactive') recorder.stop();
    socket?.close();
  }

  async function move(event) {
    try {
      const updated = await api.post(path`/api/brands/${brandId}/shows/${show.id}/transitions`, { event });
      show.status = updated.status;
      liveButton.hidden = show.status !== 'scheduled';
      endButton.hidden = show.status !== 'live';
      if (event === 'ended') stop();
      setStatus(t(event === 'live' ? 'golive.streaming_live' : 'golive.ended'), event === 'live');
    } catch (error) {
      setStatus(errorText(error));
    }
  }

  cameraButton.addEventListener('click', camera);
  streamButton.addEventListener('click', stream);
  stopButton.addEventListener('click', stop);
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
  window.addEventListener('pagehide', () => stop());
}

start();
