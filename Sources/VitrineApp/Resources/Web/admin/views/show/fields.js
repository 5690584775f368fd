// The details a show and a series share: title, description, cover, language, duration, format,
// orientation, replay; for a show also its start (in the brand's time zone) and its access code.

import { t } from '../../i18n.js';
import { h } from '../../lib/dom.js';
import { field, checkbox, select, showFieldError } from '../../lib/forms.js';
import { FORMATS, ORIENTATIONS, languageOptions } from './common.js';
import { startFields, normalIso } from './start.js';

const ACCESS_CODE = /^[A-Za-z0-9-]{4,40}$/;

function text(value, props = {}) {
  return h('input', { type: 'text', value: value ?? '', ...props });
}

/**
 * The form section for `item` (a Show or a Series). `kind` is "show" or "series"; `zone` the brand's
 * time zone. `collect(scope)` returns the input fields, or null after marking what is wrong.
 */
export function detailFields(item, { kind, brand, zone, isNew }) {
  const isShow = kind === 'show';
  const title = text(item.title, { required: true, maxlength: 200 });
  const description = h('textarea', { rows: 5, maxlength: 5000 });
  description.value = item.description ?? '';
  const cover = h('input', { type: 'url', value: item.coverUrl ?? '', inputmode: 'url', spellcheck: 'false' });
  const language = select(languageOptions(brand, item.language), item.language ?? brand?.languages?.[0] ?? 'fr');
  const duration = h('input', { type: 'number', min: 5, max: 600, step: 5, class: 'input-short',
    value: item.durationMinutes ?? 60 });
  const format = select(FORMATS.map((f) => [f, t(`show_format.${f}`)]), item.format ?? 'public');
  const orientation = select(ORIENTATIONS.map((o) => [o, t(`orientation.${o}`)]), item.orientation ?? 'vertical');
  const replay = checkbox(t('show.auto_publish'), { checked: item.autoPublishReplay ?? true });
  replay.input.dataset.field = 'autoPublishReplay';

  const start = isShow ? startFields(item, { zone, isNew }) : null;
  const accessCode = isShow
    ? text(item.accessCode ?? '', { maxlength: 40, spellcheck: 'false', autocapitalize: 'characters', class: 'code' })
    : null;
  const accessField = isShow
    ? field(t('show.access_code'), accessCode, { name: 'accessCode', hint: t('show.access_code_hint') })
    : null;
  const syncFormat = () => { if (accessField) accessField.hidden = format.value !== 'private'; };
  format.addEventListener('change', syncFormat);
  syncFormat();

  const el = h('div', { class: 'card' },
    h('h2', {}, t('show.details')),
    h('div', { class: 'grid' },
      field(t('field.title'), title, { name: 'title', className: 'span-2' }),
      field(t('field.description'), description, { name: 'description', className: 'span-all', hint: t('show.description_hint') }),
      field(t('show.cover'), cover, { name: 'coverUrl', hint: t('show.cover_hint') }),
      field(t('show.language'), language, { name: 'language' })),
    start?.el,
    h('div', { class: 'grid' },
      field(t('show.duration'), duration, { name: 'durationMinutes', hint: t('show.duration_hint') }),
      field(t('show.format'), format, { name: 'format', hint: t('show.format_hint') }),
      accessField,
      field(t('show.orientation'), orientation, { name: 'orientation', hint: t('show.orientation_hint') })),
    h('div', { class: 'field' }, replay.el, h('p', { class: 'hint' }, t('show.auto_publish_hint'))));

  function collect(scope) {
    const errors = [];
    const minutes = Number(duration.value);
    if (!title.value.trim()) errors.push(['title', t('form.required')]);
    if (!/^\d+$/.test(duration.value.trim()) || minutes < 5 || minutes > 600) {
      errors.push(['durationMinutes', t('show.duration_invalid')]);
    }
    const code = accessCode?.value.trim() ?? '';
    if (isShow && format.value === 'private' && code && !ACCESS_CODE.test(code)) {
      errors.push(['accessCode', t('show.access_code_invalid')]);
    }
    const when = start ? start.collect(errors) : undefined;
    if (errors.length) {
      errors.map(([name, message]) => showFieldError(scope, name, message))[0]?.focus();
      return null;
    }
    const input = {
      title: title.value.trim(),
      description: description.value.trim(),
      coverUrl: cover.value.trim(),
      language: language.value,
      durationMinutes: minutes,
      format: format.value,
      orientation: orientation.value,
      autoPublishReplay: replay.input.checked,
    };
    if (when) input.scheduledStart = when;
    if (isShow && format.value === 'private') input.accessCode = code;
    return input;
  }

  return { el, collect, title };
}

/** A show or series as the same shape `collect` returns, to find what changed. */
export function detailsOf(item) {
  return {
    title: item.title,
    description: item.description ?? '',
    coverUrl: item.coverUrl ?? '',
    language: item.language,
    durationMinutes: item.durationMinutes,
    format: item.format,
    orientation: item.orientation,
    autoPublishReplay: item.autoPublishReplay,
    scheduledStart: normalIso(item.scheduledStart),
    accessCode: item.accessCode ?? '',
  };
}
