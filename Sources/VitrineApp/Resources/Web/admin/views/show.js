// Show editor: details, start in the brand's time zone, hosts, lineup; status moves, history, stream key.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, fill } from '../lib/dom.js';
import { messageBox, showMessage, reportError, clearErrors, busy } from '../lib/forms.js';
import { isEditable, loadMembers, changedFields, showsHash, showHash, seriesMarkers } from './show/common.js';
import { detailFields, detailsOf } from './show/fields.js';
import { hostsEditor, hostsOf } from './show/hosts.js';
import { lineupEditor, lineupOf } from './show/lineup.js';
import { statusPanel, statusMessage } from './show/actions.js';
import { streamKeyPanel } from './show/streamkey.js';
import { audiencePanel } from './show/audience.js';
import { guestsPanel } from './show/guests.js';
import { streamPanel } from './show/stream.js';
import { destinationsPanel } from './show/destinations.js';
import { knownZone } from './show/time.js';

// A message carried over from "created" to the editor the app opens next.
let flash = null;

function blankShow(brand) {
  return {
    id: null, seriesId: null, title: '', description: '', coverUrl: null, language: brand.languages?.[0] ?? 'fr',
    scheduledStart: null, durationMinutes: 60, format: 'public', accessCode: null, orientation: 'vertical',
    status: 'draft', autoPublishReplay: true, replayPublished: false, hosts: [], lineup: [], detached: false,
  };
}

/** The products of a lineup, fetched one by one (the API has no batch read); a missing one stays unknown. */
async function lineupProducts(ctx, lineup, known = new Map()) {
  const missing = lineup.map((item) => item.productId).filter((id) => !known.has(id));
  const found = await Promise.all(missing.map((id) => api.get(path`/api/brands/${ctx.brandId}/products/${id}`)
    .catch(() => null)));
  found.forEach((product, i) => { if (product) known.set(missing[i], product); });
  return known;
}

export async function render(ctx) {
  const isNew = !ctx.showId;
  const zone = ctx.brand?.timeZone;
  const box = messageBox();
  ctx.root.append(h('a', { href: showsHash(ctx.brandId), class: 'back-link' }, t('show.back')), box);
  if (!ctx.brand || !knownZone(zone)) {
    showMessage(box, t('app.brand_unavailable'), 'error');
    return;
  }
  const holder = h('div');
  ctx.root.append(holder);

  const showPath = () => path`/api/brands/${ctx.brandId}/shows/${show.id}`;
  const [loaded, members] = await Promise.all([
    isNew ? blankShow(ctx.brand) : api.get(path`/api/brands/${ctx.brandId}/shows/${ctx.showId}`),
    loadMembers(ctx),
  ]);
  let show = loaded;
  const products = await lineupProducts(ctx, show.lineup);
  const seriesTitle = show.seriesId
    ? await api.get(path`/api/brands/${ctx.brandId}/series/${show.seriesId}`).then((s) => s.title, () => null) : null;
  const currency = ctx.brand.currency ?? 'EUR';
  let dirty = false;
  let keyPanel = null;
  const current = { panel: null };
  if (flash) {
    showMessage(box, flash, 'success');
    flash = null;
  }

  function editor() {
    keyPanel?.wipe();
    dirty = false;
    const canManage = ctx.can('shows.manage');
    const readOnly = !canManage || !isEditable(show.status);
    ctx.setTitle(isNew ? t('title.show_new') : show.title);
    const fields = detailFields(show, { kind: 'show', brand: ctx.brand, zone, isNew });
    const hosts = hostsEditor(show.hosts, { members, readOnly });
    const lineup = lineupEditor(show.lineup, { ctx, products, currency, readOnly, onChange: () => { dirty = true; } });
    const save = h('button', { type: 'submit', class: 'button button-primary' }, t(isNew ? 'show.create' : 'show.save'));
    let note = null;
    if (!canManage) note = t('show.read_only');
    else if (readOnly) note = t('show.not_editable', { status: t(`show_status.${show.status}`).toLocaleLowerCase() });
    const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'show-form-title' },
      h('h2', { class: 'visually-hidden', id: 'show-form-title' }, t('show.form_title')),
      show.seriesId && !show.detached && !readOnly
        ? h('p', { class: 'message message-info' }, t('show.detach_warning', { title: seriesTitle ?? '' })) : null,
      h('fieldset', { class: 'plain stack', disabled: readOnly },
        h('legend', { class: 'visually-hidden' }, t('title.show')),
        fields.el, h('div', { class: 'card' }, hosts.el), lineup.el),
      note ? h('p', { class: 'message message-info' }, note) : h('div', { class: 'actions sticky-actions' }, save));
    form.addEventListener('input', () => { dirty = true; });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(save, () => submit(form, fields, hosts, lineup));
    });

    const aside = [];
    if (!isNew) {
      const panel = statusPanel(ctx, show, {
        zone, members, seriesTitle, scope: form,
        isDirty: () => dirty,
        changed: (updated, message) => {
          show = updated;
          editor();
          statusMessage(current.panel, message);
          current.panel.box.focus();
        },
      });
      aside.push(panel.el);
      current.panel = panel;
      panel.loadHistory();
      keyPanel = null;
      if (ctx.can('shows.present') && isEditable(show.status)) {
        keyPanel = streamKeyPanel(ctx, {
          revealPath: `${showPath()}/stream-key`, rotatePath: `${showPath()}/stream-key/rotate`,
          hint: show.streamKeyHint, sharedWithSeries: Boolean(show.seriesId),
        });
        aside.push(keyPanel.el);
      }
    }
    const heading = isNew ? null : h('div', { class: 'title-markers' }, seriesMarkers(show, seriesTitle));
    fill(holder, heading, h('div', { class: `editor-layout${aside.length ? '' : ' single'}` },
      aside.length ? h('div', { class: 'editor-aside' }, aside) : null,
      h('div', { class: 'editor-main' }, form)));
  }

  async function submit(form, fields, hosts, lineup) {
    clearErrors(form);
    showMessage(box, '');
    const details = fields.collect(form);
    const items = lineup.collect(form);
    if (!details || !items) {
      showMessage(box, t('form.fix_field'), 'error');
      return;
    }
    const input = { ...details, lineup: items };
    const chosen = hosts.collect();
    if (chosen !== undefined) input.hosts = chosen;
    if (isNew) {
      if (!input.accessCode) delete input.accessCode;
      try {
        const created = await api.post(path`/api/brands/${ctx.brandId}/shows`, input);
        flash = t(created.status === 'scheduled' ? 'show.created_scheduled' : 'show.created');
        ctx.navigate(showHash(ctx.brandId, created.id), { replace: true });
      } catch (error) {
        reportError(error, { scope: form, box });
      }
      return;
    }
    const before = { ...detailsOf(show), hosts: hostsOf(show, members), lineup: lineupOf(show) };
    const changes = changedFields(input, before);
    if (!Object.keys(changes).length) {
      showMessage(box, t('show.unchanged'), 'info');
      return;
    }
    try {
      show = await api.patch(showPath(), changes);
      await lineupProducts(ctx, show.lineup, products);
      editor();
      showMessage(box, t('show.saved'), 'success');
      box.focus();
    } catch (error) {
      reportError(error, { scope: form, box });
    }
  }

  editor();
  if (!isNew && ['scheduled', 'live'].includes(show.status)) ctx.root.append(streamPanel(ctx, show));
  if (!isNew && ['draft', 'scheduled', 'live'].includes(show.status) && ctx.can('shows.manage')) {
    ctx.root.append(destinationsPanel(ctx, show));
  }
  if (!isNew && show.format === 'private' && ctx.can('audience.view')) ctx.root.append(guestsPanel(ctx, show));
  if (!isNew && ctx.can('audience.view')) ctx.root.append(audiencePanel(ctx, show));
}
