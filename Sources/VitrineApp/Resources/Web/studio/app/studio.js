// The studio of one show (`/studio/SHOW_ID`), for the host, the producer and the moderators on a
// tablet next to the camera: going live (this browser or OBS), the stream's health, what viewers
// see, the lineup's pins and stock, its flash drops, the sales, the audience, the chat and its
// moderation, announcements, polls and giveaways. The room's WebSocket (room.js) feeds every
// panel; each panel is its own module.

import { t } from '/admin/i18n.js';
import { h, clear } from '/admin/lib/dom.js';
import { can } from '/admin/lib/session.js';
import { streamPanel } from '/admin/views/show/stream.js';
import { streamKeyPanel } from '/admin/views/show/streamkey.js';
import { announcePanel } from '/studio/app/announce.js';
import { cameraPanel } from '/studio/app/camera.js';
import { chatPanel } from '/studio/app/chat.js';
import { dropsPanel } from '/studio/app/drops.js';
import { giveawayPanel } from '/studio/app/giveaway.js';
import { fetchProducts, lineupPanel } from '/studio/app/lineup.js';
import { onAirBar } from '/studio/app/onair.js';
import { pollPanel } from '/studio/app/poll.js';
import { reportsPanel } from '/studio/app/reports.js';
import { connectRoom } from '/studio/app/room.js';
import { salesPanel } from '/studio/app/sales.js';
import { openShow } from '/studio/app/show.js';
import { panel } from '/studio/app/ui.js';
import { viewersPanel } from '/studio/app/viewers.js';

const main = document.getElementById('main');

/** What viewers see: the player page itself, muted, in a frame. */
function outputPanel(show) {
  const src = `/watch/${encodeURIComponent(show.id)}?muted=1`;
  return panel(t('studio.output'),
    h('iframe', { src, class: `output-frame ${show.orientation}`, title: t('studio.output_frame', { title: show.title }),
      allow: 'autoplay; fullscreen' }),
    h('p', { class: 'hint' }, h('a', { href: src, target: '_blank', rel: 'noopener' }, t('studio.output_open'))));
}

async function start() {
  const found = await openShow();
  if (!found) {
    clear(main).append(h('p', { class: 'message message-error' }, t('app.no_brand')));
    return;
  }
  const { show, brandId } = found;
  const mayPresent = can(brandId, 'shows.present');
  // What the admin's stream and key cards expect of a page. Their link to the go-live page is left
  // out (`shows.present` answered no): the studio goes live from this browser itself.
  const leaving = [];
  const ctx = {
    brandId,
    can: (action) => action !== 'shows.present' && can(brandId, action),
    onLeave: (handler) => leaving.push(handler),
  };
  const leave = () => leaving.splice(0).forEach((handler) => handler());
  window.addEventListener('pagehide', leave);
  // Back from the back-forward cache, the timers and sockets are gone: start afresh.
  window.addEventListener('pageshow', (event) => { if (event.persisted) location.reload(); });

  const room = connectRoom(show.id);
  // The lineup's products, read once for the panels that name them.
  const products = fetchProducts(brandId, show.lineup ?? []);
  const onAir = ['scheduled', 'live'].includes(show.status);
  const camera = mayPresent && onAir ? cameraPanel({ brandId, show, status: () => show.status }) : null;
  const key = mayPresent && onAir ? streamKeyPanel(ctx, {
    revealPath: `/api/brands/${encodeURIComponent(brandId)}/shows/${encodeURIComponent(show.id)}/stream-key`,
    hint: show.streamKeyHint, sharedWithSeries: Boolean(show.seriesId),
  }) : null;
  const stream = onAir ? streamPanel(ctx, show) : null;
  const ended = h('p', { class: 'message message-info', hidden: show.status !== 'ended' }, t('golive.ended'));

  /** Once the show is over there is nothing more to stream: the camera, the stream and its key go. */
  function over(status) {
    camera?.release();
    leave();
    for (const el of [camera?.el, stream, key?.el]) el?.remove();
    ended.hidden = status !== 'ended';
  }

  const bar = onAirBar({
    room, brandId, show, mayPresent,
    onStatus: (status) => { if (!['scheduled', 'live'].includes(status)) over(status); },
  });

  document.title = `${show.title} · ${t('studio.title')}`;
  clear(main).append(
    h('header', { class: 'studio-header' },
      h('div', {},
        h('p', { class: 'muted small studio-kicker' }, t('studio.title'), ' · ',
          h('a', { href: `/admin/#/brands/${encodeURIComponent(brandId)}/shows/${encodeURIComponent(show.id)}` },
            t('golive.back'))),
        h('h1', { class: 'page-title' }, show.title)),
      bar),
    h('div', { class: 'studio-grid' },
      h('div', { class: 'studio-column studio-broadcast' },
        outputPanel(show), ended, camera?.el, stream, key?.el),
      h('div', { class: 'studio-column studio-run' },
        lineupPanel({ room, brandId, show, products }),
        dropsPanel({ room, brandId, show, products, mayMake: can(brandId, 'shows.manage') }),
        salesPanel({ room, brandId, show }), viewersPanel({ room }),
        announcePanel({ room }), pollPanel({ room }), giveawayPanel({ room })),
      h('div', { class: 'studio-column studio-chat' },
        chatPanel({ room }), reportsPanel({ room, brandId, show }))));
}

start();
