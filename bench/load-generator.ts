import { connect as tcpConnect, type Socket } from 'node:net';
import { sampleProcess, serve } from './ipc.ts';
import { PACKET, PINGREQ, connectPacket, frameSplitter, publishTemplate, stampPublishes, type Frame, type PublishTemplate } from './mqtt-wire.ts';
import type { BoxCredentials } from './target.ts';

/**
 * Simulated boxes on raw sockets, in their own process so that building and writing packets
 * never competes with the broker for the same event loop. Driven by bench/run.ts over IPC.
 */

interface Box {
  sock: Socket;
  /** Kept so that a box taken offline on purpose (`flap`) can come back as itself. */
  cred: BoxCredentials;
  qos0: PublishTemplate;
  qos1: PublishTemplate;
  seq: number;
  nextId: number;
  /** Publishes written and not yet confirmed (PUBACK, or the PINGRESP that follows them). */
  inflight: number;
  /** Publishes each outstanding PINGREQ confirms, oldest first. */
  pings: number[];
  blocked: boolean;
  connected: boolean;
  closed: boolean;
  onConnack: ((code: number) => void) | null;
}

interface Run {
  active: boolean;
  qos: 0 | 1;
  window: number;
  chunk: number;
  sent: number;
  acked: number;
}

let boxes: Box[] = [];
let run: Run | null = null;
let closedDuringRuns = 0;
/** Where `connect` found the broker; `flap` reconnects there. */
let broker: { host: string; port: number; keepalive: number } | null = null;
/** Set by `stop` to end an open-ended `paced` or `flap` early. */
let stopPaced = false;
let stopFlap = false;

function nextId(box: Box): number {
  box.nextId = box.nextId >= 0xffff ? 1 : box.nextId + 1;
  return box.nextId;
}

/**
 * Tops a box up to `window` unconfirmed publishes, `chunk` at a time. QoS 0 has no ack, so a
 * PINGREQ follows each chunk: aedes handles one connection's packets in order, so its
 * PINGRESP means the broker has read and dispatched them. This bounds what sits in socket
 * buffers; without it a run would end with minutes of backlog to drain.
 */
function refill(box: Box): void {
  const r = run;
  if (!r || !r.active || box.blocked || box.closed) return;
  const chunks = Math.floor((r.window - box.inflight) / r.chunk);
  if (chunks <= 0) return;
  const tpl = r.qos === 1 ? box.qos1 : box.qos0;
  const now = Date.now();
  const parts: Buffer[] = [];
  for (let c = 0; c < chunks; c++) {
    parts.push(stampPublishes(tpl, r.chunk, now, box.seq, () => nextId(box)));
    box.seq += r.chunk;
    if (r.qos === 0) {
      parts.push(PINGREQ);
      box.pings.push(r.chunk);
    }
  }
  box.inflight += chunks * r.chunk;
  r.sent += chunks * r.chunk;
  if (!box.sock.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts))) box.blocked = true;
}

function onFrame(box: Box, f: Frame): void {
  if (f.type === PACKET.connack) {
    box.onConnack?.(f.body[1] ?? 255);
    box.onConnack = null;
  } else if (f.type === PACKET.puback) {
    // Clamped: an ack that arrives after its run gave up waiting must not open the next window wider.
    box.inflight = Math.max(0, box.inflight - 1);
    if (run) run.acked++;
    refill(box);
  } else if (f.type === PACKET.pingresp) {
    const covered = box.pings.shift() ?? 0;
    box.inflight = Math.max(0, box.inflight - covered);
    if (run) run.acked += covered;
    refill(box);
  }
}

function openBox(host: string, port: number, cred: BoxCredentials, keepalive: number, timeoutMs: number): Promise<Box | string> {
  const topic = `mtbox/${cred.serial}/telemetry`;
  const sock = tcpConnect({ host, port });
  sock.setNoDelay(true);
  const box: Box = {
    sock,
    cred,
    qos0: publishTemplate(topic, 0),
    qos1: publishTemplate(topic, 1),
    seq: 0,
    nextId: 0,
    inflight: 0,
    pings: [],
    blocked: false,
    connected: false,
    closed: false,
    onConnack: null,
  };
  const split = frameSplitter((f) => onFrame(box, f));
  sock.on('data', split);
  sock.on('drain', () => {
    box.blocked = false;
    refill(box);
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => done('no CONNACK in time'), timeoutMs);
    function done(outcome: Box | string): void {
      clearTimeout(timer);
      box.onConnack = null;
      if (typeof outcome === 'string') sock.destroy();
      resolve(outcome);
    }
    box.onConnack = (code) => {
      box.connected = code === 0;
      done(box.connected ? box : `CONNACK ${code}`);
    };
    sock.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    sock.on('close', () => {
      if (box.connected && !box.closed) closedDuringRuns++;
      box.closed = true;
      done('closed before CONNACK');
    });
    sock.write(connectPacket(cred.serial, cred.secret, keepalive));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One QoS 0 message per second from each box of `live` that is back, box i in slot i % 100
 * (10 ms apart), until `done()`. Returns what was sent and a timeline of the running total
 * (ms after `droppedAt`, messages sent), every 100 ms.
 */
async function reportWhileReturning(
  live: Array<Box | null>,
  droppedAt: number,
  done: () => boolean,
): Promise<{ sent: number; sentTimeline: Array<[number, number]>; maxLagMs: number }> {
  const slots = 100;
  const tickMs = 10;
  const start = performance.now();
  const sentTimeline: Array<[number, number]> = [];
  let sent = 0;
  let maxLagMs = 0;
  for (let k = 0; !done(); k++) {
    const wait = start + k * tickMs - performance.now();
    if (wait > 0) await sleep(wait);
    else maxLagMs = Math.max(maxLagMs, -wait);
    const now = Date.now();
    for (let i = k % slots; i < live.length; i += slots) {
      const box = live[i];
      if (!box || box.closed) continue;
      box.sock.write(stampPublishes(box.qos0, 1, now, box.seq++, () => 0));
      sent++;
    }
    if (k % 10 === 9) sentTimeline.push([performance.timeOrigin + performance.now() - droppedAt, sent]);
  }
  return { sent, sentTimeline, maxLagMs };
}

serve({
  /** Opens boxes in batches so the connect storm does not dominate what is measured. */
  async connect(a: { host: string; port: number; boxes: BoxCredentials[]; batch: number; keepalive: number }) {
    const started = Date.now();
    broker = { host: a.host, port: a.port, keepalive: a.keepalive };
    const failures = new Map<string, number>();
    // Each box's own time from its TCP connect to its CONNACK, for the per-connect percentiles.
    const connackMs: number[] = [];
    const timed = async (cred: BoxCredentials) => {
      const t0 = performance.now();
      const o = await openBox(a.host, a.port, cred, a.keepalive, 60_000);
      if (typeof o !== 'string') connackMs.push(performance.now() - t0);
      return o;
    };
    for (let i = 0; i < a.boxes.length; i += a.batch) {
      const outcomes = await Promise.all(a.boxes.slice(i, i + a.batch).map(timed));
      for (const o of outcomes) {
        if (typeof o === 'string') failures.set(o, (failures.get(o) ?? 0) + 1);
        else boxes.push(o);
      }
    }
    closedDuringRuns = 0;
    return {
      connected: boxes.length,
      failures: Object.fromEntries(failures),
      ms: Date.now() - started,
      connackMs: connackMs.sort((x, y) => x - y),
    };
  },

  /** Every box publishes as fast as the broker confirms, with at most `window` unconfirmed. */
  async saturate(a: { qos: 0 | 1; seconds: number; window: number; settleMs: number }) {
    const r: Run = { active: true, qos: a.qos, window: a.window, chunk: Math.max(1, a.window >> 1), sent: 0, acked: 0 };
    run = r;
    const wall = () => performance.timeOrigin + performance.now();
    const startedAt = wall();
    const closedBefore = closedDuringRuns;
    for (const box of boxes) {
      box.inflight = 0;
      box.pings = [];
      refill(box);
    }
    await sleep(a.seconds * 1000);
    r.active = false;
    const stoppedAt = wall();
    const sentInWindow = r.sent;
    const settleUntil = Date.now() + a.settleMs;
    while (r.acked < r.sent && Date.now() < settleUntil) await sleep(50);
    run = null;
    return { sent: sentInWindow, acked: r.acked, closed: closedDuringRuns - closedBefore, startedAt, stoppedAt };
  },

  /** Every box publishes `rate` telemetry messages per second at QoS 0, spread evenly over the second. */
  async paced(a: { seconds: number; rate: number }) {
    const slots = 100;
    const tickMs = 1000 / a.rate / slots;
    const ticks = Math.round((a.seconds * 1000) / tickMs);
    const start = performance.now();
    const closedBefore = closedDuringRuns;
    let sent = 0;
    let maxLagMs = 0;
    stopPaced = false;
    for (let k = 0; k < ticks && !stopPaced; k++) {
      const due = start + k * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else maxLagMs = Math.max(maxLagMs, -wait);
      const now = Date.now();
      for (let i = k % slots; i < boxes.length; i += slots) {
        const box = boxes[i]!;
        if (box.closed) continue;
        box.sock.write(stampPublishes(box.qos0, 1, now, box.seq++, () => 0));
        sent++;
      }
    }
    return { sent, maxLagMs, closed: closedDuringRuns - closedBefore, elapsedMs: performance.now() - start };
  },

  /**
   * Presence changes while the boxes report: each second the next `perSecond` boxes of
   * `indices` (positions in connect order, taken in turn) drop their connection with a RST and
   * connect again `downMs` later, until `seconds` pass or `stop` is called.
   */
  async flap(a: { indices: number[]; perSecond: number; downMs: number; seconds: number }) {
    const at = broker;
    if (!at) throw new Error('connect first');
    const start = performance.now();
    const counts = { down: 0, up: 0, failed: 0 };
    const returning: Promise<void>[] = [];
    let turn = 0;
    stopFlap = false;
    for (let k = 0; k < a.seconds && !stopFlap; k++) {
      const wait = start + k * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      for (let j = 0; j < a.perSecond; j++) {
        const i = a.indices[turn++ % a.indices.length]!;
        const box = boxes[i];
        if (!box || box.closed) continue;
        box.closed = true;
        box.sock.resetAndDestroy();
        counts.down++;
        returning.push(
          sleep(a.downMs)
            .then(() => openBox(at.host, at.port, box.cred, at.keepalive, 30_000))
            .then((o) => {
              if (typeof o === 'string') return void counts.failed++;
              o.seq = box.seq;
              boxes[i] = o;
              counts.up++;
            }),
        );
      }
    }
    await Promise.all(returning);
    return counts;
  },

  /**
   * A reconnect storm: every box loses its connection at once (RST, as when a cell comes back
   * after an outage and the broker learns at once) and all connect again at once, no batching
   * and no retry: a refused or unanswered box is reported, not hidden. Each box that has its
   * CONNACK back reports one QoS 0 message per second in its slot, until `seconds` after the
   * drop, and at least 3 s after the last box's outcome so the fleet's return can be seen.
   */
  async storm(a: { seconds: number; connackTimeoutMs: number }) {
    const at = broker;
    if (!at) throw new Error('connect first');
    const wall = () => performance.timeOrigin + performance.now();
    const old = boxes;
    const live: Array<Box | null> = old.map(() => null);
    const connackMs: number[] = [];
    const failures = new Map<string, number>();
    const closedBefore = closedDuringRuns;
    const droppedAt = wall();
    for (const box of old) {
      box.closed = true;
      box.sock.resetAndDestroy();
    }
    let pending = old.length;
    let lastOutcomeAt = droppedAt;
    const returning = old.map((box, i) =>
      openBox(at.host, at.port, box.cred, at.keepalive, a.connackTimeoutMs).then((o) => {
        lastOutcomeAt = wall();
        pending--;
        if (typeof o === 'string') return void failures.set(o, (failures.get(o) ?? 0) + 1);
        o.seq = box.seq;
        live[i] = o;
        connackMs.push(lastOutcomeAt - droppedAt);
      }),
    );
    const sent = await reportWhileReturning(live, droppedAt, () => {
      const now = wall();
      return now - droppedAt >= a.seconds * 1000 && pending === 0 && now - lastOutcomeAt >= 3000;
    });
    await Promise.all(returning);
    boxes = live.filter((b): b is Box => b !== null);
    return {
      boxes: old.length,
      droppedAt,
      connackMs: connackMs.sort((x, y) => x - y),
      failures: Object.fromEntries(failures),
      closed: closedDuringRuns - closedBefore,
      ...sent,
    };
  },

  /** Ends a running `paced` and `flap` at their next tick. */
  stop() {
    stopPaced = true;
    stopFlap = true;
    return { stopped: true };
  },

  async close() {
    // RST instead of FIN: 10,000 sockets in TIME_WAIT would eat the ephemeral port range.
    for (const box of boxes) {
      box.closed = true;
      box.sock.resetAndDestroy();
    }
    const n = boxes.length;
    boxes = [];
    await sleep(200);
    return { closed: n };
  },

  stats: () => sampleProcess(),
});
