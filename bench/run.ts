import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startVictoriaMetrics } from '../test/helpers/time-series-servers.ts';
import { influxOutage } from './influx-outage.ts';
import { type InfluxResults, renderInflux, writeInfluxSection } from './influx-report.ts';
import { startChild, type Child } from './ipc.ts';
import { cpuUsOf, findPid } from './process-cpu.ts';
import { connectIdle, reconnectStorm, sustained, throughput, type IdleMemory, type Sustained, type ThroughputRep } from './measure.ts';
import { renderResults, writeBenchmarksMd, type Results } from './report.ts';
import { alive, guarded, startTarget, type Target, type TargetKind } from './target.ts';

/**
 * `npm run bench`: the telemetry-ingest benchmark (see BENCHMARKS.md for the method).
 * Not a test: it prints figures and writes BENCHMARKS.md; it fails only if a run breaks.
 * `--cluster` runs the many-node benchmark instead (bench/cluster.ts, its own flags).
 * Flags: --sizes 100,2000,10000  --seconds 8 (per saturated run)  --reps 3  --qos 0,1
 *        --targets relay,backend[,influx]  --window auto|N  --sustain-seconds 60 (0 skips it)
 *        --storm / --no-storm (the reconnect storm at the largest size)  --storm-seconds 15
 *        --connack-timeout 30 (s a storm waits for each CONNACK)
 *        --cpu-prof DIR (profile the backend and the influx target, every thread)  --no-write (leave BENCHMARKS.md alone)
 *        With the influx target (TELEMETRY_STORE=influxdb against a VictoriaMetrics started for the run):
 *        --influx-outage-seconds 60 (VictoriaMetrics stopped under load at the largest size; 0 skips it)
 *        --influx-outage-before 10  --influx-drain-max 180 (s the spool is given to drain)
 *        --influx-section-only (write only BENCHMARKS.md's InfluxDB section, e.g. after a shortened run)
 */

// `--cluster` is its own benchmark with its own flags (bench/cluster.ts).
if (process.argv.includes('--cluster')) {
  await import('./cluster.ts');
  process.exit();
}

const { values: a } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,2000,10000' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    reps: { type: 'string', default: '3' },
    qos: { type: 'string', default: '0,1' },
    targets: { type: 'string', default: 'relay,backend' },
    window: { type: 'string', default: 'auto' },
    'sustain-seconds': { type: 'string', default: '60' },
    batch: { type: 'string', default: '200' },
    storm: { type: 'boolean', default: true },
    'no-storm': { type: 'boolean', default: false },
    'storm-seconds': { type: 'string', default: '15' },
    'connack-timeout': { type: 'string', default: '30' },
    'cpu-prof': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'influx-outage-seconds': { type: 'string', default: '60' },
    'influx-outage-before': { type: 'string', default: '10' },
    'influx-drain-max': { type: 'string', default: '180' },
    'influx-section-only': { type: 'boolean', default: false },
  },
});

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const sizes = list(a.sizes).map(Number);
const qosList = list(a.qos).map((q) => Number(q) as 0 | 1);
const kinds = list(a.targets) as TargetKind[];
const seconds = Number(a.seconds);
const repCount = Number(a.reps);
const sustainSeconds = Number(a['sustain-seconds']);
const storm = a.storm && !a['no-storm'];
const stormSeconds = Number(a['storm-seconds']);
const connackTimeoutMs = Number(a['connack-timeout']) * 1000;
const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));
const keepalive = 600;

/**
 * Unconfirmed publishes allowed per box. `auto` keeps about 20,000 in flight across the fleet,
 * 4 to 20 per box: the bare relay queues (and slows several-fold) when far more are in flight,
 * and gets latency-bound with far fewer. It is the same for both targets.
 */
function windowFor(size: number): number {
  if (a.window !== 'auto') return Number(a.window);
  return Math.min(20, Math.max(4, Math.round(20_000 / size)));
}

const results: Results = { throughput: [], idle: [], sustained: null, storm: [] };
const influxResults: InfluxResults = { outage: null };
const outageSeconds = Number(a['influx-outage-seconds']);
// One VictoriaMetrics for the whole run, stopped (and its data removed) at the end whatever happens.
const victoria = kinds.includes('influx') ? await startVictoriaMetrics() : null;
/** VictoriaMetrics' CPU time, read afresh each time: the outage restarts it as a new process. */
function victoriaCpuUs(): number {
  const pid = victoria ? findPid(`-httpListenAddr=${new URL(victoria.url).host}`) : null;
  return pid === null ? Number.NaN : cpuUsOf(pid);
}
// One generator per target, so that both targets keep their fleet connected and the saturated
// runs can alternate between them (see the Method in report.ts).
const gens = new Map<TargetKind, Child>();
const started = Date.now();
let failure: unknown = null;

try {
  for (const kind of kinds) gens.set(kind, guarded(await startChild(GENERATOR), `${kind}'s load generator`));
  for (const size of sizes) await measureSize(size);
  if (victoria) influxResults.inVictoria = await victoriaSamples(victoria.url);
} catch (err) {
  failure = err;
} finally {
  await Promise.allSettled([...gens.values()].map((g) => g.stop()));
  await victoria?.remove();
}

/**
 * Points VictoriaMetrics holds: one `telemetry_boxSeq` sample per point written (every point
 * carries the box's sequence number). Read through /api/v1/export, which gives raw samples at
 * once (queries hide the last 30 s, -search.latencyOffset), streamed one series a line.
 */
async function victoriaSamples(url: string): Promise<number> {
  // Samples arrive in memory first; force_flush makes them visible at once.
  await fetch(`${url}/internal/force_flush`);
  const res = await fetch(`${url}/api/v1/export`, { method: 'POST', body: new URLSearchParams({ 'match[]': 'telemetry_boxSeq' }) });
  if (!res.ok || !res.body) throw new Error(`VictoriaMetrics answered ${res.status}: ${await res.text()}`);
  let samples = 0;
  let rest = '';
  const count = (line: string) => {
    if (line.trim()) samples += (JSON.parse(line) as { values: unknown[] }).values.length;
  };
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    lines.forEach(count);
  }
  count(rest);
  return samples;
}

/**
 * The reconnect storm of one target. A target that dies in it has failed the storm, which is a
 * figure (reported as a crash), not a broken run; any other error still stops the run.
 */
async function stormStep({ kind, target, gen }: { kind: TargetKind; target: Target; gen: Child }): Promise<void> {
  try {
    const s = await reconnectStorm(gen, target, { seconds: stormSeconds, connackTimeoutMs });
    results.storm.push({ kind, ...s });
    const f = (x: number | null) => (x === null ? 'never' : `${x.toFixed(1)} s`);
    log(
      `${kind} reconnect storm ${s.boxes}: all CONNACKs ${f(s.allBackS)}, full rate ${f(s.fullRateS)}, ` +
        `refused ${s.refused}, timed out ${s.timedOut}, closed ${s.closed} ${JSON.stringify(s.failures)}, sent ${s.sent}, counted ${s.stored}, ` +
        `cpu ${s.targetCpu.toFixed(0)}%, gen ${s.generatorCpu.toFixed(0)}%, others ${s.othersCpu.toFixed(0)}%`,
    );
  } catch (err) {
    if (alive(target.child)) throw err;
    // The child's own stack trace is in the run's output (stderr is shared); the report names the moment.
    results.storm.push({ kind, crashed: `${kind} process exited during the storm` });
    log(`${kind} CRASHED in the reconnect storm (its own output above says why)`);
  }
}

async function measureSize(size: number): Promise<void> {
  const targets = new Map<TargetKind, Target>();
  try {
    for (const kind of kinds) {
      targets.set(kind, await startTarget(kind, { cpuProfDir: kind !== 'relay' ? a['cpu-prof'] : undefined, influxUrl: victoria?.url }));
    }
    const each = [...targets].map(([kind, target]) => ({ kind, target, gen: gens.get(kind)! }));
    for (const { kind, target, gen } of each) {
      const idle: IdleMemory = await connectIdle(gen, target, size, { batch: Number(a.batch), keepalive });
      results.idle.push({ kind, ...idle });
      log(`${kind} ${size} boxes: connected in ${idle.connectS.toFixed(1)} s, idle ${idle.kbPerBox.toFixed(1)} KB/box`);
    }
    const largest = size === Math.max(...sizes);
    const backend = each.find((x) => x.kind === 'backend');
    // The sustained run goes before the saturated ones: the largest fleet at its real rate.
    if (largest && backend && sustainSeconds > 0) {
      const s: Sustained = await sustained(backend.gen, backend.target, size, sustainSeconds);
      results.sustained = s;
      log(
        `sustained ${size} × 1/s × ${sustainSeconds} s: sent ${s.sent}, stored ${s.stored}, cpu ${s.targetCpu.toFixed(0)}%, others ${s.othersCpu.toFixed(0)}%`,
      );
    }
    const influx = each.find((x) => x.kind === 'influx');
    if (largest && influx && victoria && outageSeconds > 0) {
      const o = await influxOutage(influx.gen, influx.target, victoria, {
        boxes: size,
        beforeS: Number(a['influx-outage-before']),
        outageS: outageSeconds,
        maxDrainS: Number(a['influx-drain-max']),
      });
      influxResults.outage = o;
      log(
        `influx outage ${size} × 1/s, ${outageSeconds} s stopped: spool +${o.growthPointsPerS.toFixed(0)} points/s, ` +
          `${o.pointsAtRestart} points at restart, resumed after ${o.resumeS?.toFixed(1)} s, drained after ${o.drainS?.toFixed(1)} s ` +
          `at ${o.drainForwardedPerS?.toFixed(0)} forwarded/s; sent ${o.sent}, acknowledged ${o.accepted}, forwarded ${o.forwarded}`,
      );
    }
    const window = windowFor(size);
    for (const qos of qosList) {
      const reps = new Map(each.map(({ kind }) => [kind, [] as ThroughputRep[]]));
      for (let r = 0; r < repCount; r++) {
        // Rep r of each target runs back to back, so the pair shares the machine's state; the
        // order alternates so that neither target always runs first.
        for (const { kind, target, gen } of r % 2 === 0 ? each : [...each].reverse()) {
          const sidecar = kind === 'influx' ? { sidecarCpuUs: victoriaCpuUs } : {};
          const rep = await throughput(gen, target, { qos, seconds, warmupS: Number(a.warmup), window, ...sidecar });
          reps.get(kind)!.push(rep);
          log(
            `${kind} ${size} QoS${qos} W${window} #${r + 1}: ${rep.rate.toFixed(0)} msg/s ` +
              `(${rep.sendingRate.toFixed(0)} while sending, tail ${rep.tailMs.toFixed(0)} ms), sent ${rep.sent}, counted ${rep.stored}, ` +
              `cpu ${rep.targetCpu.toFixed(0)}%, gen ${rep.generatorCpu.toFixed(0)}%, others ${rep.othersCpu.toFixed(0)}%`,
          );
        }
      }
      for (const [kind, runs] of reps) if (runs.length > 0) results.throughput.push({ kind, size, qos, window, reps: runs });
    }
    // Last, so that a target the storm takes down has already given every other figure.
    // The storm is the SQLite backend's and the relay's; the influx target's intake is the same code.
    if (largest && storm) for (const x of each) if (x.kind !== 'influx') await stormStep(x);
  } finally {
    await Promise.allSettled([...targets.keys()].map((kind) => gens.get(kind)!.call('close')));
    await Promise.allSettled([...targets.values()].map((t) => t.child.stop()));
  }
}

const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
const markdown = renderResults(results);
console.log(`\n${markdown}`);
const influxMarkdown = renderInflux(results, influxResults);
if (influxMarkdown) console.log(`\n${influxMarkdown}`);
if (failure) {
  // The figures measured so far are printed above; BENCHMARKS.md keeps its last complete run.
  console.error('\nThe benchmark broke off, BENCHMARKS.md not written:', failure);
  process.exit(1);
}
if (!a['no-write']) {
  const run = { command, durationS: (Date.now() - started) / 1000 };
  if (!a['influx-section-only']) await writeBenchmarksMd(results, run);
  if (influxMarkdown) await writeInfluxSection(influxMarkdown, run);
  log('BENCHMARKS.md written');
}

function log(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}
