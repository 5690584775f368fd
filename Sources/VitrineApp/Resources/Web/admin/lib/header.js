// The top bar: brand switcher, navigation by role, account, language and logout.

import { h, clear, safeUrl } from './dom.js';
import { session, can } from './session.js';
import { t, getLang, setLang, LANGUAGES } from '../i18n.js';

const SECTIONS = [
  ['products', 'catalog.view'],
  ['shows', 'shows.view'],
  ['series', 'shows.view'],
  ['orders', 'orders.view'],
  ['import', 'catalog.import'],
  ['team', 'members.manage'],
  ['tokens', 'tokens.manage'],
  ['webhooks', 'webhooks.manage'],
  ['jobs', 'jobs.view'],
  ['selling', 'catalog.edit'],
  ['settings', 'brand.settings'],
];

function skipLink() {
  return h('a', {
    class: 'skip-link',
    href: '#main',
    onclick: (event) => {
      event.preventDefault();
      document.getElementById('main').focus();
    },
  }, t('nav.skip'));
}

function brandSwitcher(brandId, section) {
  if (session.memberships.length < 2) {
    const current = session.memberships.find((m) => m.brand.id === brandId) ?? session.memberships[0];
    return current ? h('span', { class: 'brand-name' }, current.brand.name) : null;
  }
  const select = h('select', {
    id: 'brand-switch',
    'aria-label': t('nav.brand'),
    class: 'brand-switch',
    onchange: () => {
      const next = select.value;
      const allowed = SECTIONS.find(([name]) => name === section);
      const keep = allowed && can(next, allowed[1]) ? section : 'products';
      location.hash = `#/brands/${encodeURIComponent(next)}/${keep}`;
    },
  }, session.memberships.map((m) => h('option', { value: m.brand.id, selected: m.brand.id === brandId },
    `${m.brand.name} (${t(`role.${m.role}`)})`)));
  return h('div', { class: 'brand-switcher' },
    select);
}

function languageSelect() {
  const select = h('select', { id: 'lang-switch', 'aria-label': t('nav.language'), onchange: () => setLang(select.value) },
    LANGUAGES.map(([code, name]) => h('option', { value: code, selected: code === getLang(), lang: code }, name)));
  // Named by aria-label: axe counts a visually hidden <label> as a hidden one.
  return h('div', { class: 'lang-switcher' }, select);
}

/**
 * Draws the header for `brandId` (the brand in the URL, or the last one used) and the current `section`
 * ("products", "team", "account"…). `brand` is the full Brand when known, for its logo. `page` is the
 * view itself when it is one item of a section (a product, a show): its section link is then marked as
 * the current location rather than the current page.
 */
export function renderHeader(el, { brandId, brand, section, page = section, onLogout }) {
  clear(el);
  const logo = safeUrl(brand?.logoUrl);
  const home = brandId ? `#/brands/${encodeURIComponent(brandId)}/products` : '#/login';
  const left = h('div', { class: 'topbar-brand' },
    h('a', { class: 'logo', href: home },
      logo ? h('img', { src: logo, alt: '', class: 'logo-img' }) : null, h('span', {}, 'Vitrine')),
    session.user ? brandSwitcher(brandId, section) : null);

  if (!session.user) {
    el.append(skipLink(), h('div', { class: 'topbar-inner' }, left, h('div', { class: 'topbar-user' }, languageSelect())));
    return;
  }

  const links = brandId
    ? SECTIONS.filter(([, action]) => can(brandId, action)).map(([name]) => {
      const link = h('a', { href: `#/brands/${encodeURIComponent(brandId)}/${name}` }, t(`nav.${name}`));
      if (name === section) link.setAttribute('aria-current', page === section ? 'page' : 'location');
      return h('li', {}, link);
    })
    : [];
  const account = h('a', { href: '#/account', class: 'account-link' }, session.user.name || session.user.email);
  if (section === 'account') account.setAttribute('aria-current', 'page');

  el.append(skipLink(), h('div', { class: 'topbar-inner' },
    left,
    h('nav', { class: 'topbar-nav', 'aria-label': t('nav.main') }, h('ul', {}, links)),
    h('div', { class: 'topbar-user' },
      account,
      languageSelect(),
      h('button', { type: 'button', class: 'button button-quiet', onclick: onLogout }, t('nav.logout')))));
}
