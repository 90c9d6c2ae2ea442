import type { RetryPolicy } from '../domain/forward-policy.ts';
import { createInfluxWriter, type InfluxWriteTarget } from './influx-writer.ts';
import { createSpoolForwarder, type ForwarderStatus } from './spool-forwarder.ts';
import { openTelemetrySpool } from './telemetry-spool.ts';

/** What the InfluxDB store gives the thread that runs its spool. */
export interface SpoolEngineConfig {
  file: string;
  /** TELEMETRY_SPOOL_MB in bytes: at or above it the store reports itself full. */
  limitBytes: number;
  target: InfluxWriteTarget;
  /** flags[0] is 1 while the spool is full; the broker's thread reads it on every append. */
  flags: Int32Array;
  batchLines: number;
  timeoutMs: number;
  retry?: RetryPolicy;
}

/** What the spool's thread tells the broker's thread. */
export type SpoolMessage =
  | { type: 'status'; status: ForwarderStatus }
  | { type: 'room' }
  /** A hand-over batch is in the spool. */
  | { type: 'written' }
  | { type: 'set-aside'; points: number; reason: string };

// Status reports caused by appends, at most this often; the forwarder's own are not throttled.
const STATUS_EVERY_MS = 250;

/**
 * The spool and its forwarder, run on the spool's worker thread (or, should that die, on the
 * broker's thread). It raises and clears the shared full flag as the spool fills and drains.
 */
export function startSpoolEngine(cfg: SpoolEngineConfig, post: (m: SpoolMessage) => void) {
  const spool = openTelemetrySpool(cfg.file);
  let lastStatusAt = 0;
  function updateFull(bytes: number): void {
    const full = bytes >= cfg.limitBytes ? 1 : 0;
    if (Atomics.exchange(cfg.flags, 0, full) === 1 && full === 0) post({ type: 'room' });
  }
  const forwarder = createSpoolForwarder({
    spool,
    write: createInfluxWriter(cfg.target, { timeoutMs: cfg.timeoutMs, maxLines: cfg.batchLines }),
    clock: Date.now,
    batchLines: cfg.batchLines,
    ...(cfg.retry ? { retry: cfg.retry } : {}),
    onStatus(status) {
      updateFull(status.bytes);
      lastStatusAt = Date.now();
      post({ type: 'status', status });
    },
    onSetAside: (points, reason) => post({ type: 'set-aside', points, reason }),
  });
  const initial = forwarder.status();
  updateFull(initial.bytes);
  post({ type: 'status', status: initial });
  // A restart resumes with whatever the spool still holds.
  forwarder.poke();
  return {
    append(flat: readonly unknown[]): void {
      spool.append(flat);
      // The full flag needs only the spool's size (two pragmas); the whole status, at most
      // every STATUS_EVERY_MS.
      updateFull(spool.bytes());
      const now = Date.now();
      if (now - lastStatusAt >= STATUS_EVERY_MS) {
        lastStatusAt = now;
        post({ type: 'status', status: forwarder.status() });
      }
      forwarder.poke();
    },
    async close(): Promise<void> {
      await forwarder.stop();
      post({ type: 'status', status: forwarder.status() });
      spool.close();
    },
  };
}
