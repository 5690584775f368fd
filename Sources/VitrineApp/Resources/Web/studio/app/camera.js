// Going live from this browser, in the studio: choose the camera and the microphone, see the
// preview, start and stop streaming (broadcast.js does the capture and the sending).

import { t } from '/admin/i18n.js';
import { h, uid } from '/admin/lib/dom.js';
import { browserBroadcast, listDevices, mediaConstraints, stateText } from '/studio/app/broadcast.js';
import { panel } from '/studio/app/ui.js';

function deviceSelect(labelText, defaultText) {
  const select = h('select', { id: uid('device') }, h('option', { value: '' }, defaultText));
  return { select, el: h('div', { class: 'field' }, h('label', { for: select.id }, labelText), select) };
}

/** `status()` is the show's status now (the messages differ before and during the show). */
export function cameraPanel({ brandId, show, status }) {
  const message = h('p', { class: 'studio-status', 'aria-live': 'polite' }, t('golive.ready'));
  const video = h('video', { class: `camera ${show.orientation}`, muted: true, autoplay: true, playsinline: true,
    'aria-label': t('studio.camera_preview'), hidden: true });
  video.muted = true;
  const camera = deviceSelect(t('studio.camera'), t('studio.default_camera'));
  const microphone = deviceSelect(t('studio.microphone'), t('studio.default_microphone'));
  const onButton = h('button', { type: 'button', class: 'button' }, t('golive.camera'));
  const offButton = h('button', { type: 'button', class: 'button', hidden: true }, t('studio.camera_off'));
  const streamButton = h('button', { type: 'button', class: 'button button-primary', disabled: true }, t('golive.stream'));
  const stopButton = h('button', { type: 'button', class: 'button', disabled: true }, t('golive.stop'));

  function say(text, on = false) {
    message.textContent = text;
    message.className = `studio-status${on ? ' on' : ''}`;
  }

  const broadcast = browserBroadcast({
    brandId, showId: show.id,
    onState: (state, reason) => {
      const streaming = state === 'streaming';
      stopButton.disabled = !streaming;
      streamButton.disabled = streaming || !broadcast.media;
      offButton.disabled = streaming;
      const { text, on } = stateText(state, reason, status() === 'live');
      say(text, on);
    },
  });

  async function fillDevices() {
    const { cameras, microphones } = await listDevices();
    for (const [{ select }, devices, fallback] of [[camera, cameras, 'studio.camera_n'], [microphone, microphones, 'studio.microphone_n']]) {
      const chosen = select.value;
      select.replaceChildren(select.options[0],
        ...devices.map((device, i) => h('option', { value: device.id }, device.label || t(fallback, { n: i + 1 }))));
      select.value = devices.some((d) => d.id === chosen) ? chosen : '';
    }
  }

  async function turnOn() {
    try {
      video.srcObject = await broadcast.openCamera(mediaConstraints(show.orientation, {
        cameraId: camera.select.value, microphoneId: microphone.select.value,
      }));
      video.hidden = false;
      onButton.hidden = true;
      offButton.hidden = false;
      streamButton.disabled = broadcast.streaming;
      if (!broadcast.streaming) say(t('golive.camera_on'));
      // Device names are only given once the page may use them.
      await fillDevices();
      return true;
    } catch (error) {
      say(t('golive.no_camera', { reason: error.message }));
      return false;
    }
  }

  function turnOff() {
    broadcast.release();
    video.srcObject = null;
    video.hidden = true;
    onButton.hidden = false;
    offButton.hidden = true;
    streamButton.disabled = true;
    say(t('golive.ready'));
    onButton.focus();
  }

  async function switchDevice() {
    if (!broadcast.media) return;
    const streaming = broadcast.streaming;
    if ((await turnOn()) && streaming) broadcast.restart();
  }

  onButton.addEventListener('click', turnOn);
  offButton.addEventListener('click', turnOff);
  streamButton.addEventListener('click', () => broadcast.start());
  stopButton.addEventListener('click', () => broadcast.stop());
  camera.select.addEventListener('change', switchDevice);
  microphone.select.addEventListener('change', switchDevice);
  navigator.mediaDevices?.addEventListener?.('devicechange', () => fillDevices().catch(() => {}));
  fillDevices().catch(() => {});
  window.addEventListener('pagehide', () => broadcast.release());

  const el = panel(t('studio.from_browser'),
    h('p', { class: 'hint' }, t(show.orientation === 'vertical' ? 'golive.hint_vertical' : 'golive.hint_horizontal')),
    h('div', { class: 'device-row' }, camera.el, microphone.el),
    video, message,
    h('div', { class: 'studio-controls' }, onButton, offButton, streamButton, stopButton));
  return { el, release: () => broadcast.release() };
}
