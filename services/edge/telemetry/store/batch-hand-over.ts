import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../../platform/worker-entry.ts';

/** What every telemetry writer thread receives: its module and the shared pending counter. */
export interface HandOverWorkerData {
  /** The module the worker boot file imports (the writer itself). */
  entry: string;
  /** pending[0]: batches handed over and not yet written; the store's thread waits on it. */
  pending: Int32Array;
}

export interface HandOverOptions<Extra> {
  /** The writer thread's module. */
  worker: URL;
  /** Passed to the writer beside `entry` and `pending`. */
  workerData: Extra;
  /** Rows per batch handed to the writer thread. */
  batchSize: number;
  /** Longest a row waits in memory before it is handed over. */
  flushIntervalMs: number;
  /** Batches in the writer's hands before push() blocks: the bound on memory. */
  maxPendingBatches?: number;
  /**
   * False: push() never blocks; the owner reads `behind()` and holds its producers itself
   * (the InfluxDB store, whose spool may be slow for long). Default true.
   */
  blockWhenBehind?: boolean;
  /** Should the writer thread die: writes batches on this thread from then on. */
  fallback(): (flat: unknown[]) => void;
  /** A message from the writer other than its error reports. */
  onMessage?(message: unknown): void;
  onError(err: unknown, lostRows: number): void;
}

/** The writer thread's report of a batch it could not write. */
export interface WriterError {
  type: 'error';
  error: string;
  lost: number;
}

/** Fields per row in a batch's flat array. */
export const FIELDS_PER_ROW = 5;

/** Sent to the writer after the last batch: finish, close the database, exit. */
export const CLOSE_WRITER = { type: 'close' } as const;

// flush() and close() wait for the writer at most this long; a stuck disk is reported, not hung on.
const DRAIN_TIMEOUT_MS = 30_000;

export interface BatchHandOver {
  /** Adds one row of five primitives (a batch travels as one flat array, which clones cheaply). */
  push(a: unknown, b: unknown, c: unknown, d: unknown, e: unknown): void;
  /** Hands over what is buffered and waits until the writer has written everything. */
  flush(): void;
  /** Flushes, then stops the writer thread; resolves once it has exited. */
  close(): Promise<void>;
  /** True while the writer holds more than its share of batches (see blockWhenBehind). */
  behind(): boolean;
  /** Rows buffered on this thread, not yet handed over. */
  buffered(): number;
  /** Rows handed to the writer thread since start (a running total). */
  handedOver(): number;
}

/**
 * Rows buffered on the broker's thread and written in batches on a writer thread, so the ingest
 * path spends no time in SQLite. The memory between them is bounded: when the writer falls
 * behind, push() blocks this thread (Atomics.wait) until it catches up, and that pause is the
 * back-pressure the boxes' sockets feel.
 */
export function createBatchHandOver<Extra extends object>(opts: HandOverOptions<Extra>): BatchHandOver {
  const maxPending = opts.maxPendingBatches ?? 4;
  const pending = new Int32Array(new SharedArrayBuffer(4));
  const start = workerEntry(opts.worker);
  const worker = new Worker(start.url, {
    workerData: { ...opts.workerData, entry: start.entry, pending } satisfies HandOverWorkerData,
  });
  worker.on('message', (m: WriterError | { type?: unknown }) => {
    if (m.type === 'error') opts.onError(new Error((m as WriterError).error), (m as WriterError).lost);
    else opts.onMessage?.(m);
  });
  worker.on('error', (err) => opts.onError(err, 0));
  let closing = false;
  let writeInline: ((flat: unknown[]) => void) | null = null;
  // Should the writer thread die, its unwritten batches are reported lost and later batches
  // are written on this thread, so the ingest path neither stalls nor drops on.
  const exited = new Promise<void>((resolve) =>
    worker.on('exit', (code) => {
      resolve();
      if (closing) return;
      const lostBatches = Atomics.exchange(pending, 0, 0);
      Atomics.notify(pending, 0);
      opts.onError(new Error(`telemetry writer thread exited (${code}); writing inline`), lostBatches * opts.batchSize);
      writeInline = opts.fallback();
    }),
  );
  worker.unref();
  let buffer: unknown[] = [];
  let handedOver = 0;
  const timer = setInterval(handOver, opts.flushIntervalMs);
  timer.unref();

  /** Blocks this thread until at most `limit` batches are pending; false on timeout. */
  function waitForWriter(limit: number, timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = Atomics.load(pending, 0);
      if (n <= limit) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(pending, 0, n, left);
    }
  }

  function handOver(): void {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    if (writeInline) {
      try {
        writeInline(batch);
      } catch (err) {
        opts.onError(err, batch.length / FIELDS_PER_ROW);
      }
      return;
    }
    Atomics.add(pending, 0, 1);
    handedOver += batch.length / FIELDS_PER_ROW;
    worker.postMessage(batch);
    // Blocking here when the writer falls behind is the back-pressure: the event loop, and so
    // the broker's socket reads, wait for the disk instead of memory growing without bound.
    if (opts.blockWhenBehind === false) return;
    if (!waitForWriter(maxPending, DRAIN_TIMEOUT_MS)) opts.onError(new Error('telemetry writer is not keeping up'), 0);
  }

  function flush(): void {
    handOver();
    if (!waitForWriter(0, DRAIN_TIMEOUT_MS)) opts.onError(new Error('telemetry writer did not drain in time'), 0);
  }

  const limit = opts.batchSize * FIELDS_PER_ROW;
  return {
    push(a, b, c, d, e) {
      buffer.push(a, b, c, d, e);
      if (buffer.length >= limit) handOver();
    },
    flush,
    behind: () => !writeInline && Atomics.load(pending, 0) > maxPending,
    buffered: () => buffer.length / FIELDS_PER_ROW,
    handedOver: () => handedOver,
    async close() {
      clearInterval(timer);
      flush();
      closing = true;
      if (!writeInline) worker.postMessage(CLOSE_WRITER);
      // Unref'd while running (the server's listeners keep the process up); while it writes its
      // last batch it must keep it up itself, or a process with nothing else left (the admin
      // CLI, a server whose listeners closed first) would end before the batch is on disk.
      worker.ref();
      await exited;
    },
  };
}
