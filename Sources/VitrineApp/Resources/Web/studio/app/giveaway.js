// Giveaways: a title and its rules; while open, how many entered; the draw closes it and names the
// winner (their address masked, as everyone sees it).

import { t } from '/admin/i18n.js';
import { h, fill, uid } from '/admin/lib/dom.js';
import { messageBox, showMessage } from '/admin/lib/forms.js';
import { formatNumber } from '/admin/lib/format.js';
import { panel, confirmAction, act } from '/studio/app/ui.js';

export function giveawayPanel({ room }) {
  const box = messageBox();
  const title = h('input', { type: 'text', id: uid('giveaway'), maxlength: 200, autocomplete: 'off' });
  const rules = h('textarea', { id: uid('rules'), rows: 3, maxlength: 2000 });
  const open = h('button', { type: 'submit', class: 'button button-primary' }, t('studio.giveaway_open'));
  const form = h('form', {},
    h('div', { class: 'field' }, h('label', { for: title.id }, t('studio.giveaway_title')), title),
    h('div', { class: 'field' }, h('label', { for: rules.id }, t('studio.giveaway_rules')), rules),
    h('div', { class: 'actions' }, open), box);
  const current = h('div', { class: 'giveaway-current' });
  const winner = h('p', { class: 'giveaway-winner', 'aria-live': 'polite' });
  let giveaway = null;
  let canRun = false;
  const runners = h('p', { class: 'hint', hidden: true }, t('studio.run_only'));

  function draw() {
    form.hidden = Boolean(giveaway && !giveaway.winner) || !canRun;
    if (!giveaway) {
      fill(current);
      return;
    }
    const drawBox = messageBox();
    const drawButton = h('button', { type: 'button', class: 'button button-primary', hidden: Boolean(giveaway.winner) || !canRun },
      t('studio.giveaway_draw'));
    drawButton.addEventListener('click', async () => {
      const sure = await confirmAction({ title: t('studio.giveaway_draw'),
        text: t('studio.giveaway_draw_confirm', { n: giveaway.entries, count: formatNumber(giveaway.entries) }),
        confirm: t('studio.giveaway_draw') });
      if (sure) act(drawButton, drawBox, () => room.request({ type: 'draw_giveaway', giveawayId: giveaway.id }));
    });
    winner.textContent = giveaway.winner
      ? t('studio.giveaway_winner', { name: giveaway.winner.name, email: giveaway.winner.email }) : '';
    fill(current,
      h('h3', {}, giveaway.title),
      giveaway.rules ? h('p', { class: 'muted small' }, giveaway.rules) : null,
      h('p', { class: 'strong' }, t('studio.giveaway_entries', { n: giveaway.entries, count: formatNumber(giveaway.entries) })),
      winner, drawButton, drawBox);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!title.value.trim() || !rules.value.trim()) {
      showMessage(box, t('studio.giveaway_incomplete'), 'error');
      (title.value.trim() ? rules : title).focus();
      return;
    }
    const ack = await act(open, box, () => room.request({ type: 'open_giveaway', title: title.value.trim(), rules: rules.value.trim() }));
    if (ack) {
      title.value = '';
      rules.value = '';
    }
  });

  room.on('snapshot', (snapshot) => {
    canRun = Boolean(snapshot.you?.canRun);
    runners.hidden = canRun;
    giveaway = snapshot.giveaway ? { ...snapshot.giveaway } : null;
    draw();
  });
  room.on('giveaway_opened', (event) => {
    giveaway = { ...event.giveaway };
    draw();
  });
  room.on('giveaway_entries', (event) => {
    if (giveaway?.id !== event.giveawayId) return;
    giveaway.entries = event.count;
    draw();
  });
  room.on('giveaway_winner', (event) => {
    if (giveaway?.id !== event.giveawayId) return;
    giveaway.winner = { name: event.name, email: event.email };
    draw();
  });
  return panel(t('studio.giveaways'), runners, current, form);
}
