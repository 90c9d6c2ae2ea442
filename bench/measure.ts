import type { Child } from './ipc.ts';
import { cpuPercent } from './ipc.ts';
import type { Target, TargetStats } from './target.ts';

/** One measurement each: saturated throughput, idle memory, sustained paced load. */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ThroughputRep {
  /** Messages counted by the target per second, between the end of warm-up and the end of sending. */
  rate: number;
  sent: number;
  stored: number;
  targetCpu: number;
  generatorCpu: number;
  /** Boxes the target disconnected during the run. */
  closed: number;
  drainMs: number;
}

/** Counts once the generator has stopped, until all `expected` arrived or the count stops moving. */
async function drain(target: Target, base: number, expected: number, maxMs: number): Promise<{ final: TargetStats; ms: number }> {
  const started = Date.now();
  let last = await target.stats({ flush: true });
  let still = 0;
  while (last.count - base < expected && still < 6 && Date.now() - started < maxMs) {
    await sleep(500);
    const next = await target.stats({ flush: true });
    still = next.count === last.count ? still + 1 : 0;
    last = next;
  }
  return { final: last, ms: Date.now() - started };
}

export async function throughput(
  gen: Child,
  target: Target,
  o: { qos: 0 | 1; seconds: number; warmupS: number; window: number },
): Promise<ThroughputRep> {
  const base = await target.stats({ flush: true });
  const t0 = Date.now();
  const running = gen.call<{ sent: number; acked: number; closed: number; cpu: number }>('saturate', {
    qos: o.qos,
    seconds: o.seconds,
    window: o.window,
    settleMs: 30_000,
  });
  await sleep(o.warmupS * 1000);
  const s0 = await target.stats();
  await sleep(Math.max(0, t0 + o.seconds * 1000 - 250 - Date.now()));
  const s1 = await target.stats();
  const g = await running;
  const { final, ms } = await drain(target, base.count, g.sent, 60_000);
  return {
    rate: ((s1.count - s0.count) / (s1.t - s0.t)) * 1000,
    sent: g.sent,
    stored: final.count - base.count,
    targetCpu: cpuPercent(s0, s1),
    generatorCpu: g.cpu,
    closed: g.closed,
    drainMs: ms,
  };
}

export interface IdleMemory {
  boxes: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  kbPerBox: number;
  connectS: number;
}

/** RSS growth of the target for `boxes` connected, silent boxes (after a GC on both sides). */
export async function connectIdle(gen: Child, target: Target, boxes: number, o: { batch: number; keepalive: number }): Promise<IdleMemory> {
  const creds = await target.provision(boxes);
  await sleep(1000);
  const before = await target.stats({ gc: true });
  const c = await gen.call<{ connected: number; failures: Record<string, number>; ms: number }>(
    'connect',
    { host: '127.0.0.1', port: target.port, boxes: creds, batch: o.batch, keepalive: o.keepalive },
    600_000,
  );
  if (c.connected !== boxes) throw new Error(`${target.kind}: ${c.connected}/${boxes} connected ${JSON.stringify(c.failures)}`);
  await sleep(3000);
  const after = await target.stats({ gc: true });
  const MB = 1024 * 1024;
  return {
    boxes,
    rssBeforeMB: before.rss / MB,
    rssAfterMB: after.rss / MB,
    kbPerBox: (after.rss - before.rss) / 1024 / boxes,
    connectS: c.ms / 1000,
  };
}

export interface Sustained {
  boxes: number;
  seconds: number;
  sent: number;
  stored: number;
  targetCpu: number;
  generatorCpu: number;
  maxLagMs: number;
  backpressured: number;
  closed: number;
  rssMB: number;
  drainMs: number;
}

/** Every connected box sends one QoS 0 telemetry message per second for `seconds`. */
export async function sustained(gen: Child, target: Target, boxes: number, seconds: number): Promise<Sustained> {
  const base = await target.stats({ flush: true });
  const g = await gen.call<{ sent: number; backpressured: number; maxLagMs: number; closed: number; cpu: number }>(
    'paced',
    { seconds, rate: 1 },
    (seconds + 60) * 1000,
  );
  const end = await target.stats();
  const { final, ms } = await drain(target, base.count, g.sent, 60_000);
  return {
    boxes,
    seconds,
    sent: g.sent,
    stored: final.count - base.count,
    targetCpu: cpuPercent(base, end),
    generatorCpu: g.cpu,
    maxLagMs: g.maxLagMs,
    backpressured: g.backpressured,
    closed: g.closed,
    rssMB: end.rss / 1024 / 1024,
    drainMs: ms,
  };
}
