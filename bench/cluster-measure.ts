import { sql, type Kysely } from 'kysely';
import type { Database } from '../services/platform/db/schema.ts';
import type { Child } from './ipc.ts';
import { median } from './measure.ts';
import type { BoxCredentials } from './target.ts';
import type { Sent } from './triage-clients.ts';

/** The three figures of the cluster benchmark, each measured through the balancer. */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wall = () => performance.timeOrigin + performance.now();

/** The p-th percentile of sorted `xs` (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** CPU time so far (µs) of each process the benchmark watches, by name. */
export type CpuProbes = Record<string, () => number>;

function cpuNow(probes: CpuProbes): Record<string, number> {
  return Object.fromEntries(Object.entries(probes).map(([name, read]) => [name, read()]));
}

/** Each process's CPU between two readings `ms` apart, in % of one core. */
function cpuBetween(probes: CpuProbes, c0: Record<string, number>, c1: Record<string, number>, ms: number): Record<string, number> {
  return Object.fromEntries(Object.keys(probes).map((name) => [name, ((c1[name]! - c0[name]!) / 1000 / ms) * 100]));
}

export interface ConnectFigures {
  boxes: number;
  wallS: number;
  medianMs: number;
  p99Ms: number;
}

export async function connectAll(
  gen: Child,
  o: { port: number; creds: BoxCredentials[]; batch: number; keepalive: number },
): Promise<ConnectFigures> {
  const c = await gen.call<{ connected: number; failures: Record<string, number>; ms: number; connackMs: number[] }>(
    'connect',
    { host: '127.0.0.1', port: o.port, boxes: o.creds, batch: o.batch, keepalive: o.keepalive },
    900_000,
  );
  if (c.connected !== o.creds.length) throw new Error(`${c.connected}/${o.creds.length} boxes connected ${JSON.stringify(c.failures)}`);
  return { boxes: c.connected, wallS: c.ms / 1000, medianMs: median(c.connackMs), p99Ms: percentile(c.connackMs, 99) };
}

/** Telemetry rows in PostgreSQL: what every node together has stored. */
export async function storedRows(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('telemetry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface SaturatedRep {
  /** Rows stored per second, from the first send to the last row stored. */
  rate: number;
  sent: number;
  stored: number;
  /** CPU of each watched process over the sending window (after the warm-up), in % of one core. */
  cpu: Record<string, number>;
}

/** Waits until `expected` rows beyond `base` are stored or the count stops for 3 s; answers when it last moved. */
async function drained(db: Kysely<Database>, base: number, expected: number): Promise<{ stored: number; doneAt: number }> {
  let count = await storedRows(db);
  let changedAt = wall();
  const started = changedAt;
  while (count - base < expected && wall() - changedAt < 3000 && wall() - started < 60_000) {
    await sleep(100);
    const next = await storedRows(db);
    if (next !== count) changedAt = wall();
    count = next;
  }
  return { stored: count - base, doneAt: changedAt };
}

/** Every connected box publishes as fast as its window allows for `seconds` (bench/load-generator.ts `saturate`). */
export async function saturated(
  gen: Child,
  db: Kysely<Database>,
  probes: CpuProbes,
  o: { qos: 0 | 1; seconds: number; warmupS: number; window: number },
): Promise<SaturatedRep> {
  const base = await storedRows(db);
  const t0 = Date.now();
  const running = gen.call<{ sent: number; startedAt: number }>('saturate', { qos: o.qos, seconds: o.seconds, window: o.window, settleMs: 30_000 });
  running.catch(() => undefined);
  await sleep(o.warmupS * 1000);
  const [c0, w0] = [cpuNow(probes), wall()];
  await sleep(Math.max(0, t0 + o.seconds * 1000 - 250 - Date.now()));
  const [c1, w1] = [cpuNow(probes), wall()];
  const g = await running;
  const { stored, doneAt } = await drained(db, base, g.sent);
  return { rate: (stored / (doneAt - g.startedAt)) * 1000, sent: g.sent, stored, cpu: cpuBetween(probes, c0, c1, w1 - w0) };
}

export interface DecisionFigures {
  faults: number;
  decided: number;
  /** Decision row's decided_at minus its fault's received_at (the receiving node's clock), ms. */
  p50Ms: number;
  p99Ms: number;
  /** At the fault box: publish to PUBACK (QoS 1, through the balancer), ms. */
  pubackP99Ms: number;
  /** Telemetry sent meanwhile by the whole fleet (1 msg/s per box), msg/s. */
  backgroundRate: number;
  /**
   * CPU of each watched process in % of one core over `quietS` seconds of that telemetry before
   * the first fault (so that triage is not in it): the cost at the fleet's real rate.
   */
  cpu: Record<string, number>;
}

/**
 * Every telemetry box reports once a second: first `quietS` seconds of that alone (the CPU it
 * costs), then faults one at a time, every `intervalMs`, from the fault boxes in turn
 * (bench/triage-clients.ts); then each fault's decision read back.
 */
export async function faultToDecision(
  gen: Child,
  faultClients: Child,
  db: Kysely<Database>,
  probes: CpuProbes,
  o: { serials: string[]; faults: number; intervalMs: number; quietS: number },
): Promise<DecisionFigures> {
  const paced = gen.call<{ sent: number; elapsedMs: number }>('paced', { seconds: 3600, rate: 1 }, 3_700_000);
  paced.catch(() => undefined);
  await sleep(1000);
  const [c0, w0] = [cpuNow(probes), wall()];
  await sleep(o.quietS * 1000);
  const [c1, w1] = [cpuNow(probes), wall()];
  const pubacks: number[] = [];
  const since = Date.now();
  for (let i = 0; i < o.faults; i++) {
    const due = wall() + o.intervalMs;
    // Faults only (MIX's first five): the event at MIX[5] takes another path.
    const s = await faultClients.call<Sent>('publish', { serial: o.serials[i % o.serials.length]!, mix: i % 5 });
    pubacks.push(s.puback - s.t0);
    await sleep(Math.max(0, due - wall()));
  }
  await gen.call('stop');
  const background = await paced;
  const latencies = async () => {
    const rows = await db
      .selectFrom('triage_decisions as d')
      .innerJoin('faults as f', 'f.id', 'd.source_id')
      .where('d.source', '=', 'fault')
      .where('f.received_at', '>=', since)
      .select(sql<number>`d.decided_at - f.received_at`.as('ms'))
      .execute();
    return rows.map((r) => Number(r.ms));
  };
  let ms = await latencies();
  for (const until = Date.now() + 30_000; ms.length < o.faults && Date.now() < until; ms = await latencies()) await sleep(200);
  ms.sort((x, y) => x - y);
  pubacks.sort((x, y) => x - y);
  return {
    faults: o.faults,
    decided: ms.length,
    p50Ms: median(ms),
    p99Ms: percentile(ms, 99),
    pubackP99Ms: percentile(pubacks, 99),
    backgroundRate: (background.sent / background.elapsedMs) * 1000,
    cpu: cpuBetween(probes, c0, c1, w1 - w0),
  };
}
