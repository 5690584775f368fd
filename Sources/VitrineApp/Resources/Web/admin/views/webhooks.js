// Webhooks: endpoints (URL, events, on/off), the signing secret (shown once, then on request), a
// test event, and each endpoint's delivery log with the answers received and a retry button.

import { api, path } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, fill } from '../lib/dom.js';
import { field, checkbox, messageBox, showMessage, reportError, clearErrors, showFieldError, busy } from '../lib/forms.js';
import { formatDateTime } from '../lib/format.js';
import { onceBox } from '../lib/secret.js';

const EVENTS = ['show.scheduled', 'show.live', 'show.ended', 'show.cancelled', 'show.missed', 'show.replay_published',
  'show.replay_unpublished', 'registration.created'];

export async function render(ctx) {
  const base = path`/api/brands/${ctx.brandId}/webhooks`;
  const zone = ctx.brand?.timeZone;
  const box = messageBox();
  const list = h('div', { class: 'stack' });
  const secretHolder = h('div');
  ctx.onLeave(() => clear(secretHolder));

  function showSecret(title, secret, warning) {
    const card = onceBox({ title, label: t('webhooks.secret'), value: secret, warning });
    fill(secretHolder, card);
    card.focus();
  }

  function deliveryRow(endpoint, delivery, reload) {
    const retry = delivery.status === 'pending' ? null
      : h('button', { type: 'button', class: 'button button-small' }, t('webhooks.retry'));
    retry?.addEventListener('click', () => busy(retry, async () => {
      try {
        await api.post(`${base}/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(delivery.id)}/retry`);
        await reload();
      } catch (error) {
        reportError(error, { box });
      }
    }));
    const body = h('details', {}, h('summary', {}, t('webhooks.body')), h('pre', { class: 'code-block' }, delivery.body));
    return h('tr', {},
      h('td', {}, formatDateTime(delivery.createdAt, zone)),
      h('td', {}, h('code', {}, delivery.event), body),
      h('td', {}, h('span', { class: `badge badge-${delivery.status}` }, t(`webhooks.status.${delivery.status}`))),
      h('td', {}, String(delivery.attempts)),
      h('td', {}, delivery.responseStatus ? String(delivery.responseStatus) : '—'),
      h('td', {}, delivery.error ?? ''),
      h('td', { class: 'cell-actions' }, retry));
  }

  function endpointCard(endpoint) {
    const id = encodeURIComponent(endpoint.id);
    const log = h('div', { class: 'table-wrap' });
    async function loadLog() {
      const { items } = await api.get(`${base}/${id}/deliveries`);
      fill(log, items.length
        ? h('table', { class: 'table' },
          h('caption', {}, t('webhooks.log')),
          h('thead', {}, h('tr', {}, ['webhooks.when', 'webhooks.event', 'webhooks.state', 'webhooks.attempts',
            'webhooks.answer', 'webhooks.error'].map((key) => h('th', { scope: 'col' }, t(key))), h('th', {}))),
          h('tbody', {}, items.map((d) => deliveryRow(endpoint, d, loadLog))))
        : h('p', { class: 'empty' }, t('webhooks.no_deliveries')));
    }
    const button = (key, kind = '') => h('button', { type: 'button', class: `button button-small ${kind}` }, t(key));
    const test = button('webhooks.test');
    const toggle = button(endpoint.enabled ? 'webhooks.disable' : 'webhooks.enable');
    const reveal = button('webhooks.reveal');
    const rotate = button('webhooks.rotate', 'button-danger');
    const remove = button('webhooks.delete', 'button-danger');
    const refresh = button('webhooks.refresh');
    const act = (el, work) => el.addEventListener('click', () => busy(el, async () => {
      showMessage(box, '');
      try {
        await work();
      } catch (error) {
        reportError(error, { box });
      }
    }));
    act(test, async () => {
      await api.post(`${base}/${id}/test`);
      showMessage(box, t('webhooks.test_sent'), 'success');
      setTimeout(() => loadLog().catch(() => {}), 1500);
      await loadLog();
    });
    act(toggle, async () => {
      await api.patch(`${base}/${id}`, { enabled: !endpoint.enabled });
      await load();
    });
    act(reveal, async () => {
      const { secret } = await api.post(`${base}/${id}/secret`);
      showSecret(t('webhooks.secret_of', { url: endpoint.url }), secret, t('webhooks.secret_keep'));
    });
    act(rotate, async () => {
      if (!window.confirm(t('webhooks.rotate_confirm'))) return;
      const { secret } = await api.post(`${base}/${id}/secret/rotate`);
      showSecret(t('webhooks.secret_of', { url: endpoint.url }), secret, t('webhooks.rotated'));
      await load();
    });
    act(remove, async () => {
      if (!window.confirm(t('webhooks.delete_confirm', { url: endpoint.url }))) return;
      await api.del(`${base}/${id}`);
      await load();
      showMessage(box, t('webhooks.deleted'), 'success');
    });
    act(refresh, loadLog);
    const card = h('article', { class: `card${endpoint.enabled ? '' : ' row-muted'}` },
      h('h3', {}, h('code', {}, endpoint.url)),
      endpoint.description ? h('p', {}, endpoint.description) : null,
      h('p', {}, h('span', { class: `badge ${endpoint.enabled ? 'badge-active' : 'badge-archived'}` },
        t(endpoint.enabled ? 'webhooks.on' : 'webhooks.off')), ' ',
      t('webhooks.secret_hint', { last: endpoint.secretHint })),
      h('ul', { class: 'chips', 'aria-label': t('webhooks.events') }, endpoint.events.map((e) => h('li', {}, h('code', {}, e)))),
      h('div', { class: 'actions' }, test, refresh, toggle, reveal, rotate, remove),
      log);
    loadLog().catch((error) => reportError(error, { box }));
    return card;
  }

  async function load() {
    const { items } = await api.get(base);
    fill(list, items.length ? items.map(endpointCard) : h('p', { class: 'empty' }, t('webhooks.none')));
  }

  const url = h('input', { type: 'url', required: true, maxlength: 2000, placeholder: 'https://' });
  const description = h('input', { type: 'text', maxlength: 200, autocomplete: 'off' });
  const boxes = EVENTS.map((event) => ({ event, ...checkbox(h('code', {}, event), { value: event }) }));
  const events = h('fieldset', { class: 'checks', dataset: { field: 'events' } },
    h('legend', {}, t('webhooks.events')),
    h('div', { class: 'check-grid' }, boxes.map((b) => h('div', {}, b.el,
      h('span', { class: 'hint' }, t(`webhooks.about.${b.event}`))))));
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('webhooks.create'));
  const form = h('form', { class: 'card form', novalidate: true },
    h('h2', {}, t('webhooks.create_title')),
    field(t('webhooks.url'), url, { name: 'url', hint: t('webhooks.url_hint') }),
    field(t('webhooks.description'), description, { name: 'description' }),
    events,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    showMessage(box, '');
    const chosen = boxes.filter((b) => b.input.checked).map((b) => b.event);
    if (!url.value.trim()) return showFieldError(form, 'url', t('form.required'))?.focus();
    if (!chosen.length) {
      showFieldError(form, 'events', t('webhooks.choose_event'));
      return boxes[0].input.focus();
    }
    return busy(submit, async () => {
      try {
        const created = await api.post(base, { url: url.value.trim(), description: description.value, events: chosen });
        showSecret(t('webhooks.secret_of', { url: created.endpoint.url }), created.secret, t('webhooks.secret_keep'));
        form.reset();
        await load();
      } catch (error) {
        reportError(error, { scope: form, box });
      }
    });
  });

  ctx.root.append(box, h('p', { class: 'intro' }, t('webhooks.intro')), form, secretHolder,
    h('section', { class: 'stack', 'aria-label': t('webhooks.list') }, h('h2', {}, t('webhooks.list')), list));
  await load();
}
