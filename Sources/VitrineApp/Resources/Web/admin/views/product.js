// Product editor: PATCH the product, then create, change and delete variants; or create a new product.

import { api, path } from '../api.js';
import { t, errorText } from '../i18n.js';
import { h, clear } from '../lib/dom.js';
import { messageBox, showMessage, reportError, clearErrors, busy } from '../lib/forms.js';
import { productFields } from './product/fields.js';
import { imagesEditor } from './product/images.js';
import { variantsEditor } from './product/variants.js';

// A message carried over from "created" to the editor the app opens next.
let flash = null;

function blankProduct(brand) {
  return {
    id: null, title: '', handle: '', descriptionHtml: '', vendor: '', productType: '', tags: [], status: 'draft',
    vatRate: brand?.defaultVatRate ?? 2000, optionNames: [], images: [],
    variants: [{ id: null, sku: null, options: [], price: { amount: 0, currency: brand?.currency ?? 'EUR' },
      compareAtPrice: null, barcode: null, inventoryPolicy: 'deny', inventoryQuantity: 0, position: 1 }],
  };
}

const imageInputs = (images) => [...images].sort((a, b) => a.position - b.position)
  .map((image) => (image.alt ? { url: image.url, alt: image.alt } : { url: image.url }));

/** The fields of `input` that differ from `product`: images are only sent when changed, as the server replaces them. */
function productChanges(input, product) {
  const before = {
    title: product.title, status: product.status, vendor: product.vendor, productType: product.productType,
    tags: product.tags, vatRate: product.vatRate, descriptionHtml: product.descriptionHtml,
    optionNames: product.optionNames, handle: product.handle, images: imageInputs(product.images),
  };
  return Object.fromEntries(Object.entries(input)
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])));
}

export async function render(ctx) {
  const isNew = !ctx.productId;
  const readOnly = !ctx.can('catalog.edit');
  const box = messageBox();
  const back = h('a', { href: `#/brands/${encodeURIComponent(ctx.brandId)}/products`, class: 'back-link' },
    t('product.back'));
  const holder = h('div');
  ctx.root.append(back, box, holder);

  const productsPath = path`/api/brands/${ctx.brandId}/products`;
  let product = isNew ? blankProduct(ctx.brand) : await api.get(path`/api/brands/${ctx.brandId}/products/${ctx.productId}`);
  const productPath = () => path`/api/brands/${ctx.brandId}/products/${product.id}`;
  const currency = ctx.brand?.currency ?? product.variants[0]?.price.currency ?? 'EUR';
  if (flash) {
    showMessage(box, flash, 'success');
    flash = null;
  }

  function editor() {
    ctx.setTitle(isNew ? t('title.product_new') : product.title);
    const fields = productFields(product, { isNew });
    const images = imagesEditor(product.images, { readOnly });
    const variants = variantsEditor({ variants: product.variants, optionNames: product.optionNames, currency, readOnly });
    if (isNew) {
      for (const input of fields.options) input.addEventListener('input', () => variants.setOptionNames(fields.optionNames()));
    }
    const save = h('button', { type: 'submit', class: 'button button-primary' }, t(isNew ? 'product.create' : 'product.save'));
    const archive = !isNew && !readOnly && product.status !== 'archived'
      ? h('button', { type: 'button', class: 'button button-danger', onclick: () => archiveProduct(archive) }, t('product.archive'))
      : null;
    const form = h('form', { class: 'stack', novalidate: true },
      h('fieldset', { class: 'plain stack', disabled: readOnly },
        h('legend', { class: 'visually-hidden' }, t('title.product')),
        fields.el, images.el, variants.el),
      readOnly ? h('p', { class: 'message message-info' }, t('product.read_only'))
        : h('div', { class: 'actions sticky-actions' }, save, archive));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(save, () => submit(form, fields, images, variants));
    });
    clear(holder).append(form);
  }

  async function submit(form, fields, images, variants) {
    clearErrors(form);
    showMessage(box, '');
    const input = fields.collect(form);
    const imageList = images.collect(form);
    const plan = variants.collect(form);
    if (!input || !imageList || !plan) {
      showMessage(box, t('form.fix_field'), 'error');
      return;
    }
    input.images = imageList;
    if (isNew) {
      try {
        const created = await api.post(productsPath, { ...input, variants: plan.map((p) => p.input) });
        flash = t('product.created');
        ctx.navigate(`#/brands/${encodeURIComponent(ctx.brandId)}/products/${encodeURIComponent(created.id)}`,
          { replace: true });
      } catch (error) {
        reportError(error, { scope: form, box });
      }
      return;
    }

    const changes = productChanges(input, product);
    try {
      if (Object.keys(changes).length) product = await api.patch(productPath(), changes);
    } catch (error) {
      reportError(error, { scope: form, box });
      return;
    }
    // Variants one by one, new ones before deletions so a product never drops to zero variants.
    // A row that succeeded is remembered as saved, so "Save" again only retries what failed.
    for (const { row, index, changes: variantChanges } of plan) {
      try {
        if (!row.id) {
          variants.saved(row, await api.post(`${productPath()}/variants`, variantChanges));
        } else if (Object.keys(variantChanges).length) {
          variants.saved(row, await api.patch(`${productPath()}/variants/${encodeURIComponent(row.id)}`, variantChanges));
        }
      } catch (error) {
        if (error.code === 'unauthenticated') return;
        const message = errorText(error);
        const placed = variants.showError(index, error, message);
        showMessage(box, t('variants.failed', { n: index + 1, message: placed ? t('form.fix_field') : message }), 'error');
        return;
      }
    }
    while (variants.removed.length) {
      try {
        await api.del(`${productPath()}/variants/${encodeURIComponent(variants.removed[0])}`);
        variants.removed.shift();
      } catch (error) {
        reportError(error, { box });
        return;
      }
    }
    product = await api.get(productPath());
    editor();
    showMessage(box, t('product.saved'), 'success');
    box.focus();
  }

  async function archiveProduct(button) {
    if (!window.confirm(t('product.archive_confirm', { title: product.title }))) return;
    await busy(button, async () => {
      try {
        product = await api.post(`${productPath()}/archive`);
        editor();
        showMessage(box, t('product.archived'), 'success');
      } catch (error) {
        reportError(error, { box });
      }
    });
  }

  editor();
}
