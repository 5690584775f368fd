// The admin app: session start, hash router, header, and one view module per page.

import { api, onUnauthorized, path } from './api.js';
import { t, errorText, onLangChange } from './i18n.js';
import { h, clear } from './lib/dom.js';
import { session, setSession, clearSession, roleFor, can } from './lib/session.js';
import { renderHeader } from './lib/header.js';
import { applyAccent } from './lib/theme.js';

const LAST_BRAND = 'vitrine.admin.brand';
// [pattern, names of the captured parts, view]; a captured "view" names the view itself.
const ROUTES = [
  [/^\/login$/, [], 'login'],
  [/^\/account$/, [], 'account'],
  [/^\/brands\/([^/]+)\/products$/, ['brandId'], 'products'],
  [/^\/brands\/([^/]+)\/products\/new$/, ['brandId'], 'product'],
  [/^\/brands\/([^/]+)\/products\/([^/]+)$/, ['brandId', 'productId'], 'product'],
  [/^\/brands\/([^/]+)\/shows\/new$/, ['brandId'], 'show'],
  [/^\/brands\/([^/]+)\/shows\/([^/]+)$/, ['brandId', 'showId'], 'show'],
  [/^\/brands\/([^/]+)\/series\/new$/, ['brandId'], 'series_edit'],
  [/^\/brands\/([^/]+)\/series\/([^/]+)$/, ['brandId', 'seriesId'], 'series_edit'],
  [/^\/brands\/([^/]+)\/selling$/, ['brandId'], 'selling'],
  [/^\/brands\/([^/]+)\/orders\/([^/]+)$/, ['brandId', 'orderId'], 'order'],
  [/^\/brands\/([^/]+)\/(orders|import|team|tokens|webhooks|jobs|settings|shows|series)$/, ['brandId', 'view'], null],
];
// What a role needs to open a view (the server refuses anyway; this avoids a page of errors).
const NEEDS = {
  import: 'catalog.import', team: 'members.manage', tokens: 'tokens.manage', webhooks: 'webhooks.manage', jobs: 'jobs.view', settings: 'brand.settings',
  shows: 'shows.view', show: 'shows.view', series: 'shows.view', series_edit: 'shows.view',
  // Producers make promotions; the checkout, card payment and store parts are owners' and admins'.
  selling: 'catalog.edit',
  orders: 'orders.view', order: 'orders.view',
};
// An editor opened without an id creates: [the id's name, what creating needs].
const CREATE_NEEDS = {
  product: ['productId', 'catalog.edit'], show: ['showId', 'shows.manage'], series_edit: ['seriesId', 'shows.manage'],
};
// The header section a single item's view belongs to.
const SECTION_OF = { product: 'products', show: 'shows', series_edit: 'series', order: 'orders' };

const headerEl = document.getElementById('app-header');
const mainEl = document.getElementById('main');
const brands = new Map();
let sequence = 0;
let pendingHash = null;
let firstRender = true;
// What the current view asked to run when it is left (a revealed stream key is wiped from the page).
let leaving = [];

function leave() {
  for (const handler of leaving.splice(0)) {
    try {
      handler();
    } catch (error) {
      console.error(error);
    }
  }
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  return { path: at < 0 ? raw : raw.slice(0, at), query: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
}

function match(hashPath) {
  for (const [pattern, names, view] of ROUTES) {
    const found = pattern.exec(hashPath);
    if (!found) continue;
    const params = {};
    names.forEach((name, i) => { params[name] = decodeURIComponent(found[i + 1]); });
    return { view: view ?? params.view, params };
  }
  return null;
}

// Storage can be refused (privacy settings): the app then simply forgets the last brand.
function remember(value) {
  try {
    localStorage.setItem(LAST_BRAND, value);
  } catch {
    // Not remembered.
  }
}

function lastBrandId() {
  let stored = null;
  try {
    stored = localStorage.getItem(LAST_BRAND);
  } catch {
    // Not remembered.
  }
  return roleFor(stored) ? stored : session.memberships[0]?.brand.id ?? null;
}

function homeHash() {
  const brandId = lastBrandId();
  return brandId ? `#/brands/${encodeURIComponent(brandId)}/products` : '#/account';
}

function go(hash, { replace = false } = {}) {
  if (location.hash === hash) return route();
  if (replace) {
    history.replaceState(null, '', hash);
    return route();
  }
  location.hash = hash;
  return undefined;
}

async function loadBrand(brandId) {
  if (!brands.has(brandId)) {
    try {
      brands.set(brandId, await api.get(path`/api/brands/${brandId}`));
    } catch {
      return null;
    }
  }
  return brands.get(brandId);
}

async function logout() {
  try {
    await api.post('/api/auth/logout', undefined, { redirectOn401: false });
  } catch {
    // Logged out either way: the session is forgotten here.
  }
  clearSession();
  brands.clear();
  applyAccent(null);
  go('#/login');
}

function page(title) {
  const heading = h('h1', { tabindex: '-1', class: 'page-title' }, title);
  const section = h('section', { class: 'page' }, heading);
  clear(mainEl).append(section);
  document.title = `${title} · Vitrine`;
  if (!firstRender) heading.focus();
  firstRender = false;
  return { section, heading };
}

async function route() {
  const mine = ++sequence;
  leave();
  const { path: hashPath, query } = parseHash();
  const found = match(hashPath);
  if (!session.user && found?.view !== 'login') {
    if (found) pendingHash = location.hash;
    return go('#/login', { replace: true });
  }
  if (session.user && (!found || found.view === 'login')) {
    const target = pendingHash ?? homeHash();
    pendingHash = null;
    return go(target, { replace: true });
  }

  const { view, params } = found;
  const brandId = params.brandId ?? (session.user ? lastBrandId() : null);
  if (params.brandId && roleFor(params.brandId)) remember(params.brandId);
  const brand = brandId && roleFor(brandId) ? await loadBrand(brandId) : null;
  if (mine !== sequence) return undefined;
  applyAccent(brand?.accentColor);
  renderHeader(headerEl, {
    brandId: roleFor(brandId) ? brandId : null, brand, section: SECTION_OF[view] ?? view, page: view, onLogout: logout,
  });

  const { section, heading } = page(t(`title.${view}`));
  if (params.brandId && !roleFor(params.brandId)) return notice(section, t('app.no_brand'));
  if (NEEDS[view] && !can(params.brandId, NEEDS[view])) return notice(section, t('app.forbidden'));
  const creating = CREATE_NEEDS[view];
  if (creating && !params[creating[0]] && !can(params.brandId, creating[1])) return notice(section, t('app.forbidden'));

  const ctx = {
    root: section,
    brandId: params.brandId ?? null,
    productId: params.productId ?? null,
    showId: params.showId ?? null,
    seriesId: params.seriesId ?? null,
    orderId: params.orderId ?? null,
    query,
    brand,
    role: roleFor(params.brandId),
    can: (action) => can(params.brandId, action),
    navigate: (hash, options) => go(hash, options),
    /** Rewrites the query part of the URL without rendering again (search box, filters, page). */
    setQuery: (values) => {
      const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '' && v != null)).toString();
      history.replaceState(null, '', `#${hashPath}${q ? `?${q}` : ''}`);
    },
    setTitle: (title) => {
      heading.textContent = title;
      document.title = `${title} · Vitrine`;
    },
    /** After a login or an accepted invitation. */
    signedIn: (data) => {
      setSession(data);
      const target = pendingHash ?? homeHash();
      pendingHash = null;
      go(target, { replace: true });
    },
    /** After the settings were saved: new accent, name and logo everywhere. */
    brandChanged: (updated) => {
      brands.set(updated.id, updated);
      route();
    },
    /** Runs `handler` when this page is left: another route, a language switch, the page unloaded. */
    onLeave: (handler) => {
      if (mine === sequence) leaving.push(handler);
      else handler();
    },
  };
  try {
    const module = await import(`./views/${view}.js`);
    if (mine === sequence) await module.render(ctx);
  } catch (error) {
    if (mine === sequence && error?.status !== 401) notice(section, errorText(error), 'error');
  }
  return undefined;
}

function notice(section, text, kind = 'info') {
  section.append(h('p', { class: `message message-${kind}` }, text));
}

onUnauthorized(() => {
  clearSession();
  brands.clear();
  if (parseHash().path !== '/login') {
    pendingHash = location.hash;
    go('#/login', { replace: true });
  }
});
onLangChange(() => route());
window.addEventListener('hashchange', () => route());
// Also when the page is unloaded or goes to the back-forward cache: nothing revealed is kept in it.
window.addEventListener('pagehide', () => leave());
window.addEventListener('pageshow', (event) => { if (event.persisted) route(); });

async function start() {
  try {
    setSession(await api.get('/api/me', { redirectOn401: false }));
  } catch (error) {
    if (error.status !== 401) console.error(error);
  }
  await route();
}

start();
