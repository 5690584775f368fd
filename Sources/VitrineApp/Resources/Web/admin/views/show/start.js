// A show's start: a date and a time on the brand's wall clock, read back as UTC with a preview.

import { t } from '../../i18n.js';
import { h } from '../../lib/dom.js';
import { field } from '../../lib/forms.js';
import { zonedToUtc, utcToZoned, isoUtc, formatZoned } from './time.js';

/** The API's form of an ISO instant (UTC, no milliseconds), or undefined. */
export function normalIso(iso) {
  const ms = Date.parse(iso ?? '');
  return Number.isNaN(ms) ? undefined : isoUtc(ms);
}

/**
 * Date and time inputs for `show.scheduledStart` in `zone`. A live show's start is shown but fixed;
 * a start cannot be removed once set (the API keeps it), only moved.
 */
export function startFields(show, { zone, isNew }) {
  const local = show.scheduledStart ? utcToZoned(show.scheduledStart, zone) : { date: '', time: '' };
  const fixed = show.status === 'live';
  const date = h('input', { type: 'date', value: local.date, disabled: fixed, class: 'input-date' });
  const time = h('input', { type: 'time', value: local.time, step: 60, disabled: fixed, class: 'input-time' });
  const preview = h('p', { class: 'hint start-preview', 'aria-live': 'polite' });
  const hint = t(isNew ? 'show.start_hint_new' : 'show.start_hint', { zone });

  function read() {
    if (!date.value && !time.value) return { empty: true };
    const found = zonedToUtc(date.value, time.value, zone);
    return found ? { ...found, empty: false } : { invalid: true, empty: false };
  }

  function refresh() {
    const when = read();
    preview.className = 'hint start-preview';
    if (when.empty || when.invalid) {
      preview.textContent = when.empty ? '' : t('show.start_incomplete');
      return;
    }
    const utc = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' })
      .format(new Date(when.ms));
    const parts = [t('show.start_preview', { when: formatZoned(when.ms, zone), zone, utc })];
    if (when.shifted) {
      parts.push(t('show.start_gap', { time: utcToZoned(isoUtc(when.ms), zone).time }));
      preview.classList.add('start-warning');
    }
    if (when.ms <= Date.now() && !fixed) {
      parts.push(t('show.start_past'));
      preview.classList.add('start-warning');
    }
    preview.textContent = parts.join(' ');
  }
  date.addEventListener('input', refresh);
  time.addEventListener('input', refresh);
  refresh();

  const el = h('fieldset', { class: 'checks start' },
    h('legend', {}, t('show.start', { zone })),
    h('p', { class: 'hint' }, fixed ? t('show.start_live') : hint),
    h('div', { class: 'start-row' },
      field(t('show.start_date'), date, { name: 'scheduledStart' }),
      field(t('show.start_time'), time, { name: 'scheduledStart.time' })),
    preview);

  /** The ISO start to send, or undefined when left empty; pushes [field, message] pairs on `errors`. */
  function collect(errors) {
    if (fixed) return undefined;
    const when = read();
    if (when.empty) {
      if (show.scheduledStart) errors.push(['scheduledStart', t('show.start_required')]);
      return undefined;
    }
    if (when.invalid) {
      errors.push([date.value ? 'scheduledStart.time' : 'scheduledStart', t('show.start_incomplete')]);
      return undefined;
    }
    return isoUtc(when.ms);
  }

  return { el, collect };
}
