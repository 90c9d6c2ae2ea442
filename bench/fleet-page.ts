import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/helpers/chromium.ts';
import { adminToken, fleetSerial, importFleet, startFleetBackend, type FleetBackend } from './fleet-backend.ts';
import { measureLoad, median, watchFleet, type LoadSample } from './fleet-browser.ts';
import { renderFleetRun, writeFleetSection, type FleetResult, type LatencyResult } from './fleet-report.ts';
import { machineBusyUs, startChild, type Child, type ProcessSample } from './ipc.ts';

/**
 * `npm run bench:fleet-page`: the fleet page in headless Chromium against the backend as
 * `npm start` runs it, with a small (reference) and a large fleet reporting and flapping.
 * Not a test: it prints figures and writes its section of BENCHMARKS.md; it fails only if a run breaks.
 * Flags: --sizes 100,10000  --connected 2000 (largest share of a fleet that reports)  --loads 7
 *        --samples 200 (latency requests per query)  --watch-seconds 20  --flap-per-second 2  --no-write
 */

const { values: a } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,10000' },
    connected: { type: 'string', default: '2000' },
    loads: { type: 'string', default: '7' },
    samples: { type: 'string', default: '200' },
    'watch-seconds': { type: 'string', default: '20' },
    'flap-per-second': { type: 'string', default: '2' },
    'no-write': { type: 'boolean', default: false },
  },
});
const sizes = a.sizes.split(',').map(Number);
const maxConnected = Number(a.connected);
const loads = Number(a.loads);
const samples = Number(a.samples);
const watchSeconds = Number(a['watch-seconds']);
const flapPerSecond = Number(a['flap-per-second']);
const PAGE = 100;
const FLAP_GROUP = 20;
// Generous bounds for the open-ended reporting and flapping; both are stopped explicitly.
const REPORT_BOUND_S = 900;

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const viewport = { width: 1360, height: 820 };

/** Sequential requests with the admin's token; median and p95 of the whole round trip with the body read. */
async function latency(backend: FleetBackend, token: string, label: string, query: string, count: number): Promise<LatencyResult> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(`${backend.base}/api/devices?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET /api/devices?${query} answered ${res.status}`);
    bytes = body.byteLength;
  }
  const sorted = [...times].sort((x, y) => x - y);
  return { label, samples: count, medianMs: median(times), p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!, bytes };
}

/** The first page the fleet page asks for, a search that must scan every row, and the online filter. */
async function endpointLatencies(backend: FleetBackend, token: string, size: number, when: string, count: number): Promise<LatencyResult[]> {
  const oneBox = fleetSerial(size - 1).slice(-6);
  return [
    await latency(backend, token, `\`limit=100\` (the first page), ${when}`, 'limit=100', count),
    await latency(backend, token, `\`limit=100&q=…\` (search matching one box), ${when}`, `limit=100&q=${oneBox}`, Math.ceil(count / 4)),
    await latency(backend, token, `\`limit=100&online=true\`, ${when}`, 'limit=100&online=true', Math.ceil(count / 4)),
  ];
}

/**
 * Which boxes connect (all of a small fleet, every n-th of a large one, so the first page mixes
 * online and offline rows) and which flap: the connected ones among the first page's serials,
 * and as many deep in the fleet, interleaved. Flap indices are positions in connect order.
 */
function plan(size: number): { connect: number[]; flap: number[]; groups: number } {
  const step = Math.max(1, Math.floor(size / maxConnected));
  const connect = Array.from({ length: Math.min(size, maxConnected) }, (_, i) => i * step);
  const onPage = connect.flatMap((serial, pos) => (serial < PAGE && serial % 5 === 0 ? [pos] : [])).slice(0, FLAP_GROUP);
  const deep = connect.flatMap((serial, pos) => (serial >= Math.max(PAGE, size / 2) ? [pos] : [])).slice(0, FLAP_GROUP);
  const flap = onPage.flatMap((p, i) => (deep[i] === undefined ? [p] : [p, deep[i]!]));
  return { connect, flap, groups: deep.length > 0 ? 2 : 1 };
}

async function measureFleet(size: number, gen: Child, browser: Browser): Promise<FleetResult> {
  const backend = await startFleetBackend();
  const context = await browser.newContext({ viewport });
  let reporting: Promise<{ sent: number; maxLagMs: number; elapsedMs: number }> | null = null;
  let flapping: Promise<{ down: number; up: number; failed: number }> | null = null;
  try {
    const token = await adminToken(backend);
    let t = Date.now();
    const creds = await importFleet(backend, token, size);
    const importS = (Date.now() - t) / 1000;
    const { connect, flap, groups } = plan(size);
    t = Date.now();
    const c = await gen.call<{ connected: number; failures: Record<string, number> }>(
      'connect',
      { host: '127.0.0.1', port: backend.mqttPort, boxes: connect.map((i) => creds[i]!), batch: 200, keepalive: 600 },
      600_000,
    );
    if (c.connected !== connect.length) throw new Error(`${c.connected}/${connect.length} boxes connected ${JSON.stringify(c.failures)}`);
    const connectS = (Date.now() - t) / 1000;
    log(`${size} boxes: imported in ${importS.toFixed(1)} s, ${c.connected} connected in ${connectS.toFixed(1)} s`);

    // The same requests once with the boxes connected and silent, to tell the registry's size from the ingest load.
    const quiet = await endpointLatencies(backend, token, size, 'quiet', Math.ceil(samples / 2));
    reporting = gen.call('paced', { seconds: REPORT_BOUND_S, rate: 1 }, (REPORT_BOUND_S + 60) * 1000);
    flapping = gen.call(
      'flap',
      { indices: flap, perSecond: flapPerSecond * groups, downMs: 2000, seconds: REPORT_BOUND_S },
      (REPORT_BOUND_S + 60) * 1000,
    );
    const login = await context.request.post(`${backend.base}/api/auth/login`, { data: backend.admin });
    if (login.status() !== 200) throw new Error(`browser login answered ${login.status()}`);

    const want = Math.min(PAGE, size);
    const coldLoad = await measureLoad(context, backend.base, want);
    const measured: LoadSample[] = [];
    for (let i = 0; i < loads; i++) measured.push(await measureLoad(context, backend.base, want));
    log(`${size} boxes: rows on screen ${measured.map((s) => s.paintedMs.toFixed(0)).join(', ')} ms (cold ${coldLoad.paintedMs.toFixed(0)})`);

    const latencies = [...quiet, ...(await endpointLatencies(backend, token, size, 'while reporting', samples))];
    log(`${size} boxes: GET /api/devices?limit=100 median ${latencies.at(-3)!.medianMs.toFixed(1)} ms while reporting`);

    const before = await cpuMoment(backend, gen);
    const watch = await watchFleet(context, backend.base, want, watchSeconds);
    const after = await cpuMoment(backend, gen);
    log(
      `${size} boxes: ${watch.longTasks} long tasks (${watch.longTaskMs.toFixed(0)} ms), ${watch.patches} patches of ${watch.presenceFrames} presence events, ` +
        `${watch.fpsMedian} frames/s (min ${watch.fpsMin})`,
    );

    await gen.call('stop');
    const sent = await reporting;
    const flaps = await flapping;
    reporting = flapping = null;
    return {
      registered: size,
      connected: c.connected,
      importS,
      connectS,
      coldLoad,
      loads: measured,
      latency: latencies,
      watch,
      telemetry: { sent: sent.sent, seconds: sent.elapsedMs / 1000, maxLagMs: sent.maxLagMs },
      flaps,
      cpu: cpuBetween(before, after),
    };
  } finally {
    if (reporting || flapping) {
      await gen.call('stop');
      await Promise.allSettled([reporting, flapping]);
    }
    await gen.call('close');
    await context.close();
    await backend.stop();
  }
}

interface CpuMoment {
  t: number;
  backendUs: number;
  gen: ProcessSample;
  busyUs: number;
}

async function cpuMoment(backend: FleetBackend, gen: Child): Promise<CpuMoment> {
  return { t: Date.now(), backendUs: backend.cpuUs(), gen: await gen.call<ProcessSample>('stats'), busyUs: machineBusyUs() };
}

function cpuBetween(x: CpuMoment, y: CpuMoment): FleetResult['cpu'] {
  const ms = y.t - x.t;
  const backend = ((y.backendUs - x.backendUs) / 1000 / ms) * 100;
  const generator = ((y.gen.cpuUs - x.gen.cpuUs) / 1000 / ms) * 100;
  const machine = ((y.busyUs - x.busyUs) / 1000 / ms) * 100;
  return { backend, generator, rest: Math.max(0, machine - backend - generator) };
}

const gen = await startChild(fileURLToPath(new URL('./load-generator.ts', import.meta.url)));
const browser = await launchChromium();
const results: FleetResult[] = [];
try {
  for (const size of sizes) results.push(await measureFleet(size, gen, browser));
} finally {
  await browser.close();
  await gen.stop();
}

const run = {
  results,
  loads,
  flapPerSecond,
  command: ['npm run bench:fleet-page', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  durationS: (Date.now() - started) / 1000,
};
console.log(`\n${renderFleetRun(run)}`);
if (!a['no-write']) {
  await writeFleetSection(run);
  log('BENCHMARKS.md written');
}
