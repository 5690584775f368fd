// Flash drops: a lineup product at a drop price, from units set aside for it, opening for every
// viewer at once when its countdown ends. Producers make them here; the host starts one on air and
// closes it. The room's `drop` events move the figures; the API is read every 5 s while the page is
// in sight, in case an event was missed. The countdown runs on the server's clock (each answer
// carries `serverTime`), so a tablet whose clock is off still shows what viewers see.

import { api, path } from '/admin/api.js';
import { t } from '/admin/i18n.js';
import { h } from '/admin/lib/dom.js';
import { messageBox, showMessage } from '/admin/lib/forms.js';
import { formatMoney, formatNumber } from '/admin/lib/format.js';
import { dropErrorText, dropForm } from '/studio/app/drop-form.js';
import { confirmAction, panel } from '/studio/app/ui.js';

const REFRESH_MS = 5000;
const TICK_MS = 250;
const CLOCK_SAMPLES = 10;
const OVER = ['ended', 'cancelled', 'missed'];
const BADGES = { ready: 'badge-draft', countdown: 'badge-show-missed', open: 'badge-show-live',
  all_reserved: 'badge-show-missed', sold_out: 'badge-show-ended', closed: 'badge-archived' };

// The room sends ids as Swift writes them (upper case); compare without case.
const key = (id) => String(id).toLowerCase();

/** 9 → "9 s", 125 → "2:05", 3725 → "1:02:05". */
function duration(seconds) {
  if (seconds < 100) return `${seconds} s`;
  const pad = (n) => String(n).padStart(2, '0');
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return hours ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
}

/** `products`: the promise of the lineup's products by lower-case id (lineup.js fetchProducts). */
export function dropsPanel({ room, brandId, show, products: lineupProducts, mayMake }) {
  const url = path`/api/brands/${brandId}/shows/${show.id}/drops`;
  const items = [...(show.lineup ?? [])].sort((a, b) => a.position - b.position);
  const rows = new Map();
  const list = h('ul', { class: 'drop-list', hidden: true });
  const none = h('p', { class: 'muted' }, t('studio.drops_none'));
  const said = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  let products = new Map();
  let brandCurrency = null;
  let canRun = false;
  // The server's clock minus this browser's, in ms. Each answer says it late by its time on the way,
  // never early: the largest of the last few readings is the closest.
  const clock = [];
  let offset = 0;
  let ticker = null;
  let timer = null;
  let reading = false;

  const titleOf = (productId) => products.get(key(productId))?.title ?? t('lineup.unknown', { id: key(productId).slice(0, 8) });
  // The drop price must be in its variant's currency: the product's when loaded, else its show
  // price's or the brand's.
  const currencyOf = (productId) => products.get(key(productId))?.variants?.[0]?.price?.currency
    ?? items.find((item) => key(item.productId) === key(productId))?.showPrice?.currency ?? brandCurrency;

  const form = mayMake && items.length ? dropForm({ brandId, show, items, titleOf, currencyOf, onMade: accept }) : null;

  const secondsLeft = (drop) => Math.max(0, Math.ceil((Date.parse(drop.opensAt) - (Date.now() + offset)) / 1000));

  /** The status now: a countdown that reached zero opens without a word from the server. */
  function statusOf(drop) {
    if (drop.status !== 'countdown' || !drop.opensAt || secondsLeft(drop) > 0) return drop.status;
    return drop.left > 0 ? 'open' : 'sold_out';
  }

  function makeRow(drop) {
    const row = {
      drop, pending: false, status: null,
      li: h('li', { class: 'drop', dataset: { dropId: key(drop.id) }, tabindex: -1 }),
      title: h('h3', { class: 'drop-title' }),
      badge: h('span', { class: 'badge drop-status' }),
      timer: h('p', { class: 'drop-timer', role: 'timer' }),
      price: h('span', { class: 'drop-price' }),
      figures: h('span', {}),
      limit: h('span', {}),
      start: h('button', { type: 'button', class: 'button button-primary' }, t('studio.drop_start')),
      close: h('button', { type: 'button', class: 'button button-danger' }, t('studio.drop_close')),
      box: messageBox(),
    };
    const action = (name) => path`/api/brands/${brandId}/shows/${show.id}/drops/${row.drop.id}/${name}`;
    row.start.addEventListener('click', () => run(row, row.start, () => api.post(action('start'), {})));
    row.close.addEventListener('click', async () => {
      if (row.pending) return;
      const title = titleOf(row.drop.productId);
      const sure = await confirmAction({ title: t('studio.drop_close_title', { title }), text: t('studio.drop_close_confirm'),
        confirm: t('studio.drop_close_yes'), danger: true });
      if (sure) run(row, row.close, () => api.post(action('close'), {}));
    });
    row.li.append(
      h('div', { class: 'drop-head' }, row.title, row.badge),
      row.timer,
      h('p', { class: 'drop-facts' }, row.price, ' · ', row.figures, row.limit),
      h('div', { class: 'actions' }, row.start, row.close),
      row.box);
    return row;
  }

  /** Runs a start or a close once at a time (a double click sends one request), its error below. */
  async function run(row, button, request) {
    if (row.pending) return;
    row.pending = true;
    showMessage(row.box, '');
    button.setAttribute('aria-busy', 'true');
    draw(row);
    try {
      accept(await request());
    } catch (error) {
      showMessage(row.box, dropErrorText(error), 'error');
    } finally {
      row.pending = false;
      button.removeAttribute('aria-busy');
      draw(row);
    }
    // The pressed button goes once done: keep the keyboard's place in the drop.
    if (button.hidden && document.activeElement === document.body) (row.close.hidden ? row.li : row.close).focus();
  }

  function draw(row) {
    const { drop } = row;
    const status = statusOf(drop);
    const title = titleOf(drop.productId);
    const words = t(`studio.drop_status.${status}`);
    row.title.textContent = title;
    row.badge.textContent = words;
    row.badge.className = `badge drop-status ${BADGES[status] ?? ''}`;
    row.li.classList.toggle('drop-live', ['countdown', 'open'].includes(status));
    row.li.classList.toggle('drop-closed', status === 'closed');
    row.timer.hidden = status !== 'countdown';
    row.timer.textContent = status === 'countdown' && drop.opensAt ? t('studio.drop_opens_in', { time: duration(secondsLeft(drop)) }) : '';
    row.price.textContent = formatMoney(drop.price);
    row.figures.textContent = [
      t('studio.drop_units', { n: drop.quantity, count: formatNumber(drop.quantity) }),
      t('studio.drop_left', { n: drop.left, count: formatNumber(drop.left) }),
      t('studio.drop_sold', { n: drop.sold, count: formatNumber(drop.sold) })].join(' · ');
    row.limit.textContent = drop.perCustomer ? ` · ${t('studio.drop_limit', { n: drop.perCustomer, count: formatNumber(drop.perCustomer) })}` : '';
    row.start.hidden = !(canRun && status === 'ready');
    row.close.hidden = !(canRun && status !== 'closed');
    row.start.disabled = row.pending;
    row.close.disabled = row.pending;
    row.start.setAttribute('aria-label', t('studio.drop_start_n', { title }));
    row.close.setAttribute('aria-label', t('studio.drop_close_n', { title }));
    if (row.status && row.status !== status) said.textContent = t('studio.drop_changed', { title, status: words });
    row.status = status;
  }

  const drawAll = () => rows.forEach(draw);

  /** Runs the countdowns' clock while one counts down. */
  function tick() {
    const counting = [...rows.values()].some((row) => statusOf(row.drop) === 'countdown');
    if (counting && ticker === null) {
      ticker = setInterval(() => {
        rows.forEach((row) => { if (row.drop.status === 'countdown') draw(row); });
        tick();
      }, TICK_MS);
    } else if (!counting && ticker !== null) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  /** A drop as the server sees it (an answer, an event, the snapshot); older news is dropped. */
  function accept(view) {
    if (!view?.id) return;
    const served = Date.parse(view.serverTime);
    if (Number.isFinite(served)) {
      clock.push(served - Date.now());
      if (clock.length > CLOCK_SAMPLES) clock.shift();
      offset = Math.max(...clock);
    }
    let row = rows.get(key(view.id));
    if (row && Date.parse(row.drop.serverTime) > served) return;
    if (row) {
      row.drop = view;
    } else {
      row = makeRow(view);
      rows.set(key(view.id), row);
      list.append(row.li);
    }
    draw(row);
    list.hidden = false;
    none.hidden = true;
    tick();
  }

  /** The API's list, oldest first: the order the rows keep (moved only when it differs). */
  function order(views) {
    const wanted = views.map((view) => rows.get(key(view.id))?.li).filter(Boolean);
    const shown = [...list.children];
    if (wanted.some((li, i) => shown[i] !== li)) list.prepend(...wanted);
  }

  async function refresh() {
    if (reading) return;
    reading = true;
    try {
      const { items: views } = await api.get(url, { redirectOn401: false });
      views.forEach(accept);
      order(views);
    } catch {
      // The room's events still come; the next read will tell.
    } finally {
      reading = false;
    }
  }

  const visible = () => document.visibilityState === 'visible';
  function stop() {
    clearInterval(timer);
    timer = null;
  }
  function start() {
    stop();
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  function showStatus(status) {
    if (form) form.el.hidden = OVER.includes(status);
  }

  room.on('snapshot', (snapshot) => {
    canRun = Boolean(snapshot.you?.canRun);
    (snapshot.drops ?? []).forEach(accept);
    drawAll();
    showStatus(snapshot.show?.status);
    if (timer !== null) refresh();
  });
  room.on('drop', (event) => accept(event.drop));
  room.on('show_state', (event) => showStatus(event.status));
  document.addEventListener('visibilitychange', () => (visible() ? start() : stop()));
  window.addEventListener('pagehide', stop);
  lineupProducts?.then((found) => {
    products = found;
    drawAll();
    form?.relabel();
  });
  if (form) {
    api.get(path`/api/brands/${brandId}`, { redirectOn401: false }).then((brand) => {
      brandCurrency = brand?.currency ?? null;
      form.relabel();
    }).catch(() => {});
  }
  if (visible()) start();
  showStatus(show.status);

  return panel(t('studio.drops'), h('p', { class: 'hint' }, t('studio.drops_hint')), list, none, said,
    form?.el ?? (items.length ? null : h('p', { class: 'muted' }, t('lineup.none'))));
}
