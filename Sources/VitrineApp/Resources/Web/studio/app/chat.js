// The chat as the team runs it: messages (the team's marked), and for moderators delete, time out,
// ban and pin a question; the pinned question with "answered"; slow mode; the team's replies.
// Viewers' text only ever goes into the page as text.

import { t, locale } from '/admin/i18n.js';
import { h, fill, uid } from '/admin/lib/dom.js';
import { messageBox, showMessage, select } from '/admin/lib/forms.js';
import { panel, roomErrorText, confirmAction, act } from '/studio/app/ui.js';

const KEEP = 200;
const TIMEOUT_SECONDS = 300;
const SLOW_MODES = [0, 10, 30, 60];

const time = (iso) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
};

export function chatPanel({ room }) {
  const list = h('ol', { class: 'chat-list' });
  const empty = h('p', { class: 'muted chat-empty' }, t('studio.no_messages'));
  const scroller = h('div', { class: 'chat-scroll', role: 'region', tabindex: '0', 'aria-label': t('studio.chat_messages') },
    empty, list);
  const messages = new Map();
  const showEmpty = () => { empty.hidden = messages.size > 0; };
  let canModerate = false;

  // The pinned question, above the chat.
  const question = h('div', { class: 'pinned-question', hidden: true });
  let pinnedQuestion = null;

  function drawQuestion(message, answered = false) {
    pinnedQuestion = message;
    question.hidden = !message;
    if (!message) return;
    const box = messageBox();
    const answer = h('button', { type: 'button', class: 'button', hidden: answered || !canModerate },
      t('studio.mark_answered'));
    answer.addEventListener('click', () => act(answer, box, () => room.request({ type: 'answer_question', messageId: message.id })));
    fill(question,
      h('h3', {}, t('studio.pinned_question')),
      h('p', {}, h('span', { class: 'strong' }, message.name), ' ', message.text),
      answered ? h('p', { class: 'badge badge-active' }, t('studio.answered')) : null,
      answer, box);
  }

  function messageItem(message) {
    const box = messageBox();
    const actions = [];
    if (canModerate) {
      const remove = h('button', { type: 'button', class: 'button button-small',
        'aria-label': t('studio.delete_n', { name: message.name }) }, t('studio.delete'));
      remove.addEventListener('click', () => act(remove, box,
        () => room.request({ type: 'delete_message', messageId: message.id })));
      actions.push(remove);
      if (!message.staff) {
        const mute = h('button', { type: 'button', class: 'button button-small',
          'aria-label': t('studio.timeout_n', { name: message.name }) }, t('studio.timeout'));
        mute.addEventListener('click', () => act(mute, box,
          () => room.request({ type: 'timeout', messageId: message.id, seconds: TIMEOUT_SECONDS }),
          t('studio.timed_out', { name: message.name })));
        const ban = h('button', { type: 'button', class: 'button button-small button-danger',
          'aria-label': t('studio.ban_n', { name: message.name }) }, t('studio.ban'));
        ban.addEventListener('click', async () => {
          const sure = await confirmAction({ title: t('studio.ban_title', { name: message.name }),
            text: t('studio.ban_confirm', { name: message.name }), confirm: t('studio.ban'), danger: true });
          if (sure) act(ban, box, () => room.request({ type: 'ban', messageId: message.id }), t('studio.banned', { name: message.name }));
        });
        const ask = h('button', { type: 'button', class: 'button button-small',
          'aria-label': t('studio.pin_question_n', { name: message.name }) }, t('studio.pin_question'));
        ask.addEventListener('click', () => act(ask, box, () => room.request({ type: 'pin_question', messageId: message.id })));
        actions.push(mute, ban, ask);
      }
    }
    return h('li', { class: `chat-message${message.staff ? ' staff' : ''}`, dataset: { messageId: message.id } },
      h('p', { class: 'chat-meta' },
        h('span', { class: 'strong' }, message.name),
        message.staff ? [' ', h('span', { class: 'badge badge-staff' }, t('studio.team'))] : null,
        ' ', h('time', { class: 'muted small', datetime: message.sentAt }, time(message.sentAt))),
      h('p', { class: 'chat-text' }, message.text),
      actions.length ? h('div', { class: 'row-actions' }, actions) : null,
      box);
  }

  function add(message) {
    const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 24;
    const li = messageItem(message);
    messages.set(message.id, li);
    list.append(li);
    while (messages.size > KEEP) {
      const [id, oldest] = messages.entries().next().value;
      oldest.remove();
      messages.delete(id);
    }
    showEmpty();
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
  }

  // Slow mode.
  const slowBox = messageBox();
  const slow = select(SLOW_MODES.map((s) => [String(s), s ? t('studio.slow_n', { n: s }) : t('studio.slow_off')]), '0',
    { id: uid('slow') });
  let slowMode = 0;
  function drawSlow(seconds) {
    slowMode = seconds;
    if (![...slow.options].some((o) => o.value === String(seconds))) {
      slow.append(h('option', { value: String(seconds) }, t('studio.slow_n', { n: seconds })));
    }
    slow.value = String(seconds);
  }
  slow.addEventListener('change', async () => {
    const seconds = Number(slow.value);
    showMessage(slowBox, '');
    try {
      await room.request({ type: 'slow_mode', seconds });
    } catch (error) {
      drawSlow(slowMode);
      showMessage(slowBox, roomErrorText(error), 'error');
    }
  });
  const slowField = h('div', { class: 'field inline' }, h('label', { for: slow.id }, t('studio.slow_mode')), slow, slowBox);

  // The team's reply.
  const replyBox = messageBox();
  const reply = h('input', { type: 'text', id: uid('reply'), maxlength: 300, autocomplete: 'off' });
  const send = h('button', { type: 'submit', class: 'button button-primary' }, t('studio.send'));
  const form = h('form', { class: 'chat-reply' },
    h('label', { for: reply.id }, t('studio.reply')), h('div', { class: 'copy-row' }, reply, send), replyBox);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = reply.value.trim();
    if (!text) return;
    if (await act(send, replyBox, () => room.request({ type: 'chat', text }))) {
      reply.value = '';
      reply.focus();
    }
  });

  room.on('snapshot', (snapshot) => {
    canModerate = Boolean(snapshot.you?.canModerate);
    slow.disabled = !canModerate;
    messages.clear();
    list.replaceChildren();
    for (const message of snapshot.chat ?? []) add(message);
    showEmpty();
    drawQuestion(snapshot.question ?? null);
    drawSlow(snapshot.slowMode ?? 0);
    scroller.scrollTop = scroller.scrollHeight;
  });
  room.on('chat', (event) => add(event.message));
  room.on('chat_deleted', (event) => {
    messages.get(event.id)?.remove();
    messages.delete(event.id);
    showEmpty();
  });
  room.on('question_pinned', (event) => drawQuestion(event.message));
  room.on('question_answered', (event) => {
    if (pinnedQuestion?.id === event.id) drawQuestion(pinnedQuestion, true);
  });
  room.on('slow_mode', (event) => drawSlow(event.seconds));

  return panel(t('studio.chat'), question, slowField, scroller, form);
}
