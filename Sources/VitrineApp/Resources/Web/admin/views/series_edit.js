// Series editor: shared details, the weekly rule, hosts, active; then its upcoming shows and stream key.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../lib/dom.js';
import { checkbox, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '../lib/forms.js';
import { loadMembers, changedFields, seriesHash } from './show/common.js';
import { detailFields, detailsOf } from './show/fields.js';
import { hostsEditor, hostsOf } from './show/hosts.js';
import { ruleFields, localTimeOf } from './show/rule.js';
import { occurrencesCard } from './show/occurrences.js';
import { streamKeyPanel } from './show/streamkey.js';
import { knownZone } from './show/time.js';

let flash = null;

function blankSeries(brand) {
  return {
    id: null, title: '', description: '', coverUrl: null, language: brand.languages?.[0] ?? 'fr', rule: null,
    durationMinutes: 60, format: 'public', orientation: 'vertical', autoPublishReplay: true, hosts: [], active: true,
  };
}

export async function render(ctx) {
  const isNew = !ctx.seriesId;
  const zone = ctx.brand?.timeZone;
  const box = messageBox();
  ctx.root.append(h('a', { href: seriesHash(ctx.brandId), class: 'back-link' }, t('series.back')), box);
  if (!ctx.brand || !knownZone(zone)) {
    showMessage(box, t('app.brand_unavailable'), 'error');
    return;
  }
  const holder = h('div');
  const below = h('div', { class: 'stack' });
  ctx.root.append(holder, below);
  const base = path`/api/brands/${ctx.brandId}/series`;
  const [loaded, members] = await Promise.all([
    isNew ? blankSeries(ctx.brand) : api.get(path`/api/brands/${ctx.brandId}/series/${ctx.seriesId}`),
    loadMembers(ctx),
  ]);
  let series = loaded;
  const readOnly = !ctx.can('shows.manage');
  if (flash) {
    showMessage(box, flash, 'success');
    flash = null;
  }

  function editor() {
    ctx.setTitle(isNew ? t('title.series_new') : series.title);
    const fields = detailFields(series, { kind: 'series', brand: ctx.brand, zone, isNew });
    const rule = ruleFields(series, { zone });
    const hosts = hostsEditor(series.hosts, { members, readOnly });
    const active = checkbox(t('series.active_label'), { checked: series.active });
    active.input.dataset.field = 'active';
    const save = h('button', { type: 'submit', class: 'button button-primary' }, t(isNew ? 'series.create' : 'series.save'));
    const form = h('form', { class: 'stack', novalidate: true },
      h('fieldset', { class: 'plain stack', disabled: readOnly },
        h('legend', { class: 'visually-hidden' }, t('title.series_edit')),
        fields.el, rule.el,
        h('div', { class: 'card' }, hosts.el,
          h('div', { class: 'field' }, active.el, h('p', { class: 'hint' }, t('series.active_hint'))))),
      readOnly ? h('p', { class: 'message message-info' }, t('series.read_only'))
        : h('div', { class: 'actions sticky-actions' }, save));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(save, () => submit(form, { fields, rule, hosts, active }));
    });
    clear(holder).append(form);
  }

  function collect(form, parts) {
    clearErrors(form);
    const ruleErrors = [];
    const when = parts.rule.collect(ruleErrors);
    const details = parts.fields.collect(form);
    const marked = ruleErrors.map(([name, message]) => showFieldError(form, name, message));
    if (details && marked[0]) marked[0].focus();
    if (!details || marked.length) return null;
    const input = { ...details, ...when, active: parts.active.input.checked };
    const chosen = parts.hosts.collect();
    if (chosen !== undefined) input.hosts = chosen;
    return input;
  }

  async function submit(form, parts) {
    showMessage(box, '');
    const input = collect(form, parts);
    if (!input) {
      showMessage(box, t('form.fix_field'), 'error');
      return;
    }
    if (isNew) {
      try {
        const created = await api.post(base, input);
        flash = t('series.created');
        ctx.navigate(seriesHash(ctx.brandId, created.id), { replace: true });
      } catch (error) {
        reportError(error, { scope: form, box });
      }
      return;
    }
    const before = {
      ...detailsOf(series), weekdays: series.rule.weekdays, localTime: localTimeOf(series.rule),
      hosts: hostsOf(series, members), active: series.active,
    };
    const changes = changedFields(input, before);
    if (!Object.keys(changes).length) {
      showMessage(box, t('show.unchanged'), 'info');
      return;
    }
    if (changes.active === false && !window.confirm(t('series.confirm_pause', { title: series.title }))) return;
    if ((changes.weekdays || changes.localTime) && changes.active !== false
      && !window.confirm(t('series.confirm_rule'))) return;
    try {
      series = await api.patch(`${base}/${encodeURIComponent(series.id)}`, changes);
      editor();
      showMessage(box, t('series.saved'), 'success');
      box.focus();
      upcoming?.load();
    } catch (error) {
      reportError(error, { scope: form, box });
    }
  }

  editor();
  let upcoming = null;
  if (!isNew) {
    upcoming = occurrencesCard(ctx, series.id, { zone });
    below.append(upcoming.el);
    if (ctx.can('shows.present')) {
      const key = streamKeyPanel(ctx, {
        revealPath: `${base}/${encodeURIComponent(series.id)}/stream-key`, hint: series.streamKeyHint, forSeries: true,
      });
      below.append(key.el);
    }
    await upcoming.load();
  }
}
