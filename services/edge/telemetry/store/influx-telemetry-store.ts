import type { RetryPolicy } from '../domain/forward-policy.ts';
import type { TelemetryReader, TelemetryStore } from '../domain/telemetry-port.ts';
import { createBatchHandOver } from './batch-hand-over.ts';
import type { InfluxWriteTarget } from './influx-writer.ts';
import { type SpoolEngineConfig, type SpoolMessage, startSpoolEngine } from './spool-engine.ts';
import type { ForwarderStatus } from './spool-forwarder.ts';

export interface InfluxTelemetryOptions {
  /** The spool file (DATA_DIR/telemetry-spool.sqlite). */
  spoolFile: string;
  spoolLimitBytes: number;
  target: InfluxWriteTarget;
  /** Answers history queries (InfluxQL over /query). */
  reader: TelemetryReader;
  /** Rows per hand-over batch, and the longest a point waits in memory before it is spooled. */
  batchSize: number;
  flushIntervalMs: number;
  /** Most points per write request. */
  forwardBatchLines?: number;
  /** A write request that takes longer has failed (and is retried). */
  writeTimeoutMs?: number;
  retry?: RetryPolicy;
  /** The spool thread's module; tests pass one that dies to exercise the fallback. */
  spoolWorker?: URL;
  clock(): number;
  onError(err: unknown, lost: number): void;
  /** InfluxDB refused points as invalid; they are kept in the spool's set_aside table. */
  onSetAside(points: number, reason: string): void;
}

const SPOOL_WORKER = new URL('./telemetry-spool.worker.ts', import.meta.url);

/**
 * Telemetry in InfluxDB with store-and-forward: every point is first appended to a local spool
 * on disk, and a forwarder ships the spool to InfluxDB, deleting only what the server
 * acknowledged. While InfluxDB is away the spool grows and the broker keeps acknowledging; once
 * the spool reaches its limit, append() answers false and the intake holds the boxes'
 * acknowledgements, so their sockets wait rather than anything being dropped.
 */
export function createInfluxTelemetryStore(opts: InfluxTelemetryOptions): TelemetryStore {
  const flags = new Int32Array(new SharedArrayBuffer(4));
  const engineConfig: SpoolEngineConfig = {
    file: opts.spoolFile,
    limitBytes: opts.spoolLimitBytes,
    target: opts.target,
    flags,
    batchLines: opts.forwardBatchLines ?? 5000,
    timeoutMs: opts.writeTimeoutMs ?? 10_000,
    ...(opts.retry ? { retry: opts.retry } : {}),
  };
  let latest: ForwarderStatus | null = null;
  let waiting: Array<() => void> = [];
  let inline: ReturnType<typeof startSpoolEngine> | null = null;

  // Room means the spool is below its limit and its thread is keeping up with the hand-over.
  const hasRoom = () => Atomics.load(flags, 0) === 0 && !rows.behind();

  // Any word from the spool (a batch written, room, a status, the fallback's first report) may
  // mean the producers held by append() can go on.
  function onMessage(m: SpoolMessage): void {
    if (m.type === 'status') latest = m.status;
    else if (m.type === 'set-aside') opts.onSetAside(m.points, m.reason);
    if (waiting.length > 0 && hasRoom()) {
      const ready = waiting;
      waiting = [];
      for (const r of ready) r();
    }
  }

  const rows = createBatchHandOver({
    worker: opts.spoolWorker ?? SPOOL_WORKER,
    workerData: engineConfig,
    batchSize: opts.batchSize,
    flushIntervalMs: opts.flushIntervalMs,
    // A slow spool holds the boxes through append()'s answer, not by stopping this thread.
    blockWhenBehind: false,
    onMessage: (m) => onMessage(m as SpoolMessage),
    onError: opts.onError,
    // The spool thread died: run the spool and its forwarder on this thread from now on.
    fallback() {
      inline = startSpoolEngine(engineConfig, onMessage);
      return (flat) => inline!.append(flat);
    },
  });

  return {
    append(point) {
      rows.push(point.serial, point.ts, point.receivedAt, point.seq, JSON.stringify(point.metrics));
      return hasRoom();
    },
    whenRoom(ready) {
      if (hasRoom()) ready();
      else waiting.push(ready);
    },
    health() {
      // Before the spool thread's first report (a moment after start) only the flag is known.
      const s = latest;
      return {
        kind: 'influxdb',
        spool: {
          full: Atomics.load(flags, 0) === 1,
          limitBytes: opts.spoolLimitBytes,
          points: s?.points ?? null,
          bytes: s?.bytes ?? null,
          oldestAgeS: s?.oldestReceivedAt == null ? null : Math.max(0, Math.round((opts.clock() - s.oldestReceivedAt) / 1000)),
          setAside: s?.setAside ?? null,
        },
        forwarder: {
          state: s?.state ?? 'starting',
          forwarded: s?.forwarded ?? 0,
          failures: s?.failures ?? 0,
          lastError: s?.lastError ?? null,
          lastSuccessAt: s?.lastSuccessAt ?? null,
          retryAt: s?.retryAt ?? null,
        },
      };
    },
    flush: () => rows.flush(),
    query: (q) => opts.reader.query(q),
    // Retention is the bucket's (InfluxDB deletes expired shards itself).
    pruneBefore: async () => 0,
    async close() {
      await rows.close();
      await inline?.close();
      // Nothing more will be taken; boxes still waiting are being disconnected by the shutdown.
      waiting = [];
    },
  };
}
