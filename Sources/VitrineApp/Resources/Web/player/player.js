// The viewer's player (/watch/SHOW, also what the embed frames): the video (our MSE loader, so that
// currentTime is media time), the lineup and the pinned products, the chat, reactions, polls,
// giveaways, announcements, the replay's chapters, and the postMessage bridge to the brand's page.
// Flash drops (drop.js) are the exception to the rule below: their countdown follows the server's
// wall clock, so that every viewer sees a drop open at the same instant whatever their video's delay.
//
// One rule drives everything shown in sync with the video: every timed event (pin, poll,
// announcement, chat message…) goes into one log ordered by `at`, and what is on screen is what the
// log says at the media time of the frame on screen. Live, a replay, or a viewer who went back 10 s:
// the same code. User text only ever becomes text nodes.

import { h, fill, clear } from '/admin/lib/dom.js';
import { HlsPlayer } from '/player/mse.js';
import { words } from '/player/words.js';
import { describe } from '/player/describe.js';
import { createCheckout } from '/player/checkout.js';
import { createDrops } from '/player/drop.js';

const boot = JSON.parse(document.getElementById('vitrine-boot').textContent);
const query = new URLSearchParams(location.search);
const show = boot.show;
const lang = boot.language;
const tr = (key, ...args) => {
  let text = words[lang]?.[key] ?? words.en[key] ?? key;
  args.forEach((arg, i) => { text = text.replace(`{${i}}`, () => String(arg)); });
  return text;
};
document.documentElement.lang = lang;
if (/^#[0-9a-fA-F]{6}$/.test(boot.brand.accentColor)) document.documentElement.style.setProperty('--accent', boot.brand.accentColor);

// MARK: Identity (this frame's own storage: no third-party cookie)

function stored(key, make) {
  try {
    let value = localStorage.getItem(key);
    if (!value && make) {
      value = make();
      localStorage.setItem(key, value);
    }
    return value;
  } catch {
    return make ? make() : null;
  }
}
function store(key, value) {
  try { localStorage.setItem(key, value); } catch { /* storage refused: this page's memory only */ }
}
/** 32 random hex digits (getRandomValues: randomUUID needs a secure context, which a frame on an
 * http:// site is not). */
function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
let viewerId = stored('vitrine.viewer', randomId);
let displayName = stored('vitrine.name');

// MARK: Formatting

const moneyFormats = new Map();
function money(value) {
  if (!value) return '';
  let format = moneyFormats.get(value.currency);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: value.currency });
    moneyFormats.set(value.currency, format);
  }
  return format.format(value.amount / 10 ** format.resolvedOptions().maximumFractionDigits);
}
function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, '0');
  return `${hh ? `${hh}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

// MARK: The page

const lineup = new Map(boot.lineup.map((entry) => [entry.product.id, entry]));
const stock = new Map(boot.lineup.map((entry) => [entry.product.id, entry.stock]));
const parentOrigin = window.parent !== window ? boot.parentOrigin : null;

const video = h('video', { class: 'video', playsinline: true, muted: true, autoplay: true, preload: 'auto', 'aria-label': tr('video') });
video.muted = true;
const cover = show.coverUrl ? h('img', { class: 'cover', src: show.coverUrl, alt: '' }) : null;
const badge = h('span', { class: 'badge', hidden: true });
const viewersText = h('span', { class: 'viewers', hidden: true, 'aria-live': 'off' });
const langButton = h('a', { class: 'chip', href: `?${new URLSearchParams({ ...Object.fromEntries(query), lang: lang === 'fr' ? 'en' : 'fr' })}`, lang: lang === 'fr' ? 'en' : 'fr' }, lang === 'fr' ? 'EN' : 'FR');
/** A small line icon (SVG built node by node, like everything else). */
function icon(d) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}
const shareButton = h('button', { type: 'button', class: 'chip round', 'aria-label': tr('share'), title: tr('share'), onclick: share },
  icon('M12 3v12M7 8l5-5 5 5M5 13v7h14v-7'));
const pipButton = h('button', { type: 'button', class: 'chip round', 'aria-label': tr('pip'), title: tr('pip'), hidden: !document.pictureInPictureEnabled, onclick: pip },
  icon('M3 5h18v14H3zM12 12h7v5h-7z'));
const unmute = h('button', { type: 'button', class: 'unmute', onclick: toggleMute }, tr('unmute'));
const playButton = h('button', { type: 'button', class: 'icon', 'aria-label': tr('pause'), onclick: togglePlay }, '❚❚');
const liveButton = h('button', { type: 'button', class: 'back-live', hidden: true, onclick: backToLive }, tr('back_live'));
const seekBar = h('input', { type: 'range', class: 'seek', min: 0, max: 0, step: 0.1, value: 0, hidden: true, 'aria-label': tr('position') });
const timeText = h('span', { class: 'time', hidden: true });
const notice = h('p', { class: 'notice', role: 'status', hidden: true });
const hearts = h('div', { class: 'hearts', 'aria-hidden': 'true' });
const pinned = h('section', { class: 'pinned', 'aria-label': tr('pinned'), 'aria-live': 'polite' });
const banner = h('p', { class: 'announcement', role: 'status', hidden: true });
const question = h('div', { class: 'question', hidden: true });
const pollBox = h('section', { class: 'card poll', hidden: true, 'aria-label': tr('poll') });
const giveawayBox = h('section', { class: 'card giveaway', hidden: true, 'aria-label': tr('giveaway') });
const chatList = h('ol', { class: 'chat', 'aria-label': tr('chat'), 'aria-live': 'polite', 'aria-relevant': 'additions' });
const chatInput = h('input', { type: 'text', maxlength: 300, autocomplete: 'off', 'aria-label': tr('say') , placeholder: tr('say') });
const chatForm = h('form', { class: 'chat-form', onsubmit: sendChat }, chatInput, h('button', { type: 'submit', class: 'send' }, tr('send')));
const heartButton = h('button', { type: 'button', class: 'react', 'aria-label': tr('heart'), onclick: react }, '♥');
const carousel = h('ul', { class: 'carousel', 'aria-label': tr('products') });
const chapters = h('ol', { class: 'chapters' });
const chaptersBox = h('section', { class: 'chapters-box', hidden: true, 'aria-label': tr('chapters') }, h('h2', {}, tr('chapters')), chapters);
const before = h('section', { class: 'before', hidden: true });
const sheet = h('dialog', { class: 'sheet', 'aria-label': tr('product') });
const drops = createDrops({
  tr, money, clock, product: (id) => lineup.get(id)?.product, canBuy: () => Boolean(checkout || parentOrigin),
  buy: buyDrop, changed: dropChanged,
});
// Over a vertical video, above the pinned product; under a horizontal one, on top of the panel.
const vertical = show.orientation === 'vertical';

const logo = boot.brand.logoUrl ? h('img', { class: 'logo', src: boot.brand.logoUrl, alt: boot.brand.name }) : h('span', { class: 'brand' }, boot.brand.name);
const stage = h('div', { class: 'stage' },
  cover, video, h('p', { class: 'stage-title', 'aria-hidden': 'true' }, show.title),
  h('div', { class: 'top' }, logo, badge, viewersText, h('span', { class: 'spacer' }), langButton, pipButton, shareButton),
  unmute, liveButton, hearts, banner,
  h('div', { class: 'overlay' }, question, pollBox, giveawayBox, vertical ? drops.node : null, pinned),
  h('div', { class: 'controls' }, playButton, seekBar, timeText));
const side = h('div', { class: 'side' },
  vertical ? null : drops.node, before, chaptersBox, h('h2', { class: 'sr-only' }, tr('products')), carousel,
  h('section', { class: 'talk', 'aria-label': tr('chat') }, chatList, h('div', { class: 'chat-row' }, chatForm, heartButton)));
document.body.append(h('h1', { class: 'sr-only' }, show.title), h('main', { class: `player ${show.orientation}` }, stage, side), notice, sheet);

function say(text, ms = 4000) {
  notice.textContent = text;
  notice.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { notice.hidden = true; }, ms);
}

// MARK: The log of timed events, and what it says at the frame on screen

let log = []; // events with `at`, in order
let status = show.status;
let hls = null;
let origin = null; // media time where the show (and its replay) starts
const pollCounts = new Map();
const giveawayEntries = new Map();
const deleted = new Set();
let lastCount = -1;
let viewerCount = null;

function insert(event) {
  // `at` is on the event, or on what it carries (a pinned product, a poll, a message…).
  const at = event.at ?? event.product?.at ?? event.message?.at ?? event.poll?.at ?? event.giveaway?.at;
  event.at = typeof at === 'number' ? at : Number.NEGATIVE_INFINITY;
  let i = log.length;
  while (i > 0 && log[i - 1].at > event.at) i -= 1;
  log.splice(i, 0, event);
  lastCount = -1;
  // A long live show keeps its last 300 chat messages (the replay's log is the whole timeline).
  if (event.type === 'chat' && status === 'live' && (insert.chats = (insert.chats ?? 0) + 1) > 400) {
    let extra = 100;
    log = log.filter((e) => !(e.type === 'chat' && extra-- > 0));
    insert.chats = 300;
  }
}

/** The media time of the frame on screen; +Infinity until a video has shown a frame (then
 * everything shows: a show without video, or a browser that cannot play it). */
let clockStarted = false;
video.addEventListener('loadeddata', () => { clockStarted = true; });
function now() {
  if (!hls || !clockStarted) return Number.POSITIVE_INFINITY;
  return hls.mediaTime;
}

function render() {
  const t = now();
  let count = 0;
  while (count < log.length && log[count].at <= t) count += 1;
  if (count === lastCount && !render.dirty) return;
  lastCount = count;
  render.dirty = false;
  const pins = new Map();
  let poll = null;
  let giveaway = null;
  let asked = null;
  let announcement = null;
  const chat = [];
  for (const event of log.slice(0, count)) {
    switch (event.type) {
      case 'product_pinned': pins.set(event.product.productId, event.product); break;
      case 'product_unpinned': pins.delete(event.productId); break;
      case 'poll_opened': poll = { ...event.poll }; break;
      case 'poll_closed': if (poll?.id === event.pollId) poll = { ...poll, closed: true, counts: event.counts }; break;
      case 'giveaway_opened': giveaway = { ...event.giveaway }; break;
      case 'giveaway_winner': if (giveaway?.id === event.giveawayId) giveaway = { ...giveaway, winner: event.name }; break;
      case 'question_pinned': asked = event.message; break; // at its own `at` (pinned), not the message's
      case 'question_answered': if (asked?.id === event.id) asked = null; break;
      case 'announcement': announcement = event; break;
      case 'chat': if (!deleted.has(event.message.id)) chat.push(event.message); break;
      default: break;
    }
  }
  renderPins([...pins.values()]);
  renderPoll(poll);
  renderGiveaway(giveaway);
  question.hidden = !asked;
  if (asked) fill(question, h('strong', {}, tr('question')), ' ', h('span', { class: 'who' }, asked.name), ' ', asked.text);
  const fresh = announcement && (t === Number.POSITIVE_INFINITY || t - announcement.at < 15);
  if (fresh) render.dirty = true; // looked at again until its 15 s are over
  banner.hidden = !fresh;
  if (fresh) banner.textContent = announcement.text;
  renderChat(chat.slice(-60));
}
setInterval(render, 100);

function renderChat(messages) {
  const key = messages.map((m) => m.id).join();
  if (key === renderChat.key) return;
  renderChat.key = key;
  const atBottom = chatList.scrollHeight - chatList.scrollTop - chatList.clientHeight < 40;
  fill(chatList, messages.map((m) => h('li', { class: m.staff ? 'staff' : '' },
    h('span', { class: 'who' }, m.name), m.staff ? h('span', { class: 'tag' }, tr('staff')) : null, ' ', h('span', { class: 'text' }, m.text))));
  if (atBottom) chatList.scrollTop = chatList.scrollHeight;
}

let shownPins = '';
let onScreen = new Set(); // the pins the brand's page was told of
function renderPins(products) {
  const key = products.map((p) => p.productId).join();
  for (const item of carousel.children) item.classList.toggle('is-pinned', products.some((p) => p.productId === item.dataset.id));
  if (key === shownPins) return;
  shownPins = key;
  fill(pinned, products.slice(-2).map((p) => productCard(p, true)));
  for (const p of products) {
    if (!onScreen.has(p.productId)) post('product-pinned', { product: { id: p.productId, handle: p.handle, title: p.title } });
  }
  onScreen = new Set(products.map((p) => p.productId));
}

const cardPrices = new WeakMap(); // a card → the price and struck price it shows outside a drop
function productCard(p, raised) {
  const entry = lineup.get(p.productId);
  const image = p.imageUrl ?? entry?.product.images[0]?.url;
  const card = h('button', { type: 'button', class: `product${raised ? ' raised' : ''}`, dataset: { id: p.productId }, onclick: () => openSheet(p.productId) },
    image ? h('img', { src: image, alt: '', loading: 'lazy' }) : null,
    h('span', { class: 'title' }, p.title),
    priceLine(p.productId, p.price, p.compareAtPrice),
    stockLine(p.productId));
  cardPrices.set(card, [p.price, p.compareAtPrice]);
  return card;
}

/** A card's price: the flash drop's while it is open (the variant's price struck), else `price`. */
function priceLine(productId, price, compare) {
  const offer = dropOffer(productId);
  const [now, was] = offer ? [offer.price, offer.compare] : [price, compare];
  return h('span', { class: 'price' }, money(now), was ? h('s', {}, money(was)) : null);
}

/** The product's flash drop while it sells: its price, and the drop variant's price to strike. */
function dropOffer(productId, variantId = null) {
  const drop = drops.of(productId);
  if (!drop || (drop.phase !== 'open' && drop.phase !== 'all_reserved')) return null;
  if (variantId && drop.view.variantId !== variantId) return null;
  const was = lineup.get(productId)?.product.variants.find((v) => v.id === drop.view.variantId)?.price;
  return { price: drop.view.price, compare: was && was.amount > drop.view.price.amount ? was : null };
}

function stockLine(productId) {
  // While a drop sells, what is left is the drop's (its own quantity, not the shop's stock).
  const drop = drops.of(productId);
  if (drop && drop.phase !== 'ready' && drop.phase !== 'countdown') {
    if (drop.phase === 'sold_out') return h('span', { class: 'stock out' }, tr('sold_out'));
    if (drop.phase === 'all_reserved') return h('span', { class: 'stock out' }, tr('all_reserved'));
    return drop.view.left <= 5 ? h('span', { class: 'stock low' }, tr('left', drop.view.left)) : null;
  }
  const s = stock.get(productId);
  if (!s) return null;
  if (s.soldOut) return h('span', { class: 'stock out' }, tr('sold_out'));
  if (s.allReserved) return h('span', { class: 'stock out' }, tr('all_reserved'));
  if (s.available !== null && s.available <= 5) return h('span', { class: 'stock low' }, tr('left', s.available));
  return null;
}

function renderPoll(poll) {
  pollBox.hidden = !poll;
  if (!poll) return;
  const counts = pollCounts.get(poll.id) ?? poll.counts ?? [];
  const total = counts.reduce((a, b) => a + b, 0);
  const voted = stored(`vitrine.vote.${poll.id}`);
  fill(pollBox, h('h2', {}, poll.question), h('ul', {}, poll.options.map((option, i) => {
    const share = total ? Math.round((100 * (counts[i] ?? 0)) / total) : 0;
    const label = `${option} · ${share} %`;
    return h('li', {}, poll.closed || voted !== null
      ? h('span', { class: `bar${String(i) === voted ? ' mine' : ''}`, dataset: { share: String(share) } }, label)
      : h('button', { type: 'button', onclick: () => vote(poll.id, i) }, option));
  })), poll.closed ? h('p', { class: 'hint' }, tr('poll_closed')) : null);
  for (const bar of pollBox.querySelectorAll('.bar')) bar.style.setProperty('--share', `${bar.dataset.share}%`);
}

function renderGiveaway(giveaway) {
  giveawayBox.hidden = !giveaway;
  if (!giveaway) return;
  const entered = stored(`vitrine.giveaway.${giveaway.id}`);
  const entries = giveawayEntries.get(giveaway.id) ?? giveaway.entries;
  const children = [h('h2', {}, giveaway.title), h('p', { class: 'rules' }, giveaway.rules), h('p', { class: 'hint' }, tr('entries', entries))];
  if (giveaway.winner) children.push(h('p', { class: 'winner' }, tr('winner', giveaway.winner)));
  else if (entered) children.push(h('p', {}, tr('entered')));
  else {
    const email = h('input', { type: 'email', required: true, autocomplete: 'email', 'aria-label': tr('email'), placeholder: tr('email') });
    const accept = h('input', { type: 'checkbox', required: true });
    children.push(h('form', { onsubmit: (e) => { e.preventDefault(); enter(giveaway.id, email.value); } }, email,
      h('label', { class: 'check' }, accept, ' ', tr('accept_rules')), h('button', { type: 'submit' }, tr('enter'))));
  }
  if (giveawayBox.contains(document.activeElement)) return; // never redraw under a viewer typing
  fill(giveawayBox, children);
}

// MARK: Lineup and product sheet

/** A product's price and stock line, in the carousel and over the video, replaced in place (focus stays). */
function updateStock(productId) {
  for (const card of document.querySelectorAll(`.carousel li[data-id="${CSS.escape(productId)}"] .product, .pinned .product[data-id="${CSS.escape(productId)}"]`)) {
    const [price, compare] = cardPrices.get(card) ?? [];
    card.querySelector('.price')?.replaceWith(priceLine(productId, price, compare));
    card.querySelector('.stock')?.remove();
    const line = stockLine(productId);
    if (line) card.append(line);
  }
}

/** What a drop offers changed (it opened, sold, sold out, closed): the product's cards and open sheet follow. */
function dropChanged(productId) {
  updateStock(productId);
  if (sheet.open && sheetShown?.productId === productId) sheetShown.update();
}

/** The drop banner's Buy: one unit of the drop's variant, then the cart (Vitrine's, or the brand's shop's). */
async function buyDrop(view) {
  const entry = lineup.get(view.productId);
  const variant = entry?.product.variants.find((v) => v.id === view.variantId);
  if (entry && variant) await addToCart(entry, variant, { openCart: true });
}

function renderCarousel() {
  fill(carousel, [...lineup.values()].map((entry, index) => {
    const p = entry.product;
    const price = entry.showPrice ?? p.variants[0]?.price;
    const compare = entry.showPrice ? p.variants[0]?.price : p.variants[0]?.compareAtPrice;
    return h('li', { dataset: { id: p.id } }, productCard({ productId: p.id, title: p.title, price, compareAtPrice: compare, imageUrl: p.images[0]?.thumbnailUrl ?? p.images[0]?.url }, false),
      h('span', { class: 'sr-only' }, tr('number', index + 1)));
  }));
  shownPins = '';
  render.dirty = true;
}

let sheetShown = null; // the product in the sheet, and how to show its price and stock again
function openSheet(productId) {
  const entry = lineup.get(productId);
  if (!entry) return;
  const p = entry.product;
  post('product-viewed', { product: { id: p.id, handle: p.handle, title: p.title } });
  let variant = p.variants.find((v) => v.available) ?? p.variants[0];
  const price = h('p', { class: 'price' });
  const stockText = h('p', { class: 'stock' });
  const add = h('button', { type: 'button', class: 'primary', onclick: () => addToCart(entry, variant) }, tr('add_to_cart'));
  const update = () => {
    const { price: now, compare } = priced(entry, variant);
    fill(price, money(now), compare && compare.amount > now.amount ? h('s', {}, money(compare)) : null);
    // The drop's variant sells from the drop in this show: not before it opens (the server refuses
    // it from the drop's making), then from what the drop has left, whatever the shop's stock.
    const drop = drops.of(p.id);
    const dropped = drop && drop.view.variantId === variant?.id ? drop : null;
    const s = dropped ? { available: dropped.view.left, soldOut: dropped.phase === 'sold_out', allReserved: dropped.phase === 'all_reserved' } : stock.get(p.id);
    const soon = dropped?.phase === 'ready' || dropped?.phase === 'countdown';
    const out = (!dropped && !variant?.available) || s?.soldOut || s?.allReserved;
    stockText.textContent = soon ? tr('drop_soon') : s?.allReserved ? tr('all_reserved') : out ? tr('sold_out')
      : s?.available != null && s.available <= 5 ? tr('left', s.available) : tr('in_stock');
    stockText.className = `stock${out ? ' out' : ''}`;
    add.disabled = out || soon;
  };
  sheetShown = { productId: p.id, update };
  const options = p.variants.length > 1
    ? h('label', {}, p.optionNames.join(' / ') || tr('variant'), h('select', { onchange: (e) => { variant = p.variants[e.target.selectedIndex]; update(); } },
      p.variants.map((v) => h('option', { selected: v === variant }, v.options.join(' / ') + (v.available ? '' : ` · ${tr('sold_out')}`)))))
    : null;
  const images = h('div', { class: 'images' }, p.images.map((image) => h('img', { src: image.url, alt: image.alt ?? '', loading: 'lazy' })));
  update();
  fill(sheet,
    h('button', { type: 'button', class: 'close', 'aria-label': tr('close'), onclick: () => sheet.close() }, '×'),
    images, h('h2', {}, p.title), price, options, stockText,
    parentOrigin || checkout ? add : h('p', { class: 'hint' }, tr('buy_on_site', boot.brand.name)),
    entry.note ? h('p', { class: 'note' }, entry.note) : null,
    h('div', { class: 'description' }, describe(p.descriptionHtml)));
  if (!sheet.open) sheet.showModal();
}

/** The price a variant sells at in this show now, and the price struck beside it: the flash drop's
 * while it sells, else the show's, else the catalog's. */
function priced(entry, variant) {
  const offer = dropOffer(entry.product.id, variant?.id);
  if (offer) return offer;
  const base = variant?.price;
  return { price: entry.showPrice ?? base, compare: entry.showPrice ? base : variant?.compareAtPrice };
}

// MARK: Hand-off cart (the brand's own shop answers through postMessage)

const waiting = new Map();
/** Adds one unit to Vitrine's cart or the brand's shop's; `openCart` opens the cart once it is in. */
async function addToCart(entry, variant, { openCart = false } = {}) {
  const pinnedNow = shownPins.split(',').filter(Boolean);
  if (checkout && variant) {
    if (await checkout.add(variant.id, pinnedNow.at(-1) ?? null) && openCart) checkout.open();
    return;
  }
  if (!parentOrigin || !variant) return;
  const requestId = randomId();
  const p = entry.product;
  post('add-to-cart', {
    requestId, quantity: 1,
    product: { id: p.id, handle: p.handle, title: p.title },
    variant: { id: variant.id, sku: variant.sku, options: variant.options, price: priced(entry, variant).price },
    pinnedProductId: pinnedNow.at(-1) ?? null, mediaTime: Number.isFinite(now()) ? now() : null, replay: status !== 'live',
  });
  say(tr('adding'));
  const event = {
    showId: show.id, productId: p.id, variantId: variant.id, quantity: 1, viewerId,
    origin: status === 'live' ? 'live' : 'replay', pinnedProductId: pinnedNow.at(-1) ?? null,
    mediaTime: Number.isFinite(now()) ? now() : null,
  };
  const timer = setTimeout(() => { waiting.delete(requestId); say(tr('no_answer')); }, 8000);
  waiting.set(requestId, { timer, event, openCart });
}

/** Tells Vitrine what the brand's shop did with an add-to-cart (attribution); never in the way. */
function recordCartEvent(event, added) {
  const url = boot.commerce?.cartEventsUrl;
  if (!url) return;
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...event, added }), keepalive: true })
    .catch(() => {});
}

function post(type, detail = {}) {
  if (parentOrigin) window.parent.postMessage({ vitrine: 1, type, showId: show.id, orientation: show.orientation, ...detail }, parentOrigin);
}

window.addEventListener('message', (event) => {
  // Only the brand's page that frames us, from an origin the brand allowed.
  if (!parentOrigin || event.source !== window.parent || event.origin !== parentOrigin) return;
  const message = event.data;
  if (!message || message.vitrine !== 1 || typeof message.command !== 'string') return;
  switch (message.command) {
    case 'play': video.play().catch(() => {}); break;
    case 'pause': video.pause(); break;
    case 'cart-count': if (!checkout) setCartCount(message.count); break; // Vitrine's cart counts itself
    case 'cart-result': {
      const pending = waiting.get(message.requestId);
      if (!pending) break; // answered already, or not ours
      clearTimeout(pending.timer);
      waiting.delete(message.requestId);
      recordCartEvent(pending.event, Boolean(message.ok));
      if (message.ok) {
        say(tr('added'));
        if (pending.openCart) post('checkout'); // the drop's Buy: the brand's page opens its cart
      } else say(message.reason === 'out_of_stock' ? tr('out_of_stock') : tr('not_added'));
      if (Number.isInteger(message.cartCount)) setCartCount(message.cartCount);
      break;
    }
    case 'open-product': {
      const entry = [...lineup.values()].find((e) => e.product.handle === message.handle);
      if (entry) openSheet(entry.product.id);
      break;
    }
    default: break;
  }
});

const cartButton = h('button', { type: 'button', class: 'chip cart', hidden: true, onclick: () => (checkout ? checkout.open() : post('checkout')) });
stage.querySelector('.top').append(cartButton);
function setCartCount(count) {
  if (!Number.isInteger(count) || count < 0) return;
  cartButton.hidden = count === 0;
  cartButton.textContent = tr('cart', count);
}

// MARK: Vitrine's cart (the brand sells through Vitrine's checkout, not its own shop)

const checkout = boot.commerce?.cartMode === 'vitrine' ? createCheckout({
  boot, show, lang, tr, money, say, post, setCartCount, viewerId: () => viewerId, dropLimit: drops.limit,
  origin: () => (status === 'live' ? 'live' : status === 'ended' ? 'replay' : 'none'),
}) : null;

// MARK: Realtime

let socket = null;
let refs = 0;
const answers = new Map();
let retry = 1000;

function connect() {
  const url = new URL(show.realtimeUrl, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('viewer', viewerId);
  if (displayName) url.searchParams.set('name', displayName);
  socket = new WebSocket(url);
  socket.onmessage = (message) => {
    let frame;
    try { frame = JSON.parse(message.data); } catch { return; }
    for (const event of frame.events ?? []) handle(event);
  };
  socket.onclose = (event) => {
    for (const [, answer] of answers) answer.reject(new Error(tr('offline')));
    answers.clear();
    const delay = event.code === 4000 ? 200 : retry;
    retry = Math.min(retry * 2, 30000);
    setTimeout(connect, delay);
  };
}

function send(type, fields = {}) {
  return new Promise((resolve, reject) => {
    if (socket?.readyState !== WebSocket.OPEN) { reject(new Error(tr('offline'))); return; }
    refs += 1;
    const ref = String(refs);
    answers.set(ref, { resolve, reject });
    socket.send(JSON.stringify({ type, ref, ...fields }));
  });
}

function handle(event) {
  switch (event.type) {
    case 'snapshot': {
      retry = 1000;
      if (event.you?.viewerId && event.you.viewerId !== viewerId) { viewerId = event.you.viewerId; store('vitrine.viewer', viewerId); }
      if (status !== 'ended') setStatus(event.show.status);
      if (status === 'live' || !show.replayAvailable) {
        log = [];
        insert.chats = 0;
        for (const p of event.pins ?? []) insert({ type: 'product_pinned', product: p, at: p.at });
        if (event.poll) { insert({ type: 'poll_opened', poll: event.poll, at: event.poll.at }); if (event.poll.closed) insert({ type: 'poll_closed', pollId: event.poll.id, counts: event.poll.counts, at: event.poll.at }); }
        if (event.giveaway) insert({ type: 'giveaway_opened', giveaway: event.giveaway, at: event.giveaway.at });
        if (event.question) insert({ type: 'question_pinned', message: event.question, at: event.question.at });
        for (const m of event.chat ?? []) insert({ type: 'chat', message: m, at: m.at });
      }
      for (const [id, s] of Object.entries(event.stock ?? {})) stock.set(id, s);
      if (Array.isArray(event.drops)) drops.snapshot(event.drops);
      setViewers(event.viewers);
      renderCarousel();
      break;
    }
    case 'drop': drops.update(event.drop); break; // at once, whatever the video's delay
    case 'chat': case 'product_pinned': case 'product_unpinned': case 'announcement': case 'poll_opened':
    case 'poll_closed': case 'giveaway_opened': case 'giveaway_winner': case 'question_pinned': case 'question_answered':
      if (status === 'live' || !show.replayAvailable) insert(event);
      break;
    case 'chat_deleted': deleted.add(event.id); render.dirty = true; break;
    case 'poll_results': pollCounts.set(event.pollId, event.counts); render.dirty = true; break;
    case 'giveaway_entries': giveawayEntries.set(event.giveawayId, event.count); render.dirty = true; break;
    case 'reactions': float(Object.values(event.counts ?? {}).reduce((a, b) => a + b, 0)); break;
    case 'viewers': setViewers(event.count); break;
    case 'stock': stock.set(event.productId, { available: event.available, soldOut: event.soldOut, allReserved: event.allReserved }); updateStock(event.productId); break;
    case 'show_state': setStatus(event.status); break;
    case 'banned': say(event.message, 8000); break;
    case 'ack': answers.get(event.ref)?.resolve(event); answers.delete(event.ref); break;
    case 'error': {
      const answer = answers.get(event.ref);
      answers.delete(event.ref);
      if (answer) answer.reject(Object.assign(new Error(event.message), { code: event.code }));
      else say(event.message);
      break;
    }
    default: break; // unknown types are for newer players
  }
}

function setViewers(count) {
  if (!Number.isInteger(count)) return;
  viewerCount = count;
  viewersText.textContent = tr('watching', count);
  viewersText.hidden = status !== 'live';
}

// MARK: Viewer actions

async function askName() {
  if (displayName) return true;
  const input = h('input', { type: 'text', maxlength: 40, required: true, autocomplete: 'nickname', 'aria-label': tr('your_name') });
  const dialog = h('dialog', { class: 'name-dialog', 'aria-label': tr('your_name') });
  const result = new Promise((resolve) => {
    // Escape closes it: no name. (On success `resolve(true)` comes first; the close event after.)
    dialog.addEventListener('close', () => resolve(false));
    fill(dialog, h('form', { method: 'dialog', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await send('set_name', { name: input.value.trim() });
        displayName = input.value.trim();
        store('vitrine.name', displayName);
        dialog.close();
        resolve(true);
      } catch (error) { say(error.message); }
    } }, h('h2', {}, tr('your_name')), h('p', { class: 'hint' }, tr('name_hint')), input,
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => { dialog.close(); resolve(false); } }, tr('cancel')), h('button', { type: 'submit', class: 'primary' }, tr('ok')))));
  });
  document.body.append(dialog);
  dialog.showModal();
  input.focus();
  const ok = await result;
  dialog.remove();
  return ok;
}

async function sendChat(event) {
  event.preventDefault();
  const text = chatInput.value.trim();
  if (!text || !(await askName())) return;
  try {
    await send('chat', { text });
    chatInput.value = '';
  } catch (error) { say(error.message); }
}

let reactionBudget = 0;
function react() {
  float(1);
  if (reactionBudget > 10) return;
  reactionBudget += 1;
  setTimeout(() => { reactionBudget -= 1; }, 1000);
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'react', kind: 'heart' }));
}

function float(count) {
  for (let i = 0; i < Math.min(count, 12); i++) {
    const heart = h('span', { class: 'heart' }, '♥');
    heart.style.setProperty('--x', `${Math.round(Math.random() * 40)}px`);
    heart.style.setProperty('--d', `${Math.round(Math.random() * 600)}ms`);
    hearts.append(heart);
    setTimeout(() => heart.remove(), 2600);
  }
}

async function vote(pollId, option) {
  try {
    await send('vote', { pollId, option });
    store(`vitrine.vote.${pollId}`, String(option));
    render.dirty = true;
  } catch (error) { say(error.message); }
}

async function enter(giveawayId, email) {
  try {
    await send('enter_giveaway', { giveawayId, email, acceptRules: true });
    store(`vitrine.giveaway.${giveawayId}`, '1');
    say(tr('entered'));
    render.dirty = true;
  } catch (error) { say(error.message); }
}

// MARK: Video, live and replay

function setStatus(next) {
  const changed = next !== status;
  status = next;
  badge.hidden = !(status === 'live' || status === 'ended');
  badge.textContent = status === 'live' ? tr('live') : tr('replay');
  badge.className = `badge ${status === 'live' ? 'live' : ''}`;
  viewersText.hidden = status !== 'live' || viewerCount === null;
  if (changed) post('show-state', { status, replay: status === 'ended' });
  if (changed && status === 'live' && !hls) refreshShow();
  if (changed && status === 'ended') refreshShow();
  renderBefore();
}

/** The show changed state: its resource says which video to play now (live, or the replay). */
async function refreshShow() {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const url = new URL(boot.timelineUrl.replace(/\/timeline(\?|$)/, '$1'), location.href);
      const response = await fetch(url);
      if (response.ok) {
        const next = await response.json();
        const wanted = next.status === 'ended' ? next.replayAvailable : next.status === 'live' && next.playlistUrl;
        if (wanted) {
          Object.assign(show, next);
          if (next.status === 'ended') await startReplay(hls?.mediaTime ?? null);
          else await startVideo(null);
          return;
        }
        if (next.status === 'ended') { hls?.destroy(); return; } // ended without a published replay
      }
    } catch { /* try again */ }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

const retryVideo = {};
async function startVideo(at, offset = null) {
  if (!show.playlistUrl) return;
  hls?.destroy();
  hls = new HlsPlayer(video, show.playlistUrl);
  hls.addEventListener('ready', () => {
    retryVideo.attempts = 0;
    document.body.classList.add('playing');
    video.play().catch(() => { unmute.textContent = tr('tap_to_play'); });
    post('ready', { status });
  });
  hls.addEventListener('error', (e) => say(tr('video_error', e.detail)));
  hls.addEventListener('ended-stream', () => { if (status === 'live') setStatus('ended'); });
  try {
    await hls.start(at, offset);
    origin = await hls.origin().catch(() => null);
  } catch (error) {
    // A show that has just gone live may have no segment yet (the encoder is late): try again,
    // less and less often, while it is live.
    hls.destroy();
    hls = null;
    if (status === 'live') {
      const attempts = (retryVideo.attempts = (retryVideo.attempts ?? 0) + 1);
      if (attempts === 5) say(tr('waiting_video'), 6000);
      setTimeout(() => { if (!hls && status === 'live') startVideo(at, offset); }, Math.min(2000 * attempts, 10000));
    } else say(tr('video_error', error.message));
  }
}

/** The replay: the timeline first (its pins are the chapters), then the video at `at` (media
 * time), or `?product=`'s first pin, or `?t=` seconds into the show. */
async function startReplay(at, links = false) {
  seekBar.hidden = false;
  timeText.hidden = false;
  const response = await fetch(boot.timelineUrl).catch(() => null);
  const items = response?.ok ? (await response.json()).items : [];
  log = [];
  for (const event of items) insert(event);
  const { at: linked, offset } = links ? deepLink() : {};
  await startVideo(at ?? linked ?? null, at === null ? offset ?? null : null);
  renderChapters();
}

/** Where `?product=HANDLE` (its first pin) or `?t=SECONDS` (into the show) asks to start. */
function deepLink() {
  const handle = query.get('product');
  const pin = handle && log.find((e) => e.type === 'product_pinned' && e.product.handle === handle);
  if (pin) return { at: pin.at };
  const t = Number(query.get('t'));
  return query.has('t') && Number.isFinite(t) ? { offset: Math.max(0, t) } : {};
}

function renderChapters() {
  const seen = [];
  for (const event of log) {
    if (event.type !== 'product_pinned') continue;
    if (seen.at(-1)?.product.productId === event.product.productId) continue;
    seen.push(event);
  }
  chaptersBox.hidden = !seen.length;
  fill(chapters, seen.map((event) => h('li', {}, h('button', { type: 'button', onclick: () => { hls?.seek(event.at); video.play().catch(() => {}); } },
    h('span', { class: 'at' }, clock(event.at - (origin ?? 0))), ' ', tr('jump', event.product.title, money(event.product.price))))));
}

function backToLive() {
  if (hls?.liveEdge) hls.seek(hls.liveEdge - 3);
  video.play().catch(() => {});
}

function toggleMute() {
  video.muted = !video.muted;
  if (video.paused) video.play().catch(() => {});
  unmute.textContent = video.muted ? tr('unmute') : tr('mute');
  unmute.classList.toggle('quiet', !video.muted);
}

function togglePlay() {
  if (video.paused) video.play().catch(() => {});
  else video.pause();
}

video.addEventListener('play', () => { playButton.textContent = '❚❚'; playButton.setAttribute('aria-label', tr('pause')); post('playing', { playing: true }); });
video.addEventListener('pause', () => { playButton.textContent = '▶'; playButton.setAttribute('aria-label', tr('play')); post('playing', { playing: false }); });
video.addEventListener('timeupdate', () => {
  if (!hls) return;
  const t = hls.mediaTime;
  if (status === 'live' && hls.liveEdge) liveButton.hidden = hls.liveEdge - t < 8;
  if (!seekBar.hidden && origin !== null) {
    const end = (hls.liveEdge ?? t) - origin;
    seekBar.max = String(Math.max(end, 0));
    if (document.activeElement !== seekBar) seekBar.value = String(t - origin);
    timeText.textContent = `${clock(t - origin)} / ${clock(end)}`;
  }
});
seekBar.addEventListener('change', () => { if (origin !== null) hls?.seek(origin + Number(seekBar.value)); });

document.addEventListener('keydown', (event) => {
  if (event.target.closest?.('input, textarea, select, dialog')) return;
  if (event.key === ' ' || event.key === 'k') { event.preventDefault(); togglePlay(); }
  else if (event.key === 'm') toggleMute();
  else if (status !== 'live' && hls && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) hls.seek(hls.mediaTime + (event.key === 'ArrowLeft' ? -5 : 5));
});

async function pip() {
  try {
    if (document.pictureInPictureElement) await document.exitPictureInPicture();
    else await video.requestPictureInPicture();
  } catch (error) { say(error.message); }
}

async function share() {
  const url = new URL(boot.shareUrl);
  if (hls && origin !== null && status !== 'scheduled') url.searchParams.set('t', String(Math.floor(hls.mediaTime - origin)));
  try {
    if (navigator.share) await navigator.share({ title: show.title, url: url.href });
    else { await navigator.clipboard.writeText(url.href); say(tr('copied')); }
  } catch { say(url.href, 10000); }
}

// MARK: Before the show

function renderBefore() {
  document.body.classList.toggle('waiting', status === 'scheduled' || (!show.playlistUrl && !show.replayAvailable));
  before.hidden = status !== 'scheduled';
  if (status !== 'scheduled') { clear(before); return; }
  if (before.childElementCount) return;
  const start = show.scheduledStart ? Date.parse(show.scheduledStart) : null;
  const countdown = h('p', { class: 'countdown', 'aria-live': 'off' });
  const tick = () => {
    if (!start) return;
    const left = Math.round((start - Date.now()) / 1000);
    countdown.textContent = left > 0 ? tr('starts_in', `${left >= 86400 ? `${Math.floor(left / 86400)} ${tr('days')} ` : ''}${clock(left % 86400)}`) : tr('soon');
  };
  tick();
  setInterval(tick, 1000);
  const email = h('input', { type: 'email', required: true, autocomplete: 'email', maxlength: 254, 'aria-label': tr('email'), placeholder: tr('email') });
  const consent = h('input', { type: 'checkbox' });
  const form = h('form', { class: 'remind', onsubmit: async (e) => {
    e.preventDefault();
    const response = await fetch(boot.registrationsUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: email.value, language: lang, marketingConsent: consent.checked, viewerId }) }).catch(() => null);
    const body = await response?.json().catch(() => null);
    if (response?.ok) { fill(form, h('p', { role: 'status' }, tr(body?.status === 'pending' ? 'check_mail' : 'registered'))); }
    else say(body?.error?.message ?? tr('offline'));
  } }, h('h2', {}, tr('remind')), email, h('label', { class: 'check' }, consent, ' ', tr('consent', boot.brand.name)), h('button', { type: 'submit', class: 'primary' }, tr('remind_me')));
  fill(before, h('h2', {}, show.title), start ? h('p', {}, new Date(start).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'full', timeStyle: 'short' })) : null,
    countdown, form, h('a', { class: 'button', href: show.calendarUrl, download: 'show.ics' }, tr('add_calendar')));
}

// MARK: Start

for (const entry of boot.lineup) if (entry.drop) drops.update(entry.drop);
renderCarousel();
setStatus(show.status);
connect();
if (show.replayAvailable) startReplay(null, true);
else if (status === 'live') {
  // `?product=` live: its first pin in the show so far (the timeline), else the live edge.
  const { offset } = deepLink();
  if (query.has('product')) {
    const handle = query.get('product');
    fetch(boot.timelineUrl).then((r) => (r.ok ? r.json() : { items: [] })).catch(() => ({ items: [] })).then(({ items }) => {
      const pin = items.find((e) => e.type === 'product_pinned' && e.product.handle === handle);
      startVideo(pin ? pin.product.at : null);
    });
  } else startVideo(null, offset ?? null);
}

// For the page that frames us and for tests: the media time on screen and the show's origin.
window.vitrinePlayer = { mediaTime: () => (hls ? hls.mediaTime : null), origin: () => origin, status: () => status,
  debug: () => ({ t: now(), clockStarted, log: log.map((e) => [e.type, e.at]) }) };
