// Vitrine's embed, for a brand's own site: one script tag.
//
//   <script src="https://VITRINE/embed.js" data-show="SHOW_ID" async></script>
//   <div class="vitrine-player" data-show="SHOW_ID"></div>      (a placeholder, anywhere)
//   <div class="vitrine-shows" data-brand="BRAND_SLUG"></div>   (upcoming shows and replays)
//
// The player is an iframe of VITRINE/watch/SHOW; it keeps the viewer's identity in its own
// storage (never a third-party cookie). It floats as a mini-player when the visitor scrolls away
// or goes to another page of the site (restored from sessionStorage; it can be closed).
// Events and commands travel by postMessage, checked against Vitrine's origin and the iframe's
// window; docs/embed.md describes them. `window.Vitrine` is the page's handle.
(() => {
  const script = document.currentScript;
  if (!script) return;
  if (window.Vitrine) {
    // Another tag of the same page: the first one's embed mounts this player too.
    if (script.dataset.show) window.Vitrine.mount(script, script.dataset.show);
    return;
  }
  const base = new URL(script.src).origin;
  const KEY = 'vitrine.mini';
  const listeners = new Map();
  const players = new Set();
  let overlay = null;
  let cartCount = null;

  // Styles from Vitrine's origin (a site's Content-Security-Policy lists it in style-src).
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = `${base}/embed.css`;
  document.head.append(style);

  function on(type, handler) {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type).add(handler);
    return () => listeners.get(type).delete(handler);
  }

  function emit(type, detail) {
    const results = [];
    for (const handler of listeners.get(type) ?? []) {
      try { results.push(handler(detail)); } catch (error) { console.error(error); }
    }
    window.dispatchEvent(new CustomEvent(`vitrine:${type}`, { detail }));
    return results.find((r) => r !== undefined);
  }

  function frameFor(showId, { mini = false, lang = null, muted = true } = {}) {
    const wrap = document.createElement('div');
    wrap.className = 'vitrine-frame vitrine-vertical';
    const iframe = document.createElement('iframe');
    const url = new URL(`/watch/${encodeURIComponent(showId)}`, base);
    url.searchParams.set('origin', location.origin);
    if (lang) url.searchParams.set('lang', lang);
    if (muted) url.searchParams.set('muted', '1');
    iframe.src = url.href;
    iframe.title = 'Live shopping';
    iframe.allow = 'autoplay; fullscreen; picture-in-picture; clipboard-write';
    const bar = document.createElement('div');
    bar.className = 'vitrine-bar';
    const back = button('⤢', 'Back to the player', () => player.restore());
    const close = button('×', 'Close the player', () => player.close());
    bar.append(back, close);
    wrap.append(iframe, bar);
    const player = { showId, wrap, iframe, playing: false, home: null, state: null };
    player.send = (command, fields = {}) => iframe.contentWindow?.postMessage({ vitrine: 1, command, ...fields }, base);
    // What the page said before the player had loaded is said again once it has.
    iframe.addEventListener('load', () => { if (cartCount !== null) player.send('cart-count', { count: cartCount }); });
    player.restore = () => {
      if (player.home) {
        setMini(player, false);
        player.home.scrollIntoView({ behavior: 'smooth', block: 'center' });
      } else {
        player.close(); // the mini-player from the previous page becomes the big one
        open(showId);
      }
    };
    player.close = () => {
      try { sessionStorage.removeItem(KEY); } catch { /* storage off */ }
      player.closed = true;
      if (player.home) setMini(player, false);
      else {
        players.delete(player);
        wrap.remove();
      }
      player.send('pause');
    };
    if (mini) wrap.classList.add('vitrine-mini');
    players.add(player);
    return player;
  }

  function button(text, label, onclick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('aria-label', label);
    b.addEventListener('click', onclick);
    return b;
  }

  function setMini(player, mini) {
    // One floating player at a time: the others go back to their places.
    if (mini) for (const other of players) if (other !== player && other.home) other.wrap.classList.remove('vitrine-mini');
    player.wrap.classList.toggle('vitrine-mini', mini);
    if (player.home) player.home.style.minHeight = mini ? `${player.home.dataset.height}px` : '';
  }

  /** A player in its place on the page; it floats when scrolled out of view while playing. */
  function mount(target, showId) {
    const player = frameFor(showId, { lang: target.dataset?.lang ?? null });
    const home = document.createElement('div');
    home.className = 'vitrine-home';
    if (target.tagName === 'SCRIPT') target.after(home);
    else target.append(home);
    home.append(player.wrap);
    player.home = home;
    new IntersectionObserver(([entry]) => {
      home.dataset.height = String(home.offsetHeight || home.dataset.height || 0);
      const away = entry.intersectionRatio < 0.25;
      if (away && player.playing && !player.closed) setMini(player, true);
      if (!away) setMini(player, false);
    }, { threshold: [0, 0.25, 1] }).observe(home);
    return player;
  }

  /** The player over the page (from the shows widget or `Vitrine.open`). */
  function open(showId) {
    close();
    const player = frameFor(showId, { muted: false });
    overlay = document.createElement('div');
    overlay.className = 'vitrine-overlay';
    overlay.addEventListener('click', (e) => { if (e.target === overlay) close(); });
    const x = button('×', 'Close the player', close);
    x.className = 'vitrine-close';
    overlay.append(player.wrap, x);
    document.body.append(overlay);
    player.overlay = true;
    return player;
  }

  function close() {
    if (!overlay) return;
    for (const player of players) if (player.overlay) players.delete(player);
    overlay.remove();
    overlay = null;
  }

  /** The floating mini-player carried over from the site's previous page. */
  function restoreMini() {
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null'); } catch { /* none */ }
    if (!saved?.showId || [...players].some((p) => p.showId === saved.showId)) return;
    const player = frameFor(saved.showId, { mini: true });
    player.playing = true;
    document.body.append(player.wrap);
  }

  window.addEventListener('pagehide', () => {
    const floating = [...players].find((p) => p.playing && !p.closed && (p.wrap.classList.contains('vitrine-mini') || !p.home));
    const playing = floating ?? [...players].find((p) => p.playing && !p.closed);
    try {
      if (playing && !playing.overlay) sessionStorage.setItem(KEY, JSON.stringify({ showId: playing.showId }));
      else sessionStorage.removeItem(KEY);
    } catch { /* storage off */ }
  });

  window.addEventListener('message', async (event) => {
    // Only Vitrine's own player windows may speak to this page.
    if (event.origin !== base) return;
    const player = [...players].find((p) => p.iframe.contentWindow === event.source);
    const message = event.data;
    if (!player || !message || message.vitrine !== 1 || typeof message.type !== 'string') return;
    if (message.orientation) {
      player.wrap.classList.toggle('vitrine-vertical', message.orientation === 'vertical');
      player.wrap.classList.toggle('vitrine-horizontal', message.orientation !== 'vertical');
    }
    if (message.type === 'playing') player.playing = message.playing;
    if (message.type === 'show-state') player.state = message.status;
    const detail = { ...message, player: { showId: player.showId } };
    delete detail.vitrine;
    if (message.type === 'add-to-cart') {
      // Hand-off: the site's cart decides, and its answer goes back to the player.
      let result = emit('add-to-cart', detail);
      try { result = await result; } catch (error) { result = { ok: false, reason: String(error?.message ?? error) }; }
      if (result == null) result = { ok: false, reason: 'no_cart' };
      player.send('cart-result', { requestId: message.requestId, ok: !!result.ok, reason: result.reason ?? null, cartCount: result.cartCount ?? null });
      return;
    }
    emit(message.type, detail);
  });

  async function showsWidget(target) {
    const slug = target.dataset.brand;
    const list = document.createElement('ul');
    list.className = 'vitrine-shows-list';
    target.append(list);
    try {
      const response = await fetch(`${base}/api/public/brands/${encodeURIComponent(slug)}/shows?replays=true`);
      const { items } = await response.json();
      const lang = (target.dataset.lang ?? document.documentElement.lang ?? 'fr').startsWith('en') ? 'en' : 'fr';
      for (const show of items) {
        const item = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.addEventListener('click', () => open(show.id));
        if (show.coverUrl) {
          const img = document.createElement('img');
          img.src = new URL(show.coverUrl, base).href;
          img.alt = '';
          b.append(img);
        }
        const state = document.createElement('span');
        state.className = 'vitrine-state';
        state.textContent = show.status === 'live' ? (lang === 'fr' ? 'EN DIRECT' : 'LIVE NOW')
          : show.status === 'ended' ? 'REPLAY'
            : new Date(show.scheduledStart).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
        const title = document.createElement('strong');
        title.textContent = show.title;
        b.append(state, title);
        item.append(b);
        list.append(item);
      }
    } catch {
      target.hidden = true;
    }
  }

  function start() {
    if (script.dataset.show) mount(script, script.dataset.show);
    for (const el of document.querySelectorAll('.vitrine-player[data-show]')) mount(el, el.dataset.show);
    for (const el of document.querySelectorAll('.vitrine-shows[data-brand]')) showsWidget(el);
    restoreMini();
  }

  window.Vitrine = {
    on,
    open,
    close: () => { close(); for (const p of players) if (p.wrap.classList.contains('vitrine-mini')) p.close(); },
    play: () => players.forEach((p) => p.send('play')),
    pause: () => players.forEach((p) => p.send('pause')),
    setCartCount: (count) => {
      cartCount = count;
      players.forEach((p) => p.send('cart-count', { count }));
    },
    mount,
    openProduct: (handle) => players.forEach((p) => p.send('open-product', { handle })),
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
