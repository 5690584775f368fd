// Polls: a question and 2 to 6 options; while open, the votes as they come (poll_results), then
// closed with its final counts. One open poll at a time (the room says so too).

import { t } from '/admin/i18n.js';
import { h, fill, uid } from '/admin/lib/dom.js';
import { messageBox, showMessage } from '/admin/lib/forms.js';
import { formatNumber } from '/admin/lib/format.js';
import { panel, act } from '/studio/app/ui.js';

const MIN = 2;
const MAX = 6;

export function pollPanel({ room }) {
  const box = messageBox();
  const question = h('input', { type: 'text', id: uid('poll'), maxlength: 200, autocomplete: 'off' });
  const options = h('ol', { class: 'poll-options' });
  const add = h('button', { type: 'button', class: 'button' }, t('studio.poll_add'));
  const open = h('button', { type: 'submit', class: 'button button-primary' }, t('studio.poll_open'));
  const form = h('form', { class: 'poll-form' },
    h('div', { class: 'field' }, h('label', { for: question.id }, t('studio.poll_question')), question),
    options, h('div', { class: 'actions' }, add, open), box);
  const current = h('div', { class: 'poll-current' });
  let poll = null;
  let canRun = false;
  const runners = h('p', { class: 'hint', hidden: true }, t('studio.run_only'));

  function addOption(value = '') {
    const n = options.children.length + 1;
    const input = h('input', { type: 'text', id: uid('option'), maxlength: 100, autocomplete: 'off', value });
    const remove = h('button', { type: 'button', class: 'button button-small', 'aria-label': t('studio.poll_remove_n', { n }) },
      '✕');
    const li = h('li', { class: 'field poll-option' }, h('label', { for: input.id }, t('studio.poll_option', { n })),
      h('div', { class: 'copy-row' }, input, remove));
    remove.addEventListener('click', () => {
      li.remove();
      renumber();
      options.querySelector('input')?.focus();
    });
    options.append(li);
    renumber();
    return input;
  }

  function renumber() {
    [...options.children].forEach((li, i) => {
      li.querySelector('label').textContent = t('studio.poll_option', { n: i + 1 });
      const remove = li.querySelector('button');
      remove.setAttribute('aria-label', t('studio.poll_remove_n', { n: i + 1 }));
      remove.hidden = options.children.length <= MIN;
    });
    add.hidden = options.children.length >= MAX;
  }

  function drawPoll() {
    form.hidden = Boolean(poll && !poll.closed) || !canRun;
    if (!poll) {
      fill(current);
      return;
    }
    const total = poll.counts.reduce((sum, n) => sum + n, 0);
    const closeBox = messageBox();
    const close = h('button', { type: 'button', class: 'button button-danger', hidden: poll.closed || !canRun },
      t('studio.poll_close'));
    close.addEventListener('click', () => act(close, closeBox, () => room.request({ type: 'close_poll', pollId: poll.id })));
    fill(current,
      h('h3', {}, poll.question, ' ', h('span', { class: `badge ${poll.closed ? 'badge-archived' : 'badge-show-live'}` },
        t(poll.closed ? 'studio.poll_closed' : 'studio.poll_live'))),
      h('ul', { class: 'poll-results' }, poll.options.map((option, i) => {
        const count = poll.counts[i] ?? 0;
        const share = total ? Math.round((count / total) * 100) : 0;
        const bar = h('span', { class: 'poll-bar' });
        bar.style.width = `${share}%`;
        return h('li', {}, h('span', { class: 'poll-label' }, option, ' ',
          h('span', { class: 'muted' }, t('studio.poll_votes', { n: count, count: formatNumber(count), share }))),
        h('span', { class: 'poll-track', 'aria-hidden': 'true' }, bar));
      })),
      h('p', { class: 'muted small' }, t('studio.poll_total', { n: total, count: formatNumber(total) })),
      close, closeBox);
  }

  add.addEventListener('click', () => addOption().focus());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = question.value.trim();
    const choices = [...options.querySelectorAll('input')].map((input) => input.value.trim()).filter(Boolean);
    if (!text || choices.length < MIN) {
      showMessage(box, t('studio.poll_incomplete'), 'error');
      (text ? options.querySelector('input') : question).focus();
      return;
    }
    if (await act(open, box, () => room.request({ type: 'open_poll', question: text, options: choices }))) {
      question.value = '';
      options.replaceChildren();
      for (let i = 0; i < MIN; i += 1) addOption();
    }
  });

  room.on('snapshot', (snapshot) => {
    canRun = Boolean(snapshot.you?.canRun);
    runners.hidden = canRun;
    poll = snapshot.poll ?? null;
    drawPoll();
  });
  room.on('poll_opened', (event) => {
    poll = { ...event.poll };
    drawPoll();
  });
  room.on('poll_results', (event) => {
    if (poll?.id !== event.pollId) return;
    poll.counts = event.counts;
    drawPoll();
  });
  room.on('poll_closed', (event) => {
    if (poll?.id !== event.pollId) return;
    poll.counts = event.counts;
    poll.closed = true;
    drawPoll();
  });
  for (let i = 0; i < MIN; i += 1) addOption();
  return panel(t('studio.polls'), runners, current, form);
}
