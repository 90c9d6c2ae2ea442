import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './ipc.ts';
import { connectIdle, sustained, throughput, type IdleMemory, type Sustained, type ThroughputRep } from './measure.ts';
import { renderResults, writeBenchmarksMd, type Results } from './report.ts';
import { startTarget, type TargetKind } from './target.ts';

/**
 * `npm run bench [-- --sizes 100,2000 --seconds 5 ...]`: the telemetry-ingest benchmark.
 * Not a test: it prints figures and writes BENCHMARKS.md; it fails only if a run breaks.
 */

const { values: a } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,2000,10000' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    reps: { type: 'string', default: '3' },
    qos: { type: 'string', default: '0,1' },
    targets: { type: 'string', default: 'relay,backend' },
    window: { type: 'string', default: '10' },
    'sustain-seconds': { type: 'string', default: '60' },
    batch: { type: 'string', default: '200' },
    'cpu-prof': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const sizes = list(a.sizes).map(Number);
const qosList = list(a.qos).map((q) => Number(q) as 0 | 1);
const kinds = list(a.targets) as TargetKind[];
const seconds = Number(a.seconds);
const reps = Number(a.reps);
const sustainSeconds = Number(a['sustain-seconds']);
const keepalive = 600;

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
          log(`sustained ${size} × 1/s × ${sustainSeconds} s: sent ${s.sent}, stored ${s.stored}, cpu ${s.targetCpu.toFixed(0)}%, others ${s.othersCpu.toFixed(0)}%`);
        }
        for (const qos of qosList) {
          const runs: ThroughputRep[] = [];
          for (let r = 0; r < reps; r++) {
            const rep = await throughput(gen, target, { qos, seconds, warmupS: Number(a.warmup), window: Number(a.window) });
            runs.push(rep);
            log(
              `${kind} ${size} QoS${qos} #${r + 1}: ${rep.rate.toFixed(0)} msg/s, sent ${rep.sent}, counted ${rep.stored}, ` +
                `cpu ${rep.targetCpu.toFixed(0)}%, gen ${rep.generatorCpu.toFixed(0)}%, others ${rep.othersCpu.toFixed(0)}%, drain ${rep.drainMs} ms`,
            );
          }
          results.throughput.push({ kind, size, qos, reps: runs });
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
