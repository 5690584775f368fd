// Wall-clock time in the brand's time zone ↔ UTC instants, whatever the browser's own zone.
// Intl gives the zone's offset at an instant; the local date's offset is searched like the server's
// WeeklyRule does: a time that exists twice takes the first instant, one that does not exist (the
// spring-forward gap) moves to the end of the gap.

import { locale } from '../../i18n.js';

const parts = new Map();
const DAY = 86_400_000;

function partsFormat(timeZone) {
  if (!parts.has(timeZone)) {
    parts.set(timeZone, new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }));
  }
  return parts.get(timeZone);
}

/** The wall clock of `timeZone` at instant `ms`, as numbers. */
function wallClock(ms, timeZone) {
  const out = {};
  for (const { type, value } of partsFormat(timeZone).formatToParts(new Date(ms))) out[type] = Number(value);
  return out;
}

/** The zone's offset from UTC at instant `ms`, in ms (Paris in summer: +7 200 000). */
export function offsetAt(ms, timeZone) {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour % 24, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Whether `timeZone` is a name Intl knows. */
export function knownZone(timeZone) {
  try {
    partsFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * "2026-03-29" and "02:30" in `timeZone` → the UTC instant in ms, or null when unreadable.
 * `shifted` says the local time does not exist that day (clock change) and was moved to the gap's end.
 */
export function zonedToUtc(dateText, timeText, timeZone) {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateText ?? '');
  const t = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(timeText ?? '');
  if (!d || !t) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(wall) || Number(t[1]) > 23 || Number(t[2]) > 59) return null;
  const offsets = new Set([-DAY, 0, DAY].map((delta) => offsetAt(wall + delta, timeZone)));
  const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
  const exact = candidates.find((instant) => offsetAt(instant, timeZone) === wall - instant);
  if (exact !== undefined) return { ms: exact, shifted: false };
  // In a gap: find, to the second, where the offset changes between the first and last candidates.
  let low = candidates[0];
  let high = candidates[candidates.length - 1];
  const before = offsetAt(low, timeZone);
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return { ms: high, shifted: true };
}

const pad = (n, size = 2) => String(n).padStart(size, '0');

/** An ISO instant → {date: "2026-12-03", time: "19:00"} on the wall clock of `timeZone`. */
export function utcToZoned(iso, timeZone) {
  const ms = Date.parse(iso ?? '');
  if (Number.isNaN(ms)) return { date: '', time: '' };
  const w = wallClock(ms, timeZone);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour % 24)}:${pad(w.minute)}` };
}

/** An instant as the API reads it: ISO 8601 in UTC, without milliseconds ("2026-12-03T18:00:00Z"). */
export function isoUtc(ms) {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A weekday name in the UI language; `iso` goes from 1 (Monday) to 7 (Sunday). */
export function weekdayName(iso, width = 'long') {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale(), { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, iso)));
}

/** An instant on the wall clock of `timeZone`, with its weekday: "jeu. 3 déc. 2026, 19:00". */
export function formatZoned(ms, timeZone, options = {}) {
  const style = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale(), { ...style, timeZone, ...options }).format(new Date(ms));
  } catch {
    return new Intl.DateTimeFormat(locale(), { ...style, ...options }).format(new Date(ms));
  }
}
