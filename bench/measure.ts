import { cpuPercent, machineBusyUs, type Child, type ProcessSample } from './ipc.ts';
import type { Target, TargetStats } from './target.ts';

/** One measurement each: saturated throughput, idle memory, sustained paced load. */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ThroughputRep {
  /**
   * Messages counted by the target per second from the first send to the last message counted:
   * all the work for every message sent. The relay acknowledges before it delivers, so its
   * deliveries trail its intake; this rate charges it for both.
   */
  rate: number;
  /** Counted per second while the generator was sending, after the warm-up (diagnostic). */
  sendingRate: number;
  sent: number;
  stored: number;
  targetCpu: number;
  generatorCpu: number;
  /** CPU used by everything else on the machine meanwhile (other people's work), in % of one core. */
  othersCpu: number;
  /** Boxes the target disconnected during the run. */
  closed: number;
  /** From the end of sending to the last message counted. */
  tailMs: number;
  /**
   * The influx target only: points acknowledged into its spool per second over the same window
   * as `sendingRate` (which counts what the time-series server acknowledged), and the points
   * still waiting in the spool when that window ended.
   */
  spooledSendingRate?: number;
  spoolBacklog?: number;
  /** CPU of the process `sidecarCpuUs` reads (the influx target's time-series server), in % of one core. */
  sidecarCpu?: number;
}

interface Moment {
  target: TargetStats;
  gen: ProcessSample;
  busyUs: number;
  sidecarUs?: number;
}

async function moment(gen: Child, target: Target, sidecarCpuUs?: () => number): Promise<Moment> {
  const [t, g] = await Promise.all([target.stats(), gen.call<ProcessSample>('stats')]);
  return { target: t, gen: g, busyUs: machineBusyUs(), ...(sidecarCpuUs ? { sidecarUs: sidecarCpuUs() } : {}) };
}

/** Target, generator, sidecar and everyone else's CPU between two moments, each in % of one core. */
function cpuBetween(a: Moment, b: Moment): { targetCpu: number; generatorCpu: number; othersCpu: number; sidecarCpu?: number } {
  const targetCpu = cpuPercent(a.target, b.target);
  const generatorCpu = cpuPercent(a.gen, b.gen);
  const ms = b.target.t - a.target.t;
  const machine = ((b.busyUs - a.busyUs) / 1000 / ms) * 100;
  if (a.sidecarUs === undefined || b.sidecarUs === undefined) {
    return { targetCpu, generatorCpu, othersCpu: Math.max(0, machine - targetCpu - generatorCpu) };
  }
  const sidecarCpu = ((b.sidecarUs - a.sidecarUs) / 1000 / ms) * 100;
  return { targetCpu, generatorCpu, sidecarCpu, othersCpu: Math.max(0, machine - targetCpu - generatorCpu - sidecarCpu) };
}

/**
 * Polls until all `expected` messages are counted or the count stops moving for 3 s.
 * `doneAt` is when the last one was counted: the target's own record if it keeps one,
 * else the first poll that saw the final count.
 */
export async function drain(target: Target, base: number, expected: number, maxMs: number): Promise<{ final: TargetStats; doneAt: number }> {
  const started = Date.now();
  let last = await target.stats({ flush: true });
  let changedAt = last.t;
  while (last.count - base < expected && last.t - changedAt < 3000 && Date.now() - started < maxMs) {
    await sleep(100);
    const next = await target.stats({ flush: true });
    if (next.count !== last.count) changedAt = next.t;
    last = next;
  }
  return { final: last, doneAt: last.lastAt ?? changedAt };
}

export async function throughput(
  gen: Child,
  target: Target,
  o: { qos: 0 | 1; seconds: number; warmupS: number; window: number; sidecarCpuUs?: () => number },
): Promise<ThroughputRep> {
  const base = await target.stats({ flush: true });
  const t0 = Date.now();
  const running = gen.call<{ sent: number; acked: number; closed: number; startedAt: number; stoppedAt: number }>('saturate', {
    qos: o.qos,
    seconds: o.seconds,
    window: o.window,
    settleMs: 30_000,
  });
  // Awaited below; if the target dies first, the run ends through that error, not this one.
  running.catch(() => undefined);
  await sleep(o.warmupS * 1000);
  const m0 = await moment(gen, target, o.sidecarCpuUs);
  await sleep(Math.max(0, t0 + o.seconds * 1000 - 250 - Date.now()));
  const m1 = await moment(gen, target, o.sidecarCpuUs);
  const g = await running;
  const { final, doneAt } = await drain(target, base.count, g.sent, 60_000);
  const stored = final.count - base.count;
  return {
    rate: (stored / (doneAt - g.startedAt)) * 1000,
    sendingRate: ((m1.target.count - m0.target.count) / (m1.target.t - m0.target.t)) * 1000,
    sent: g.sent,
    stored,
    ...cpuBetween(m0, m1),
    closed: g.closed,
    tailMs: Math.max(0, doneAt - g.stoppedAt),
    ...spoolFigures(m0, m1),
  };
}

function spoolFigures(m0: Moment, m1: Moment): Pick<ThroughputRep, 'spooledSendingRate' | 'spoolBacklog'> {
  const [a, b] = [m0.target.spool, m1.target.spool];
  if (!a || !b) return {};
  return { spooledSendingRate: ((b.accepted - a.accepted) / (m1.target.t - m0.target.t)) * 1000, spoolBacklog: b.points };
}

export interface IdleMemory {
  boxes: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  kbPerBox: number;
  connectS: number;
}

/** Median RSS of a few samples, each after a GC: one sample moves by megabytes with what the heap just freed. */
async function settledRss(target: Target, samples = 5): Promise<number> {
  const rss: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(300);
    rss.push((await target.stats({ gc: true })).rss);
  }
  return median(rss);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** RSS growth of the target for `boxes` connected, silent boxes (median of samples after a GC, on both sides). */
export async function connectIdle(gen: Child, target: Target, boxes: number, o: { batch: number; keepalive: number }): Promise<IdleMemory> {
  const creds = await target.provision(boxes);
  await sleep(1000);
  const before = await settledRss(target);
  const c = await gen.call<{ connected: number; failures: Record<string, number>; ms: number }>(
    'connect',
    { host: '127.0.0.1', port: target.port, boxes: creds, batch: o.batch, keepalive: o.keepalive },
    600_000,
  );
  if (c.connected !== boxes) throw new Error(`${target.kind}: ${c.connected}/${boxes} connected ${JSON.stringify(c.failures)}`);
  await sleep(3000);
  const after = await settledRss(target);
  const MB = 1024 * 1024;
  return {
    boxes,
    rssBeforeMB: before / MB,
    rssAfterMB: after / MB,
    kbPerBox: (after - before) / 1024 / boxes,
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
  othersCpu: number;
  maxLagMs: number;
  closed: number;
  rssMB: number;
  tailMs: number;
}

/** Every connected box sends one QoS 0 telemetry message per second for `seconds`. */
export async function sustained(gen: Child, target: Target, boxes: number, seconds: number): Promise<Sustained> {
  const base = await target.stats({ flush: true });
  const m0 = await moment(gen, target);
  const g = await gen.call<{ sent: number; maxLagMs: number; closed: number }>('paced', { seconds, rate: 1 }, (seconds + 60) * 1000);
  const m1 = await moment(gen, target);
  const { final, doneAt } = await drain(target, base.count, g.sent, 60_000);
  return {
    boxes,
    seconds,
    sent: g.sent,
    stored: final.count - base.count,
    ...cpuBetween(m0, m1),
    maxLagMs: g.maxLagMs,
    closed: g.closed,
    rssMB: m1.target.rss / 1024 / 1024,
    tailMs: Math.max(0, doneAt - m1.target.t),
  };
}

export interface Storm {
  boxes: number;
  /** From the drop to the last box's CONNACK; null if some box never got one. */
  allBackS: number | null;
  connackP50S: number | null;
  /** CONNACK with a return code other than 0. */
  refused: number;
  /** No CONNACK within the bound. */
  timedOut: number;
  /** Connection closed or failed before its CONNACK. */
  closed: number;
  failures: Record<string, number>;
  /** From the drop to the first moment the fleet is back to full rate (see `fullRateAt`); null if never. */
  fullRateS: number | null;
  sent: number;
  stored: number;
  /** Boxes the target disconnected after their CONNACK, during the storm. */
  dropped: number;
  targetCpu: number;
  generatorCpu: number;
  othersCpu: number;
  maxLagMs: number;
}

export interface StormRun {
  boxes: number;
  droppedAt: number;
  connackMs: number[];
  failures: Record<string, number>;
  closed: number;
  sent: number;
  sentTimeline: Array<[number, number]>;
  maxLagMs: number;
}

/** The last point of a time series (sorted by time) at or before `ms`. */
function lastAtOrBefore(series: Array<[number, number]>, ms: number): [number, number] | undefined {
  let found: [number, number] | undefined;
  for (const point of series) {
    if (point[0] > ms) break;
    found = point;
  }
  return found;
}

/**
 * The first count sample (ms after the drop) at which every box has its CONNACK back, the
 * target counted at least 95 % of one message per box over the second before, and less than
 * one second of traffic (one message per box) was sent and not yet counted.
 */
export function fullRateAt(run: StormRun, counts: Array<[number, number]>): number | null {
  if (run.connackMs.length !== run.boxes) return null;
  const lastBack = run.connackMs.at(-1) ?? 0;
  const sentBy = (ms: number) => lastAtOrBefore(run.sentTimeline, ms)?.[1] ?? 0;
  for (let i = 0; i < counts.length; i++) {
    const [t, c] = counts[i]!;
    if (t < lastBack) continue;
    const before = lastAtOrBefore(counts, t - 1000);
    if (!before) continue;
    const perSecond = ((c - before[1]) / (t - before[0])) * 1000;
    if (perSecond >= 0.95 * run.boxes && sentBy(t) - c < run.boxes) return t;
  }
  return null;
}

/** Drops every box at once and connects all again at once, counting the target's intake meanwhile. */
export async function reconnectStorm(gen: Child, target: Target, o: { seconds: number; connackTimeoutMs: number }): Promise<Storm> {
  const base = await target.stats({ flush: true });
  const m0 = await moment(gen, target);
  let finished = false;
  const running = gen.call<StormRun>('storm', o, o.seconds * 1000 + o.connackTimeoutMs + 60_000).finally(() => (finished = true));
  const samples: Array<[number, number]> = [];
  try {
    while (!finished) {
      const s = await target.stats({ flush: true });
      samples.push([s.t, s.count - base.count]);
      await sleep(500);
    }
  } catch (err) {
    // The generator finishes its storm either way; let it, so its next command finds it idle.
    await running.catch(() => undefined);
    throw err;
  }
  const g = await running;
  const m1 = await moment(gen, target);
  const { final } = await drain(target, base.count, g.sent, 60_000);
  const counts = samples.map(([t, c]): [number, number] => [t - g.droppedAt, c]);
  const fullRate = fullRateAt(g, counts);
  const failures = Object.entries(g.failures);
  const count = (f: (outcome: string) => boolean) => failures.filter(([k]) => f(k)).reduce((n, [, v]) => n + v, 0);
  const refused = count((k) => k.startsWith('CONNACK'));
  const timedOut = count((k) => k === 'no CONNACK in time');
  return {
    boxes: g.boxes,
    allBackS: g.connackMs.length === g.boxes ? (g.connackMs.at(-1) ?? 0) / 1000 : null,
    connackP50S: g.connackMs.length > 0 ? median(g.connackMs) / 1000 : null,
    refused,
    timedOut,
    closed: count(() => true) - refused - timedOut,
    failures: g.failures,
    fullRateS: fullRate === null ? null : fullRate / 1000,
    sent: g.sent,
    stored: final.count - base.count,
    dropped: g.closed,
    ...cpuBetween(m0, m1),
    maxLagMs: g.maxLagMs,
  };
}
