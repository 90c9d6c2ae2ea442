import { api } from '../api.js';
import { h, when } from '../dom.js';
import { errorText } from '../error-words.js';
import { fromDateTimeInput, t } from '../i18n.js';

/** @typedef {import('../api.js').TelemetrySeries} TelemetrySeries */
/** @typedef {TelemetrySeries['points'][number]} Point */

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 200;
// The chart is ~600 px wide: more buckets than this would not show, only cost.
const MAX_BUCKETS = 500;
const S = 1000;
const STEPS_MS = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, 60 * S, 120 * S, 300 * S, 600 * S, 900 * S, 1800 * S];
const HOUR_MS = 3_600_000;
/** The ranges offered, each with its button's words. @type {[import('../i18n.js').MessageKey, number][]} */
const RANGES = [
  ['fleet.chart.hour', HOUR_MS],
  ['fleet.chart.day', 24 * HOUR_MS],
  ['fleet.chart.week', 7 * 24 * HOUR_MS],
];

/**
 * The bucket width that splits the range into at most MAX_BUCKETS: a round step when one fits.
 * @param {number} rangeMs
 */
export function stepFor(rangeMs) {
  const least = Math.max(1, Math.ceil(rangeMs / MAX_BUCKETS));
  const round = STEPS_MS.find((s) => s >= least) ?? [HOUR_MS, 2 * HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS].find((s) => s >= least);
  return round ?? least;
}

/** @param {number} ms */
function duration(ms) {
  if (ms % HOUR_MS === 0) return t('fleet.chart.hours', { n: ms / HOUR_MS });
  if (ms % 60_000 === 0) return t('fleet.chart.minutes', { n: ms / 60_000 });
  return t('fleet.chart.seconds', { n: ms / 1000 });
}

/**
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} attrs
 */
function svg(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/**
 * Runs of points without a gap, so a silent box shows as a break: a gap is wider than two
 * buckets and than three times the box's usual spacing (a box reporting each minute is not
 * silent between 10 s buckets).
 * @param {Point[]} points
 * @param {number | null} stepMs
 */
function runs(points, stepMs) {
  const gaps = points
    .slice(1)
    .map((p, i) => p.ts - /** @type {Point} */ (points[i]).ts)
    .sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length / 2)] ?? 0;
  const tooWide = Math.max(2 * (stepMs ?? 0), 3 * usual);
  /** @type {Point[][]} */
  const out = [];
  /** @type {Point | null} */
  let prev = null;
  for (const p of points) {
    if (!prev || p.ts - prev.ts > tooWide) out.push([]);
    /** @type {Point[]} */ (out.at(-1)).push(p);
    prev = p;
  }
  return out;
}

/**
 * The average as a line over the min–max band, scaled into the view box.
 * @param {TelemetrySeries} series
 */
function plot(series) {
  const { points } = series;
  const lo = Math.min(...points.map((p) => p.min));
  const hi = Math.max(...points.map((p) => p.max));
  const span = hi - lo || 1;
  const x = (/** @type {number} */ ts) => (((ts - series.from) / Math.max(1, series.to - series.from)) * WIDTH).toFixed(1);
  const y = (/** @type {number} */ v) => (HEIGHT - 4 - ((v - lo) / span) * (HEIGHT - 8)).toFixed(1);
  const all = runs(points, series.stepMs);
  const band = all.map(
    (r) =>
      `M${r.map((p) => `${x(p.ts)},${y(p.max)}`).join('L')}L${[...r]
        .reverse()
        .map((p) => `${x(p.ts)},${y(p.min)}`)
        .join('L')}Z`,
  );
  // A lone point gets a tiny horizontal stroke so its round cap shows as a dot.
  const line = all.map((r) => `M${r.map((p) => `${x(p.ts)},${y(p.value)}`).join('L')}${r.length === 1 ? 'h0.1' : ''}`);
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img' });
  chart.setAttribute('aria-label', t('fleet.chart.label', { metric: series.metric, from: when(series.from), to: when(series.to) }));
  chart.append(svg('path', { class: 'chart-band', d: band.join('') }), svg('path', { class: 'chart-line', d: line.join('') }));
  return { chart, lo, hi };
}

/**
 * A telemetry chart for one metric of a box: hour/day/week or a custom range, downsampled by the
 * server into at most MAX_BUCKETS buckets; dragging across the chart zooms into that span.
 * @param {string} serial
 * @param {string[]} metrics the metrics the box reported, to choose from
 */
export function telemetryChart(serial, metrics) {
  const select = h(
    'select',
    { id: 'chart-metric', 'aria-label': t('fleet.chart.metric'), translate: 'no' },
    metrics.map((m) => h('option', { value: m }, m)),
  );
  const status = h('p', { class: 'muted', id: 'chart-status', role: 'status' });
  const plotArea = h('div', { class: 'chart-area' });
  const axis = h('div', { class: 'chart-axis muted' });
  const fromInput = h('input', { type: 'datetime-local', 'aria-label': t('fleet.chart.from') });
  const toInput = h('input', { type: 'datetime-local', 'aria-label': t('fleet.chart.to') });
  const custom = h('form', { class: 'chart-custom', hidden: true }, fromInput, toInput, h('button', { type: 'submit' }, t('fleet.chart.show')));
  const reset = h('button', { type: 'button', class: 'secondary', hidden: true }, t('fleet.chart.resetZoom'));
  /** The range picked with the buttons or the form; zooming narrows inside it. */
  let picked = { from: 0, to: 0 };
  let shown = { from: 0, to: 0 };
  let loadSeq = 0;

  /** @param {number} from @param {number} to */
  async function load(from, to) {
    const seq = ++loadSeq;
    shown = { from, to };
    reset.hidden = from === picked.from && to === picked.to;
    const step = stepFor(to - from);
    status.textContent = t('common.loading');
    const metric = encodeURIComponent(select.value);
    try {
      const series = /** @type {TelemetrySeries} */ (
        await api(`/devices/${encodeURIComponent(serial)}/telemetry?metric=${metric}&from=${Math.round(from)}&to=${Math.round(to)}&step=${step}`)
      );
      if (seq !== loadSeq) return; // a newer pick is on its way
      if (series.points.length === 0) {
        status.textContent = t('fleet.chart.noData', { metric: series.metric, from: when(from), to: when(to) });
        plotArea.replaceChildren();
        axis.replaceChildren();
        return;
      }
      const { chart, lo, hi } = plot(series);
      const samples = series.points.reduce((n, p) => n + p.count, 0);
      status.textContent = t('fleet.chart.buckets', {
        buckets: series.points.length,
        step: duration(step),
        samples,
        truncated: series.truncated ? 'yes' : 'no',
      });
      plotArea.replaceChildren(chart);
      axis.replaceChildren(h('span', {}, when(from)), h('span', {}, t('fleet.chart.range', { lo, hi })), h('span', {}, when(to)));
    } catch (err) {
      if (seq !== loadSeq) return;
      status.textContent = t('fleet.chart.failed', { reason: errorText(err) });
    }
  }

  /** @param {number} rangeMs */
  const pick = (rangeMs) => {
    const to = Date.now();
    picked = { from: to - rangeMs, to };
    custom.hidden = true;
    void load(picked.from, picked.to);
  };
  const buttons = RANGES.map(([words, ms]) => h('button', { type: 'button', class: 'secondary', onclick: () => pick(ms) }, t(words)));
  const customButton = h('button', { type: 'button', class: 'secondary', onclick: () => (custom.hidden = !custom.hidden) }, t('fleet.chart.custom'));
  custom.addEventListener('submit', (e) => {
    e.preventDefault();
    const from = fromDateTimeInput(fromInput.value);
    const to = fromDateTimeInput(toInput.value);
    if (!(from < to)) {
      status.textContent = t('fleet.chart.startBeforeEnd');
      return;
    }
    picked = { from, to };
    void load(from, to);
  });
  select.addEventListener('change', () => void load(shown.from, shown.to));
  reset.addEventListener('click', () => void load(picked.from, picked.to));
  zoomByDragging(plotArea, (a, b) => {
    const span = shown.to - shown.from;
    void load(shown.from + a * span, shown.from + b * span);
  });

  const section = h(
    'div',
    { class: 'telemetry' },
    h('div', { class: 'chart-tools' }, select, ...buttons, customButton, reset),
    custom,
    status,
    plotArea,
    axis,
  );
  pick(HOUR_MS);
  return section;
}

/**
 * Calls `zoom` with the start and end of a horizontal drag across the area, as fractions of its
 * width; the dragged span is shaded while dragging.
 * @param {HTMLElement} area
 * @param {(a: number, b: number) => void} zoom
 */
function zoomByDragging(area, zoom) {
  const shade = h('div', { class: 'chart-selection', hidden: true });
  /** @type {number | null} */
  let start = null;
  const fraction = (/** @type {PointerEvent} */ e) => {
    const box = area.getBoundingClientRect();
    return Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
  };
  area.addEventListener('pointerdown', (e) => {
    if (!area.querySelector('svg')) return;
    start = fraction(e);
    area.setPointerCapture(e.pointerId);
    area.append(shade);
  });
  area.addEventListener('pointermove', (e) => {
    if (start === null) return;
    const now = fraction(e);
    // CSSOM writes, which the page's CSP (no inline style attributes in markup) allows.
    shade.style.left = `${Math.min(start, now) * 100}%`;
    shade.style.width = `${Math.abs(now - start) * 100}%`;
    shade.hidden = false;
  });
  area.addEventListener('pointerup', (e) => {
    if (start === null) return;
    const end = fraction(e);
    const [a, b] = [Math.min(start, end), Math.max(start, end)];
    start = null;
    shade.hidden = true;
    if (b - a > 0.01) zoom(a, b);
  });
}
