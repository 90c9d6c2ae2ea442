import { machine, writeSection } from './benchmarks-md.ts';
import { median, type LoadSample, type WatchSample } from './fleet-browser.ts';

/** Markdown for `npm run bench:fleet-page`: the console and its own section of BENCHMARKS.md. */

export interface LatencyResult {
  label: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  bytes: number;
}

export interface FleetResult {
  registered: number;
  connected: number;
  importS: number;
  connectS: number;
  coldLoad: LoadSample;
  loads: LoadSample[];
  latency: LatencyResult[];
  watch: WatchSample;
  /** Telemetry the connected boxes sent while this fleet was measured, and for how long. */
  telemetry: { sent: number; seconds: number; maxLagMs: number };
  flaps: { down: number; up: number; failed: number };
  /** During the watch window, % of one core. */
  cpu: { backend: number; generator: number; rest: number };
}

export interface FleetRun {
  results: FleetResult[];
  loads: number;
  flapPerSecond: number;
  command: string;
  durationS: number;
}

const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x)}%` : '–');
const ratio = (big: number, small: number) => (small > 0 && Number.isFinite(big / small) ? `${(big / small).toFixed(2)}` : '–');

/** One row: a figure per fleet, then largest fleet ÷ smallest (when there are two or more). */
function row(r: FleetRun, label: string, value: (f: FleetResult) => number, format: (x: number) => string, withRatio = true): string {
  const xs = r.results.map(value);
  const last = r.results.length > 1 ? ` ${withRatio ? ratio(xs.at(-1)!, xs[0]!) : ''} |` : '';
  return `| ${label} | ${xs.map(format).join(' | ')} |${last}`;
}

function header(r: FleetRun, first: string): string {
  const sizes = r.results.map((f) => `${n0(f.registered)} boxes`);
  const [small, big] = [r.results[0]!, r.results.at(-1)!];
  const many = r.results.length > 1;
  return [
    `| ${first} | ${sizes.join(' | ')} |${many ? ` ${n0(big.registered)} / ${n0(small.registered)} |` : ''}`,
    `|---|${sizes.map(() => '---:|').join('')}${many ? '---:|' : ''}`,
  ].join('\n');
}

function loadTable(r: FleetRun): string {
  const rows: Array<[string, (s: LoadSample) => number, (x: number) => string]> = [
    ['navigation → first page of rows in the DOM, ms', (s) => s.rowsMs, n0],
    ['navigation → rows on screen (next frame), ms', (s) => s.paintedMs, n0],
    ['navigation → first `GET /api/devices` sent, ms', (s) => s.devicesStartMs, n0],
    ['files fetched before it (module graph, CSS, socket.io client)', (s) => s.bootFiles, n0],
    ['… their median request → last byte, ms', (s) => s.bootFileMs, n1],
    ['first `GET /api/devices`: request → last byte in the page, ms', (s) => s.devicesMs, n1],
    ['first `GET /api/devices`: body bytes', (s) => s.devicesBytes, n0],
    ['rows shown', (s) => s.rows, n0],
    ['elements in the document', (s) => s.domElements, n0],
    ['document height, px (viewport 1360 × 820)', (s) => s.heightPx, n0],
  ];
  return [
    header(r, `median of ${r.loads} loads`),
    ...rows.map(([label, f, format]) => row(r, label, (x) => median(x.loads.map(f)), format)),
    row(r, 'fastest load → rows on screen, ms', (x) => Math.min(...x.loads.map((s) => s.paintedMs)), n0),
    row(r, 'first load of the run (cold cache) → rows on screen, ms', (x) => x.coldLoad.paintedMs, n0),
  ].join('\n');
}

function latencyTable(r: FleetRun): string {
  const labels = r.results[0]!.latency.map((l) => l.label);
  const lines = [header(r, '`GET /api/devices?…` from the client: median / p95 ms (samples)')];
  for (const label of labels) {
    const cells = r.results.map((f) => f.latency.find((l) => l.label === label));
    const text = cells.map((c) => (c ? `${n1(c.medianMs)} / ${n1(c.p95Ms)} (${c.samples})` : '–'));
    const [first, last] = [cells[0], cells.at(-1)];
    const tail = cells.length > 1 ? ` ${first && last ? ratio(last.medianMs, first.medianMs) : ''} |` : '';
    lines.push(`| ${label} | ${text.join(' | ')} |${tail}`);
  }
  return lines.join('\n');
}

function watchTable(r: FleetRun): string {
  const w = (f: (s: WatchSample) => number) => (x: FleetResult) => f(x.watch);
  return [
    header(r, `fleet page open for ${r.results[0]!.watch.seconds} s while the boxes report`),
    row(r, 'boxes reporting at 1 msg/s', (x) => x.connected, n0),
    row(r, 'telemetry into the backend, msg/s (whole measurement)', (x) => x.telemetry.sent / x.telemetry.seconds, n0),
    row(
      r,
      'presence events received by the page',
      w((s) => s.presenceFrames),
      n0,
    ),
    row(
      r,
      '… of which patched a shown row in place',
      w((s) => s.patches),
      n0,
    ),
    row(
      r,
      'first-page refetches / list rebuilds',
      w((s) => s.refetches + s.listRebuilds),
      n0,
      false,
    ),
    row(
      r,
      'long tasks (> 50 ms)',
      w((s) => s.longTasks),
      n0,
    ),
    row(
      r,
      'long tasks, total ms',
      w((s) => s.longTaskMs),
      n0,
    ),
    row(
      r,
      'longest task, ms',
      w((s) => s.longestTaskMs),
      n0,
    ),
    row(
      r,
      'animation frames / s, median second',
      w((s) => s.fpsMedian),
      n0,
    ),
    row(
      r,
      'animation frames / s, slowest second',
      w((s) => s.fpsMin),
      n0,
    ),
    row(
      r,
      'longest gap between two frames, ms',
      w((s) => s.maxFrameGapMs),
      n0,
    ),
    row(
      r,
      'elements in the document at the end',
      w((s) => s.domElementsAfter),
      n0,
    ),
    row(r, 'backend CPU', (x) => x.cpu.backend, pct),
    row(r, 'load generator CPU', (x) => x.cpu.generator, pct),
    row(r, 'rest of the machine (Chromium, this script, other work)', (x) => x.cpu.rest, pct),
  ].join('\n');
}

function setupLines(r: FleetRun): string {
  return r.results
    .map(
      (f) =>
        `- ${n0(f.registered)} boxes: registered by CSV import in ${n1(f.importS)} s; ${n0(f.connected)} connected in ${n1(f.connectS)} s; ` +
        `${n0(f.flaps.down)} went offline and ${n0(f.flaps.up)} came back during the measurement${f.flaps.failed ? ` (${f.flaps.failed} reconnects failed)` : ''}; ` +
        `generator lag at most ${n0(f.telemetry.maxLagMs)} ms`,
    )
    .join('\n');
}

export function renderFleetRun(r: FleetRun): string {
  return [
    '#### Opening the page',
    loadTable(r),
    '#### The list endpoint the page calls',
    latencyTable(r),
    '#### While the boxes report',
    watchTable(r),
    '#### Set-up',
    setupLines(r),
  ].join('\n\n');
}

const METHOD = `### Method

\`bench/fleet-page.ts\` runs, for each fleet size in turn, a fresh backend exactly as \`npm start\` does
(\`services/main.ts\` in its own Node process, configured by environment, temp data directory), the
load generator of \`npm run bench\` (\`bench/load-generator.ts\`, raw MQTT sockets, its own process) and
Debian's headless Chromium driven by playwright-core; all on loopback.

1. **Fleet**: all boxes registered through \`POST /api/devices/import\` (CSV with model, firmware, receipt
   date, customer and phone; one scrypt-hashed secret per box, on the server, as in production). Connected:
   all of the small fleet, every fifth box of the large one. Each connected box sends one 7-metric QoS 0
   telemetry message per second from before the first load to the end of the watch window.
2. **Presence**: the same 20 boxes of the first page (every fifth serial) in both fleets, plus 20 boxes
   deep in the large fleet (not on the page), drop their connection with a TCP RST in turn, *flap / s*
   per group each second, and reconnect 2 s later: \`device.online\` / \`device.offline\` events flow to
   the page, those of shown rows patch them, the others must be ignored.
3. **Opening the page**: admin signed in (session cookie), each load a new tab navigated to \`/#/fleet\`.
   Times are \`performance.now()\` in the page (0 = navigation start) when a MutationObserver sees the
   first 100 rows in the table, and at the next animation frame. The first load of a fleet fills the HTTP
   cache and is shown apart; the median is over the next loads. Bytes and timing of the first
   \`GET /api/devices\` come from Resource Timing; elements are \`getElementsByTagName('*')\`.
4. **Endpoint latency**: sequential \`fetch\` calls from the benchmark process with a bearer token, body
   read to the end: the first page the fleet page asks for, a search matching one box (the server scans
   every row), and the online filter; once with the boxes connected but silent ("quiet", before the
   reporting starts) and once while they report, which tells the registry's size from the ingest load.
5. **While the boxes report**: one tab on the fleet page, after the live feed has subscribed: long tasks
   (PerformanceObserver \`longtask\`), presence cells changed in place (MutationObserver), socket.io
   \`live\` frames received, \`GET /api/devices\` requests, and requestAnimationFrame callbacks per second.
   CPU is per process from \`/proc\` over that window.

The machine is shared (2 cores for backend, generator, Chromium and other people's work): compare the
two fleets of one run, and treat differences under ~15 % as noise. Headless Chromium without a GPU
draws in software, so absolute frame rates are lower bounds.`;

const START = '<!-- fleet-page:start (written by npm run bench:fleet-page) -->';
const END = '<!-- fleet-page:end -->';

/** Replaces this benchmark's section of BENCHMARKS.md (its own markers), or appends it. */
export async function writeFleetSection(r: FleetRun): Promise<void> {
  const section = [
    START,
    '## Fleet page in the browser (latest run)',
    [
      `- Machine: ${machine()}; Chromium headless; shared with other work`,
      `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, took ${Math.round(r.durationS)} s`,
      `- Command: \`${r.command}\``,
      `- Presence flaps: ${r.flapPerSecond} box(es) per group per second, back after 2 s`,
    ].join('\n'),
    renderFleetRun(r),
    METHOD,
    END,
  ].join('\n\n');
  await writeSection(START, END, section);
}
