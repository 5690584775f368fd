// The stream key for OBS: revealed on demand, never in the URL or storage, wiped when the page is left.

import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { h, clear, append, uid, copyText } from '../../lib/dom.js';
import { messageBox, showMessage, reportError, busy } from '../../lib/forms.js';

function copyField(labelText, value) {
  const input = h('input', { type: 'text', readonly: true, value, id: uid('key'), class: 'code', spellcheck: 'false',
    autocomplete: 'off' });
  const status = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'button', 'aria-label': t('stream.copy_n', { what: labelText }) },
    t('secret.copy'));
  copy.addEventListener('click', async () => {
    status.textContent = (await copyText(input.value, input)) ? t('secret.copied') : t('secret.copy_manually');
  });
  input.addEventListener('focus', () => input.select());
  return { input, el: h('div', { class: 'field' }, h('label', { for: input.id }, labelText),
    h('div', { class: 'copy-row' }, input, copy), status) };
}

/**
 * `revealPath` answers {server, streamKey}; `rotatePath` (optional) replaces the key. `hint` is the
 * key's last characters; `sharedWithSeries` says the key is the series' one, used by all its shows.
 */
export function streamKeyPanel(ctx, { revealPath, rotatePath, hint, sharedWithSeries, forSeries }) {
  const box = messageBox();
  const holder = h('div', { class: 'stream-key' });
  const reveal = h('button', { type: 'button', class: 'button button-primary' }, t('stream.reveal'));
  const rotate = rotatePath ? h('button', { type: 'button', class: 'button button-danger' }, t('stream.rotate')) : null;
  const hintText = h('p', { class: 'hint' });
  const setHint = (last) => { hintText.textContent = last ? t('stream.hint', { last }) : ''; };
  setHint(hint);
  let fields = [];

  /** Empties the inputs, then removes them: the key is no longer anywhere in the page. */
  function wipe() {
    for (const field of fields) field.input.value = '';
    fields = [];
    clear(holder);
    reveal.hidden = false;
  }

  function show({ server, streamKey }, focus) {
    wipe();
    fields = [copyField(t('stream.server'), server), copyField(t('stream.key'), streamKey)];
    const hide = h('button', { type: 'button', class: 'button', onclick: () => { wipe(); reveal.focus(); } },
      t('stream.hide'));
    append(holder, [
      h('p', { class: 'message message-warning' }, t('stream.secret_warning')),
      fields.map((f) => f.el),
      h('div', { class: 'obs-help' },
        h('h3', {}, t('stream.obs_title')),
        h('ol', { class: 'plain-list' },
          ['stream.obs_service', 'stream.obs_fields', 'stream.obs_output', 'stream.obs_keyframe', 'stream.obs_codecs']
            .map((key) => h('li', {}, t(key))))),
      h('div', { class: 'actions' }, hide)]);
    reveal.hidden = true;
    setHint(streamKey.slice(-4));
    if (focus) fields[1].input.focus();
  }

  reveal.addEventListener('click', () => busy(reveal, async () => {
    showMessage(box, '');
    try {
      show(await api.post(revealPath), true);
    } catch (error) {
      reportError(error, { box });
    }
  }));
  rotate?.addEventListener('click', () => {
    const question = t(sharedWithSeries ? 'stream.rotate_confirm_series' : 'stream.rotate_confirm');
    if (!window.confirm(question)) return undefined;
    return busy(rotate, async () => {
      showMessage(box, '');
      try {
        show(await api.post(rotatePath), true);
        showMessage(box, t('stream.rotated'), 'success');
      } catch (error) {
        reportError(error, { box });
      }
    });
  });
  ctx.onLeave(wipe);

  const el = h('div', { class: 'card', role: 'region', 'aria-labelledby': 'stream-title' },
    h('h2', { id: 'stream-title' }, t('stream.title')),
    h('p', {}, t(forSeries ? 'stream.intro_series' : sharedWithSeries ? 'stream.intro_shared' : 'stream.intro')),
    hintText, box, holder,
    h('div', { class: 'actions' }, reveal, rotate));
  return { el, wipe };
}
