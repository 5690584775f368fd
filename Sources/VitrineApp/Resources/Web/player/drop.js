// Flash drops in the player: a banner that counts down to the drop's opening, then offers the drop
// price with the units left, then says "sold out". The opening is one wall-clock instant for every
// viewer, whatever their video's delay: it follows the server's clock (each FlashDropView carries
// `serverTime`), not the media time, and the server does not announce it (each countdown reaching
// zero opens it). Realtime `drop` events and the snapshot feed this module; player.js buys. Server
// text only ever becomes text nodes.

import { h, fill } from '/admin/lib/dom.js';

const SHOWN = new Set(['countdown', 'open', 'all_reserved', 'sold_out']);
const MAX_BANNERS = 2;

/**
 * The drops of one player page. `product(productId)` is the lineup entry's product (title, variants);
 * `canBuy()` says whether a Buy button can do anything here; `buy(view)` adds one unit and resolves
 * when done; `changed(productId)` runs when what a drop offers changes (not on every tick).
 */
export function createDrops({ tr, money, clock, product, canBuy, buy, changed }) {
  const drops = new Map(); // id → { view, phase, banner }
  const hidden = new Set(); // sold-out banners the viewer put away
  let offset = null; // the server's clock minus this device's, in ms
  let ticker = null;
  const said = h('p', { class: 'sr-only', role: 'status' });
  const node = h('div', { class: 'drops' }, said);

  /** Learns the server's clock from a view's `serverTime`, read as it arrives. Its whole seconds and
   * the network make each reading late, never early, so the largest is the nearest: a countdown ends
   * at the drop's opening or within a second after (the server opens drops on a whole second), never
   * before. A reading far below means this device's clock was set forward meanwhile. */
  function sync(serverTime) {
    const reading = Date.parse(serverTime) - Date.now();
    if (!Number.isFinite(reading)) return;
    offset = offset === null || reading < offset - 5000 ? reading : Math.max(offset, reading);
  }

  /** Milliseconds until the drop opens, on the server's clock. */
  function remaining(view) {
    const opens = Date.parse(view.opensAt ?? '');
    if (!Number.isFinite(opens)) return 0;
    return opens - (Date.now() + (offset ?? 0));
  }

  /** What the viewer sees of a drop now: the server's status, or "open" once the countdown is over. */
  function phaseOf(view) {
    if (view.status !== 'countdown') return view.status;
    if (remaining(view) > 0) return 'countdown';
    return view.left > 0 ? 'open' : 'sold_out';
  }

  /** A drop's view as the server sent it (an event, the snapshot, the page's boot data). */
  function update(view) {
    if (!view?.id) return;
    if (view.serverTime) sync(view.serverTime);
    const known = drops.get(view.id);
    if (view.status === 'closed') { if (known) forget(known); return; }
    const drop = known ?? { view, phase: null, banner: null, announced: null };
    const before = known ? JSON.stringify({ ...known.view, serverTime: null }) : null;
    drop.view = view;
    drops.set(view.id, drop);
    draw(drop);
    if (before !== JSON.stringify({ ...view, serverTime: null })) changed(view.productId);
    layout();
  }

  /** The snapshot lists the drops not closed: one this page knew and the list lacks was closed. */
  function snapshot(views) {
    const listed = new Set(views.map((v) => v.id));
    for (const drop of [...drops.values()]) if (!listed.has(drop.view.id)) forget(drop);
    for (const view of views) update(view);
  }

  /** A closed drop: its banner goes. */
  function forget(drop) {
    drops.delete(drop.view.id);
    drop.banner = null;
    changed(drop.view.productId);
    layout();
  }

  function draw(drop) {
    const { view } = drop;
    const phase = phaseOf(view);
    const moved = phase !== drop.phase;
    drop.phase = phase;
    if (!SHOWN.has(phase) || hidden.has(view.id)) { drop.banner?.remove(); drop.banner = null; return; }
    if (!drop.banner) drop.banner = banner(drop);
    const b = drop.banner;
    b.root.dataset.status = phase;
    b.root.setAttribute('aria-label', `${tr('drop')}: ${titleOf(view)}`);
    const text = headline(view, phase);
    if (b.head.textContent !== text) b.head.textContent = text;
    if (phase === 'countdown') b.head.setAttribute('role', 'timer');
    else b.head.removeAttribute('role');
    if (moved || b.offerKey !== offerKey(view, phase)) {
      b.offerKey = offerKey(view, phase);
      fill(b.offer, h('span', { class: 'drop-title' }, titleOf(view)), ' ',
        phase === 'countdown' ? prices(view) : null);
    }
    b.flag.hidden = phase === 'countdown'; // the countdown's line says "Flash drop" already
    b.buy.hidden = phase !== 'open' || !canBuy();
    b.dismiss.hidden = phase !== 'sold_out';
    if (moved) announce(drop, phase);
    else if (phase === 'countdown') announceTick(drop);
  }

  function banner(drop) {
    const head = h('p', { class: 'drop-head', 'aria-live': 'off' });
    const offer = h('p', { class: 'drop-offer' });
    const buyButton = h('button', { type: 'button', class: 'primary drop-buy', onclick: async () => {
      if (buyButton.getAttribute('aria-busy')) return;
      buyButton.setAttribute('aria-busy', 'true');
      try { await buy(drop.view); } finally { buyButton.removeAttribute('aria-busy'); }
    } }, tr('drop_buy'));
    const dismiss = h('button', { type: 'button', class: 'drop-dismiss', 'aria-label': tr('drop_hide'), onclick: () => {
      hidden.add(drop.view.id);
      draw(drop);
      layout();
    } }, '×');
    const flag = h('p', { class: 'drop-flag' }, tr('drop'));
    const root = h('section', { class: 'drop', dataset: { id: drop.view.id } },
      h('div', { class: 'drop-text' }, flag, head, offer), buyButton, dismiss);
    return { root, flag, head, offer, buy: buyButton, dismiss, offerKey: null };
  }

  function headline(view, phase) {
    switch (phase) {
      case 'countdown': return tr('drop_in', clock(Math.ceil(remaining(view) / 1000)));
      case 'open': return tr('drop_now', money(view.price), view.left);
      case 'all_reserved': return tr('drop_all_held');
      default: return tr('sold_out');
    }
  }

  function offerKey(view, phase) {
    return `${phase === 'countdown'}|${titleOf(view)}|${view.price?.amount}|${regular(view)?.amount}`;
  }

  /** The drop price, the regular price struck beside it (as the cart shows it). */
  function prices(view) {
    const was = regular(view);
    return h('span', { class: 'price' }, money(view.price),
      was && was.amount > view.price.amount ? h('s', {}, h('span', { class: 'sr-only' }, ` ${tr('instead_of')} `), money(was)) : null);
  }

  function titleOf(view) { return product(view.productId)?.title ?? ''; }

  function regular(view) {
    return product(view.productId)?.variants.find((v) => v.id === view.variantId)?.price ?? null;
  }

  // Screen readers hear the start, every 10 s, the last 5 s, the opening and the end: not each tick.
  function announce(drop, phase) {
    const { view } = drop;
    if (phase === 'countdown') {
      drop.announced = Math.ceil(remaining(view) / 1000);
      const was = regular(view);
      said.textContent = `${tr('drop_in', clock(drop.announced))}: ${titleOf(view)}, ${money(view.price)}`
        + (was && was.amount > view.price.amount ? ` ${tr('instead_of')} ${money(was)}` : '');
    } else if (phase === 'open') said.textContent = `${headline(view, phase)}: ${titleOf(view)}`;
    else if (phase === 'sold_out' || phase === 'all_reserved') said.textContent = `${titleOf(view)}: ${headline(view, phase)}`;
  }

  function announceTick(drop) {
    const seconds = Math.ceil(remaining(drop.view) / 1000);
    if (seconds === drop.announced || !(seconds % 10 === 0 || seconds === 5) || seconds <= 0) return;
    drop.announced = seconds;
    said.textContent = tr('drop_in', clock(seconds));
  }

  /** The newest drops first, two at most; the clock ticks while one counts down. Banners are moved
   * only when the list changes (a focused Buy keeps its focus, the live region its place). */
  function layout() {
    const shown = [...drops.values()].filter((d) => d.banner).reverse().slice(0, MAX_BANNERS).map((d) => d.banner.root);
    const now = [...node.children].filter((child) => child !== said);
    if (shown.length !== now.length || shown.some((root, i) => root !== now[i])) {
      for (const child of now) if (!shown.includes(child)) child.remove();
      node.append(...shown);
    }
    const counting = [...drops.values()].some((d) => d.phase === 'countdown');
    if (counting && !ticker) ticker = setInterval(tick, 200);
    if (!counting && ticker) { clearInterval(ticker); ticker = null; }
  }

  function tick() {
    for (const drop of drops.values()) {
      const before = drop.phase;
      draw(drop);
      if (drop.phase !== before) changed(drop.view.productId);
    }
    layout();
  }

  /** A product's drop not closed (made, counting down, open, sold out…), and what the viewer sees of it. */
  function of(productId) {
    for (const drop of drops.values()) {
      if (drop.view.productId === productId) return { view: drop.view, phase: drop.phase };
    }
    return null;
  }

  /** A variant's drop limit per buyer, for the checkout's words. */
  function limit(variantId) {
    for (const drop of drops.values()) if (drop.view.variantId === variantId) return drop.view.perCustomer ?? null;
    return null;
  }

  return { node, update, snapshot, of, limit };
}
