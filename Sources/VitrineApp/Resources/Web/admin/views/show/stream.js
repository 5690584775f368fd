// The studio's stream card: is the encoder connected, how healthy is its stream (bitrate, frame
// rate, keyframe interval, audio), what to fix, and the preview picture before and during the show.
// The preview plays HLS where the browser can natively (Chromium, Safari); the player issue brings
// a Media Source loader for the others.

import { api, path } from '../../api.js';
import { t } from '../../i18n.js';
import { h, fill } from '../../lib/dom.js';

export function streamPanel(ctx, show) {
  const status = h('p', { class: 'stream-status', 'aria-live': 'polite' });
  const figures = h('dl', { class: 'stream-figures' });
  const warnings = h('ul', { class: 'stream-warnings', 'aria-live': 'polite' });
  const video = h('video', { muted: true, autoplay: true, playsinline: true, controls: true, class: 'stream-preview',
    'aria-label': t('streamhealth.preview') });
  video.muted = true;
  let previewing = null;
  let timer = null;

  async function refresh() {
    let view;
    try {
      view = await api.get(path`/api/brands/${ctx.brandId}/shows/${show.id}/stream`);
    } catch {
      return;
    }
    const health = view.health;
    status.textContent = health.publishing ? t('streamhealth.connected') : t('streamhealth.waiting', { server: view.server });
    status.className = `stream-status ${health.publishing ? 'on' : 'off'}`;
    const number = (n, digits = 0) => (n == null ? '—' : n.toLocaleString(undefined, { maximumFractionDigits: digits }));
    fill(figures, [
      [t('streamhealth.bitrate'), `${number(health.bitrateKbps)} kbit/s`],
      [t('streamhealth.fps'), number(health.frameRate, 1)],
      [t('streamhealth.keyframes'), health.keyframeInterval == null ? '—' : `${number(health.keyframeInterval, 1)} s`],
      [t('streamhealth.audio'), t(health.audio ? 'audience.yes' : 'audience.no')],
      [t('streamhealth.segments'), number(health.segments)],
    ].flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
    fill(warnings, health.warnings.map((w) => h('li', { class: 'message message-warning' }, w)),
      (health.simulcast ?? []).map((d) => h('li', {}, t('streamhealth.simulcast', { name: d.name, state: d.state }),
        d.error ? h('span', { class: 'hint' }, ` — ${d.error}`) : null)));
    // The preview starts once a few segments exist; after an error (playlist not there yet, a
    // network blip) the next refresh tries again.
    const wanted = health.segments >= 2 ? view.previewUrl : null;
    if (wanted && previewing !== wanted && video.canPlayType('application/vnd.apple.mpegurl')) {
      previewing = wanted;
      video.src = wanted;
      video.play().catch(() => {});
    }
  }

  video.addEventListener('error', () => { previewing = null; });
  timer = setInterval(refresh, 2000);
  ctx.onLeave(() => {
    clearInterval(timer);
    video.removeAttribute('src');
    video.load();
  });
  refresh();
  const noNative = video.canPlayType('application/vnd.apple.mpegurl')
    ? null : h('p', { class: 'hint' }, t('streamhealth.no_native'));
  const goLive = ctx.can('shows.present')
    ? h('p', { class: 'actions' },
      h('a', { class: 'button', href: `/studio/${encodeURIComponent(show.id)}/go-live` }, t('golive.open')),
      h('a', { class: 'button', href: `/studio/${encodeURIComponent(show.id)}` }, t('studio.open')))
    : null;
  return h('section', { class: 'card', 'aria-labelledby': 'streamhealth-title' },
    h('h2', { id: 'streamhealth-title' }, t('streamhealth.title')), status, video, noNative, goLive, figures, warnings,
    h('p', { class: 'hint' }, t('streamhealth.settings')));
}
