// The demo shop's own script: its cart (in the shop's own storage), and the hand-off answers to
// Vitrine's player. A brand's site does the same with its real cart: see docs/embed.md.

const cart = JSON.parse(localStorage.getItem('shop.cart') ?? '[]');
// The shop's own stock for the demo: two of each variant, so that a third add is refused.
const PER_VARIANT = 2;

function count() {
  return cart.reduce((n, line) => n + line.quantity, 0);
}

function show() {
  document.getElementById('cart-count').textContent = String(count());
  const lines = document.getElementById('cart-lines');
  if (lines) lines.textContent = cart.length ? cart.map((l) => `${l.quantity} × ${l.title}`).join(', ') : 'Your cart is empty.';
}

function log(text) {
  const list = document.getElementById('events');
  if (!list) return;
  const item = document.createElement('li');
  item.textContent = text;
  list.append(item);
}

function whenReady(then) {
  if (window.Vitrine) then(window.Vitrine);
  else setTimeout(() => whenReady(then), 50);
}

document.addEventListener('DOMContentLoaded', show);
whenReady((vitrine) => {
  vitrine.setCartCount(count());
  for (const type of ['ready', 'product-viewed', 'product-pinned', 'checkout', 'show-state']) {
    vitrine.on(type, (event) => log(`${type}${event.product ? ` ${event.product.handle}` : ''}${event.status ? ` ${event.status}` : ''}`));
  }
  vitrine.on('checkout', () => alert(`Checkout: ${count()} items in the shop's cart.`));
  vitrine.on('add-to-cart', ({ product, variant, quantity }) => {
    const line = cart.find((l) => l.variantId === variant.id);
    const inCart = line?.quantity ?? 0;
    if (inCart + quantity > PER_VARIANT) {
      log(`add-to-cart ${product.handle}: out of stock`);
      return { ok: false, reason: 'out_of_stock', cartCount: count() };
    }
    if (line) line.quantity += quantity;
    else cart.push({ variantId: variant.id, title: product.title, quantity });
    localStorage.setItem('shop.cart', JSON.stringify(cart));
    show();
    log(`add-to-cart ${product.handle}`);
    return { ok: true, cartCount: count() };
  });
});
