import type { Child } from './ipc.ts';
import { drain } from './measure.ts';
import type { SpoolSample, Target } from './target.ts';

/**
 * The influx target's spool through an outage of its time-series server: every box sends one
 * QoS 0 message per second; the server is stopped for a while and started again; the spool
 * must take everything meanwhile and empty again while the boxes keep sending.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server the outage stops and starts (VictoriaMetrics here). */
export interface Stoppable {
  stop(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
}

/** One reading of /api/health, `s` seconds from the start of sending. */
export interface SpoolPoint extends SpoolSample {
  s: number;
}

export interface Outage {
  boxes: number;
  /** Sending before the stop, the stop itself, and the longest the drain was given. */
  beforeS: number;
  outageS: number;
  /** When the server was stopped and answering again, seconds from the start of sending. */
  stoppedAtS: number;
  restartedAtS: number;
  /**
   * Seconds from the server answering again until the first point was forwarded (the
   * forwarder's back-off, up to 30 s, runs out first), and until the spool held under one
   * second of traffic; null if not within the bound.
   */
  resumeS: number | null;
  drainS: number | null;
  /** Points and bytes in the spool when the server came back, and the most seen. */
  pointsAtRestart: number;
  bytesAtRestart: number;
  peakPoints: number;
  peakBytes: number;
  /** Spool growth while stopped (points/s, bytes/s) and points acknowledged into it per second meanwhile. */
  growthPointsPerS: number;
  growthBytesPerS: number;
  acceptedPerSWhileDown: number;
  /** Points forwarded per second from the first forward after the restart until drained, and the spool's net shrink per second meanwhile. */
  drainForwardedPerS: number | null;
  drainNetPerS: number | null;
  /** Whether the spool ever reported itself full (back-pressure on the boxes). */
  everFull: boolean;
  sent: number;
  /** Acknowledged into the spool, and acknowledged by the server in the end (after the last drain). */
  accepted: number;
  forwarded: number;
  /** Boxes the backend disconnected meanwhile, and the generator's worst lag behind its schedule. */
  closed: number;
  maxLagMs: number;
  /** Failed write attempts in a row when the server came back, and the last error. */
  failuresAtRestart: number;
  lastError: string | null;
  timeline: SpoolPoint[];
}

function spoolOf(s: { spool?: SpoolSample }): SpoolSample {
  if (!s.spool) throw new Error('the outage needs the influx target (its stats carry no spool)');
  return s.spool;
}

/** Samples /api/health every `everyMs` until `until` answers true; every sample goes to `timeline`. */
async function sampleUntil(
  target: Target,
  origin: number,
  timeline: SpoolPoint[],
  until: (p: SpoolPoint) => boolean,
  everyMs = 1000,
): Promise<SpoolPoint> {
  for (;;) {
    const st = await target.stats();
    const p = { s: (st.t - origin) / 1000, ...spoolOf(st) };
    timeline.push(p);
    if (until(p)) return p;
    await sleep(Math.max(0, origin + p.s * 1000 + everyMs - Date.now()));
  }
}

export async function influxOutage(
  gen: Child,
  target: Target,
  server: Stoppable,
  o: { boxes: number; beforeS: number; outageS: number; maxDrainS: number },
): Promise<Outage> {
  const base = spoolOf(await target.stats({ flush: true }));
  const origin = Date.now();
  const longest = o.beforeS + o.outageS + o.maxDrainS + 30;
  const paced = gen.call<{ sent: number; maxLagMs: number; closed: number }>('paced', { seconds: longest, rate: 1 }, (longest + 60) * 1000);
  // Awaited below; if the target dies first, the run ends through that error, not this one.
  paced.catch(() => undefined);
  const timeline: SpoolPoint[] = [];
  const rel = (p: SpoolPoint): SpoolPoint => ({ ...p, forwarded: p.forwarded - base.forwarded, accepted: p.accepted - base.accepted });
  try {
    await sampleUntil(target, origin, timeline, (p) => p.s >= o.beforeS);
    const down = await (async () => {
      await server.stop();
      return sampleUntil(target, origin, timeline, () => true);
    })();
    const atEnd = await sampleUntil(target, origin, timeline, (p) => p.s >= down.s + o.outageS);
    await server.start();
    const up = await sampleUntil(target, origin, timeline, () => true);
    const bound = (p: SpoolPoint) => p.s >= up.s + o.maxDrainS;
    const resumed = await sampleUntil(target, origin, timeline, (p) => p.forwarded > up.forwarded || bound(p), 200);
    // Drained: the spool back under one second of traffic, what it holds in normal running.
    const drained = await sampleUntil(target, origin, timeline, (p) => p.points < o.boxes || bound(p), 200);
    await gen.call('stop');
    const g = await paced;
    const { final } = await drain(target, base.forwarded, g.sent, 120_000);
    const end = spoolOf(final);
    const drainS = drained.points < o.boxes ? drained.s - up.s : null;
    // Forwarding began after the last reading that had not seen it yet (at most 200 ms before).
    const before = timeline[timeline.indexOf(resumed) - 1] ?? up;
    const forwarding = drained.s - before.s;
    return {
      boxes: o.boxes,
      beforeS: o.beforeS,
      outageS: o.outageS,
      stoppedAtS: down.s,
      restartedAtS: up.s,
      resumeS: resumed.forwarded > up.forwarded ? resumed.s - up.s : null,
      drainS,
      pointsAtRestart: up.points,
      bytesAtRestart: up.bytes,
      peakPoints: Math.max(...timeline.map((p) => p.points)),
      peakBytes: Math.max(...timeline.map((p) => p.bytes)),
      growthPointsPerS: (atEnd.points - down.points) / (atEnd.s - down.s),
      growthBytesPerS: (atEnd.bytes - down.bytes) / (atEnd.s - down.s),
      acceptedPerSWhileDown: (atEnd.accepted - down.accepted) / (atEnd.s - down.s),
      drainForwardedPerS: drainS !== null && forwarding > 0 ? (drained.forwarded - before.forwarded) / forwarding : null,
      drainNetPerS: drainS !== null && forwarding > 0 ? (before.points - drained.points) / forwarding : null,
      everFull: timeline.some((p) => p.full) || end.full,
      sent: g.sent,
      accepted: end.accepted - base.accepted,
      forwarded: end.forwarded - base.forwarded,
      closed: g.closed,
      maxLagMs: g.maxLagMs,
      failuresAtRestart: atEnd.failures,
      lastError: atEnd.lastError,
      timeline: timeline.map(rel),
    };
  } finally {
    // Whatever broke, the boxes stop sending and the server runs again for the next step.
    await gen.call('stop').catch(() => undefined);
    await paced.catch(() => undefined);
    if (!server.running()) await server.start().catch(() => undefined);
  }
}
