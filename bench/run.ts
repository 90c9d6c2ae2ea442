import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './ipc.ts';
import { connectIdle, sustained, throughput, type IdleMemory, type Sustained, type ThroughputRep } from './measure.ts';
import { renderResults, writeBenchmarksMd, type Results } from './report.ts';
import { startTarget, type TargetKind } from './target.ts';

/**
 * `npm run bench`: the telemetry-ingest benchmark (see BENCHMARKS.md for the method).
 * Not a test: it prints figures and writes BENCHMARKS.md; it fails only if a run breaks.
 * Flags: --sizes 100,2000,10000  --seconds 8 (per saturated run)  --reps 3  --qos 0,1
 *        --targets relay,backend  --window auto|N  --sustain-seconds 60 (0 skips it)
 *        --cpu-prof DIR (profile the backend)  --no-write (leave BENCHMARKS.md alone)
 */

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
    'cpu-prof': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
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
const reps = Number(a.reps);
const sustainSeconds = Number(a['sustain-seconds']);
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

const results: Results = { throughput: [], idle: [], sustained: null };
const gen = await startChild(fileURLToPath(new URL('./load-generator.ts', import.meta.url)));
const started = Date.now();

try {
  for (const size of sizes) {
    for (const kind of kinds) {
      const target = await startTarget(kind, { cpuProfDir: kind === 'backend' ? a['cpu-prof'] : undefined });
      try {
        const idle: IdleMemory = await connectIdle(gen, target, size, { batch: Number(a.batch), keepalive });
        results.idle.push({ kind, ...idle });
        log(`${kind} ${size} boxes: connected in ${idle.connectS.toFixed(1)} s, idle ${idle.kbPerBox.toFixed(1)} KB/box`);
        // The sustained run goes first on a fresh backend: the largest fleet at its real rate.
        if (kind === 'backend' && size === Math.max(...sizes) && sustainSeconds > 0) {
          const s: Sustained = await sustained(gen, target, size, sustainSeconds);
          results.sustained = s;
          log(
            `sustained ${size} × 1/s × ${sustainSeconds} s: sent ${s.sent}, stored ${s.stored}, cpu ${s.targetCpu.toFixed(0)}%, others ${s.othersCpu.toFixed(0)}%`,
          );
        }
        const window = windowFor(size);
        for (const qos of qosList) {
          const runs: ThroughputRep[] = [];
          for (let r = 0; r < reps; r++) {
            const rep = await throughput(gen, target, { qos, seconds, warmupS: Number(a.warmup), window });
            runs.push(rep);
            log(
              `${kind} ${size} QoS${qos} W${window} #${r + 1}: ${rep.rate.toFixed(0)} msg/s ` +
                `(${rep.sendingRate.toFixed(0)} while sending, tail ${rep.tailMs.toFixed(0)} ms), sent ${rep.sent}, counted ${rep.stored}, ` +
                `cpu ${rep.targetCpu.toFixed(0)}%, gen ${rep.generatorCpu.toFixed(0)}%, others ${rep.othersCpu.toFixed(0)}%`,
            );
          }
          if (runs.length > 0) results.throughput.push({ kind, size, qos, window, reps: runs });
        }
      } finally {
        await gen.call('close');
        await target.child.stop();
      }
    }
  }
} finally {
  await gen.stop();
}

const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
const markdown = renderResults(results);
console.log(`\n${markdown}`);
if (!a['no-write']) {
  await writeBenchmarksMd(results, { command, durationS: (Date.now() - started) / 1000 });
  log('BENCHMARKS.md written');
}

function log(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}
