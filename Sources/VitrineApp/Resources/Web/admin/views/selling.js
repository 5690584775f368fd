// Selling: how buyers check out (whose cart, delivery price, terms of sale), card payments through
// the brand's own Stripe account, pick-up stores and promotions. One card per part, each saved on
// its own; who may change what follows docs/orders.md ("Who may do what").

import { t } from '../i18n.js';
import { checkoutCard } from './selling/checkout.js';
import { stripeCard } from './selling/stripe.js';
import { storesCard } from './selling/stores.js';
import { promotionsCard } from './selling/promotions.js';
import { report } from './selling/common.js';

export async function render(ctx) {
  if (!ctx.brand) throw new Error(t('app.brand_unavailable'));
  const cards = [checkoutCard(ctx), stripeCard(ctx), storesCard(ctx), promotionsCard(ctx)];
  ctx.root.classList.add('stack');
  ctx.root.append(...cards.map((card) => card.el));
  // A card that cannot load says so in its own message box; the others still work.
  await Promise.all(cards.map((card) => card.load?.().catch((error) =>
    report(error, { box: card.el.querySelector('.message') }))));
}
