// Going live from the browser, for the go-live page and the studio: camera and microphone
// (getUserMedia), recorded as WebM (H.264 where the browser offers it, with a keyframe every second)
// and sent in 250 ms chunks over an authenticated WebSocket to the show's packager. A phone held
// upright gives a 9:16 stream.

import { path } from '/admin/api.js';
import { t } from '/admin/i18n.js';

const TYPES = ['video/webm;codecs=h264,opus', 'video/webm;codecs=avc1,opus', 'video/webm;codecs=vp8,opus', 'video/webm'];
const RECONNECT_MS = 1500;
const RESTART_MS = 800;

/** What a page says of the broadcast's state (`onState`): its words, and whether it is on air. */
export function stateText(state, reason, live) {
  if (state === 'refused') return { text: reason, on: false };
  if (state === 'streaming') return { text: t(live ? 'golive.streaming_live' : 'golive.streaming_preview'), on: true };
  return { text: t(state === 'reconnecting' ? 'golive.reconnecting' : 'golive.stopped'), on: false };
}

/** getUserMedia constraints for a show's orientation, with the devices chosen (ids from listDevices). */
export function mediaConstraints(orientation, { cameraId, microphoneId } = {}) {
  const video = orientation === 'vertical'
    ? { width: { ideal: 720 }, height: { ideal: 1280 }, aspectRatio: 9 / 16 }
    : { width: { ideal: 1280 }, height: { ideal: 720 }, aspectRatio: 16 / 9 };
  if (cameraId) video.deviceId = { exact: cameraId };
  else video.facingMode = 'user';
  return { audio: microphoneId ? { deviceId: { exact: microphoneId } } : true, video };
}

/** The cameras and microphones as `{cameras, microphones}` of `{id, label}`; labels stay empty until
 * the page has been allowed to use them. */
export async function listDevices() {
  const devices = await navigator.mediaDevices?.enumerateDevices?.() ?? [];
  const of = (kind) => devices.filter((d) => d.kind === kind && d.deviceId)
    .map((d) => ({ id: d.deviceId, label: d.label }));
  return { cameras: of('videoinput'), microphones: of('audioinput') };
}

/**
 * One show's broadcast from this browser. `onState(state, detail)` hears `streaming`,
 * `reconnecting`, `stopped` and `refused` (detail: the server's reason, in English).
 * `window.vitrineStreaming` says whether chunks are being sent (the end-to-end tests read it).
 */
export function browserBroadcast({ brandId, showId, onState = () => {} }) {
  let media = null;
  let socket = null;
  let recorder = null;
  let stopping = true;

  /** Opens the camera and microphone with `constraints`, replacing the ones in use; throws when refused. */
  async function openCamera(constraints) {
    const next = await navigator.mediaDevices.getUserMedia(constraints);
    const previous = media;
    media = next;
    previous?.getTracks().forEach((track) => track.stop());
    return media;
  }

  function start() {
    const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    stopping = false;
    const ws = new WebSocket(`${scheme}://${location.host}${path`/api/brands/${brandId}/shows/${showId}/ingest`}`);
    let own = null;
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => ws.send(JSON.stringify({ mimeType }));
    ws.onmessage = (event) => {
      const answer = JSON.parse(event.data);
      if (answer.error) {
        onState('refused', answer.error);
        return;
      }
      own = new MediaRecorder(media, {
        mimeType, videoBitsPerSecond: 2_500_000, audioBitsPerSecond: 128_000, videoKeyFrameIntervalDuration: 1000,
      });
      recorder = own;
      own.ondataavailable = (chunk) => {
        if (chunk.data.size && ws.readyState === WebSocket.OPEN) ws.send(chunk.data);
      };
      own.start(250);
      window.vitrineStreaming = true;
      onState('streaming');
    };
    ws.onclose = () => {
      if (own && own.state !== 'inactive') own.stop();
      // A socket replaced by a restart has nothing more to say.
      if (socket !== ws) return;
      window.vitrineStreaming = false;
      if (!stopping) {
        // A network blip or a packager restart: reconnect with a new recording.
        onState('reconnecting');
        setTimeout(() => { if (!stopping && socket === ws) start(); }, RECONNECT_MS);
      } else {
        onState('stopped');
      }
    };
  }

  function stop() {
    stopping = true;
    if (recorder && recorder.state !== 'inactive') recorder.stop();
    socket?.close();
  }

  /** Streams again from the current camera (after a device change): a new recording, once the old
   * socket is closed and the server has let its publisher go (it refuses a second one meanwhile). */
  function restart() {
    const old = socket;
    stop();
    const again = () => setTimeout(() => { if (socket === old) start(); }, RESTART_MS);
    if (!old || old.readyState === WebSocket.CLOSED) again();
    else old.addEventListener('close', again, { once: true });
  }

  /** Stops streaming and turns the camera and microphone off. */
  function release() {
    stop();
    media?.getTracks().forEach((track) => track.stop());
    media = null;
  }

  return {
    openCamera, start, stop, restart, release,
    get media() { return media; },
    get streaming() { return !stopping; },
  };
}
