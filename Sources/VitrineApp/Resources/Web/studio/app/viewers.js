// How many watch now, and since this page opened: a line drawn in inline SVG from the room's counts,
// sampled again every few seconds so the line goes on while the count holds.

import { t } from '/admin/i18n.js';
import { h } from '/admin/lib/dom.js';
import { formatNumber } from '/admin/lib/format.js';
import { panel } from '/studio/app/ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const SAMPLE_MS = 5000;
const MAX_SAMPLES = 720; // an hour at one sample every 5 s; older ones are dropped
const WIDTH = 300;
const HEIGHT = 80;

function svg(tag, attributes) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  return el;
}

export function viewersPanel({ room }) {
  const samples = [];
  let last = null;
  const now = h('p', { class: 'viewer-count' }, '—');
  const peak = h('p', { class: 'muted small' });
  const line = svg('polyline', { class: 'viewer-line', fill: 'none', points: '' });
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', class: 'viewer-chart',
    role: 'img', 'aria-label': t('studio.viewers_chart_empty') });
  chart.append(svg('line', { class: 'viewer-axis', x1: 0, y1: HEIGHT - 1, x2: WIDTH, y2: HEIGHT - 1 }), line);

  function redraw() {
    const top = Math.max(1, ...samples.map((s) => s.count));
    const first = samples[0]?.time ?? 0;
    const span = Math.max(1, (samples.at(-1)?.time ?? 0) - first);
    line.setAttribute('points', samples.map((s) => {
      const x = samples.length === 1 ? WIDTH : ((s.time - first) / span) * WIDTH;
      const y = HEIGHT - 2 - (s.count / top) * (HEIGHT - 6);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    }).join(' '));
    const most = Math.max(...samples.map((s) => s.count));
    peak.textContent = t('studio.viewers_peak', { peak: formatNumber(most) });
    chart.setAttribute('aria-label', t('studio.viewers_chart', {
      first: formatNumber(samples[0].count), last: formatNumber(samples.at(-1).count), peak: formatNumber(most),
    }));
  }

  function record(count) {
    last = count;
    now.textContent = formatNumber(count);
    samples.push({ time: Date.now(), count });
    if (samples.length > MAX_SAMPLES) samples.shift();
    redraw();
  }

  room.on('snapshot', (snapshot) => record(snapshot.viewers ?? 0));
  room.on('viewers', (event) => record(event.count));
  setInterval(() => { if (last !== null) record(last); }, SAMPLE_MS);

  return panel(t('studio.viewers'),
    h('div', { class: 'viewer-now' }, h('span', { class: 'visually-hidden' }, t('studio.viewers_now')), now),
    chart, peak);
}
