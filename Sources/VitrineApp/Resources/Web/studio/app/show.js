// What the studio pages start with: the logged-in person (or the login page) and the show of the
// URL (`/studio/SHOW_ID…`), found among the person's brands.

import { api, path } from '/admin/api.js';
import { setSession } from '/admin/lib/session.js';

/** The show id in the page's address. */
export const pageShowId = () => decodeURIComponent(location.pathname.split('/')[2] ?? '');

async function findShow(memberships, showId) {
  for (const membership of memberships) {
    try {
      const show = await api.get(path`/api/brands/${membership.brand.id}/shows/${showId}`, { redirectOn401: false });
      return { show, brandId: membership.brand.id };
    } catch {
      // Not this brand's show.
    }
  }
  return null;
}

/**
 * `{show, brandId}` for the page's show, or null when none of the person's brands has it. A visitor
 * who is not logged in is sent to the login page (the promise then never settles).
 */
export async function openShow(showId = pageShowId()) {
  let me;
  try {
    me = await api.get('/api/me', { redirectOn401: false });
  } catch {
    location.href = '/admin/#/login';
    return new Promise(() => {});
  }
  setSession(me);
  return findShow(me.memberships ?? [], showId);
}
