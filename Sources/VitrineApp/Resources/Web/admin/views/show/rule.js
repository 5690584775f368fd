// A series' weekly rule: ISO weekdays and a local time in the brand's zone, with the next dates it gives.

import { t } from '../../i18n.js';
import { h } from '../../lib/dom.js';
import { field, checkbox } from '../../lib/forms.js';
import { weekdayName, zonedToUtc, utcToZoned, isoUtc, formatZoned } from './time.js';

const DAYS = [1, 2, 3, 4, 5, 6, 7];
const pad = (n) => String(n).padStart(2, '0');

/** "19:00" from a rule's hour and minute. */
export const localTimeOf = (rule) => `${pad(rule.hour)}:${pad(rule.minute)}`;

/** "Mon, Thu · 19:00", or "Every day · 19:00". */
export function ruleText(rule) {
  const days = rule.weekdays.length === 7 ? t('series.every_day') : rule.weekdays.map((d) => weekdayName(d, 'short')).join(', ');
  return `${days} · ${localTimeOf(rule)}`;
}

/** The next `count` starts of a rule (as UTC ms), computed like the server: wall-clock time in `zone`. */
export function nextStarts(weekdays, localTime, zone, count = 3) {
  const today = utcToZoned(isoUtc(Date.now()), zone).date;
  const [y, m, d] = today.split('-').map(Number);
  const out = [];
  for (let offset = 0; offset < 15 && out.length < count; offset += 1) {
    const day = new Date(Date.UTC(y, m - 1, d + offset));
    const iso = ((day.getUTCDay() + 6) % 7) + 1;
    if (!weekdays.includes(iso)) continue;
    const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    const found = zonedToUtc(date, localTime, zone);
    if (found && found.ms > Date.now()) out.push(found.ms);
  }
  return out;
}

/** Weekday checkboxes and the local time; `collect(errors)` gives {weekdays, localTime}. */
export function ruleFields(series, { zone }) {
  const chosen = new Set(series.rule?.weekdays ?? []);
  const boxes = DAYS.map((day) => ({ day, ...checkbox(weekdayName(day), { value: day, checked: chosen.has(day) }) }));
  const time = h('input', { type: 'time', step: 60, class: 'input-time',
    value: series.rule ? localTimeOf(series.rule) : '19:00' });
  const preview = h('p', { class: 'hint', 'aria-live': 'polite' });
  const days = h('fieldset', { class: 'checks', dataset: { field: 'weekdays' }, tabindex: '-1' },
    h('legend', {}, t('series.weekdays')),
    h('div', { class: 'weekdays' }, boxes.map((b) => b.el)));

  const weekdays = () => boxes.filter((b) => b.input.checked).map((b) => b.day);
  function refresh() {
    const starts = /^\d{2}:\d{2}$/.test(time.value) ? nextStarts(weekdays(), time.value, zone) : [];
    preview.textContent = starts.length
      ? t('series.next', { dates: starts.map((ms) => formatZoned(ms, zone)).join(' · '), zone }) : '';
  }
  for (const b of boxes) b.input.addEventListener('change', refresh);
  time.addEventListener('input', refresh);
  refresh();

  const el = h('div', { class: 'card' },
    h('h2', {}, t('series.rule')),
    days,
    field(t('series.local_time', { zone }), time, { name: 'localTime', hint: t('series.local_time_hint', { zone }) }),
    preview);

  function collect(errors) {
    const list = weekdays();
    if (!list.length) errors.push(['weekdays', t('series.weekdays_required')]);
    const value = time.value.slice(0, 5);
    if (!/^\d{2}:\d{2}$/.test(value)) errors.push(['localTime', t('series.time_invalid')]);
    return { weekdays: list, localTime: value };
  }

  return { el, collect };
}
