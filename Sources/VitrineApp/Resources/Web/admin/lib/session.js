// Who is logged in, their brands and roles, and what each role may do (docs/roles.md).

import { setCsrfToken } from '../api.js';

const ALL = ['owner', 'admin', 'producer', 'host', 'moderator'];
const PERMISSIONS = {
  'brand.view': ALL,
  'brand.settings': ['owner', 'admin'],
  'members.view': ['owner', 'admin', 'producer'],
  'members.manage': ['owner', 'admin'],
  'owners.manage': ['owner'],
  'tokens.manage': ['owner', 'admin'],
  'catalog.view': ALL,
  'catalog.edit': ['owner', 'admin', 'producer'],
  'catalog.import': ['owner', 'admin', 'producer'],
  'shows.view': ALL,
  'shows.manage': ['owner', 'admin', 'producer'],
  // A host may present only the shows they host: the server has the last word on which ones.
  'shows.present': ['owner', 'admin', 'producer', 'host'],
  'audience.view': ['owner', 'admin', 'producer'],
  'webhooks.manage': ['owner', 'admin'],
  'jobs.view': ['owner', 'admin'],
  // Orders hold buyers' personal data: hosts and moderators never see them (docs/orders.md).
  'orders.view': ['owner', 'admin', 'producer'],
  'orders.manage': ['owner', 'admin', 'producer'],
};

export const ROLES = ALL;

/** The current person: `user` is null when logged out. */
export const session = { user: null, memberships: [] };

/** Stores the answer of login, GET /api/me or an accepted invitation. */
export function setSession({ user, memberships, csrfToken }) {
  session.user = user;
  session.memberships = memberships ?? [];
  setCsrfToken(csrfToken);
}

export function clearSession() {
  session.user = null;
  session.memberships = [];
  setCsrfToken(null);
}

export function membershipFor(brandId) {
  return session.memberships.find((m) => m.brand.id === brandId) ?? null;
}

export function roleFor(brandId) {
  return membershipFor(brandId)?.role ?? null;
}

/** Whether the current person's role in `brandId` allows `action` (the server checks again). */
export function can(brandId, action) {
  const role = roleFor(brandId);
  return role !== null && (PERMISSIONS[action] ?? []).includes(role);
}

/** Updates the name shown for a brand after its settings changed. */
export function renameBrand(brandId, name) {
  const membership = membershipFor(brandId);
  if (membership) membership.brand = { ...membership.brand, name };
}
