import { DEFAULT_RETRY, failureAction, type RetryPolicy, retryDelayMs } from '../domain/forward-policy.ts';
import type { SpoolStats, TelemetrySpool } from './telemetry-spool.ts';

/** Why InfluxDB did not take a batch: its HTTP status (none for network errors) and words. */
export class WriteFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WriteFailure';
  }
}

export type ForwarderState = 'idle' | 'sending' | 'waiting' | 'stopped';

/** What /api/health shows of the spool and its forwarder. */
export interface ForwarderStatus extends SpoolStats {
  state: ForwarderState;
  /** Points InfluxDB acknowledged since start. */
  forwarded: number;
  /** Failed attempts in a row, and the last failure in words (null after a success). */
  failures: number;
  lastError: string | null;
  lastSuccessAt: number | null;
  /** When the next attempt is due while waiting. */
  retryAt: number | null;
}

export interface ForwarderDeps {
  spool: TelemetrySpool;
  /** Sends lines to InfluxDB; resolves once acknowledged, rejects with a WriteFailure. */
  write(lines: string[]): Promise<void>;
  clock(): number;
  /** Most points per request; halved after a 413 for the rest of the run. */
  batchLines: number;
  retry?: RetryPolicy;
  onStatus(status: ForwarderStatus): void;
  onSetAside(points: number, reason: string): void;
}

export interface SpoolForwarder {
  /** New points arrived: start sending if idle. */
  poke(): void;
  status(): ForwarderStatus;
  /** Lets an in-flight request finish (it may still be acknowledged), then stops. */
  stop(): Promise<void>;
}

/**
 * Ships the spool to InfluxDB oldest first, one request at a time, and deletes only what the
 * server acknowledged. A failure keeps the batch and retries it with back-off; the broker keeps
 * spooling meanwhile.
 */
export function createSpoolForwarder(deps: ForwarderDeps): SpoolForwarder {
  const policy = deps.retry ?? DEFAULT_RETRY;
  let batchLines = deps.batchLines;
  let state: ForwarderState = 'idle';
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  const counters = {
    forwarded: 0,
    failures: 0,
    lastError: null as string | null,
    lastSuccessAt: null as number | null,
    retryAt: null as number | null,
  };

  const status = (): ForwarderStatus => ({ ...deps.spool.stats(), state, ...counters });
  const report = () => deps.onStatus(status());

  /** Sends until the spool is empty or a request fails. */
  async function drain(): Promise<void> {
    for (;;) {
      if (stopping) return;
      const batch = deps.spool.oldest(batchLines);
      if (!batch) {
        state = 'idle';
        return report();
      }
      state = 'sending';
      try {
        await deps.write(batch.lines);
      } catch (err) {
        if (!handleFailure(err, batch.lastId, batch.lines.length)) return;
        continue;
      }
      deps.spool.remove(batch.lastId);
      counters.forwarded += batch.lines.length;
      counters.failures = 0;
      counters.lastError = null;
      counters.lastSuccessAt = deps.clock();
      report();
    }
  }

  /** True to go on sending at once; false when a retry has been scheduled. */
  function handleFailure(err: unknown, lastId: number, lines: number): boolean {
    const failure = err instanceof WriteFailure ? err : new WriteFailure(String(err));
    const action = failureAction(failure.status);
    if (action === 'set-aside') {
      deps.spool.setAside(lastId, deps.clock(), failure.message);
      deps.onSetAside(lines, failure.message);
      return true;
    }
    if (action === 'shrink' && batchLines > 1) {
      batchLines = Math.max(1, Math.floor(Math.min(batchLines, lines) / 2));
      return true;
    }
    retryLater(failure);
    return false;
  }

  function retryLater(failure: WriteFailure): void {
    counters.failures++;
    counters.lastError = failure.message;
    const delay = retryDelayMs(counters.failures, failure.retryAfterMs, policy);
    counters.retryAt = deps.clock() + delay;
    state = 'waiting';
    report();
    timer = setTimeout(() => {
      timer = null;
      counters.retryAt = null;
      poke();
    }, delay);
  }

  function poke(): void {
    if (running || timer || stopping) return;
    // A spool that cannot be read or written (a full disk) is retried like an unreachable server.
    running = drain()
      .catch((err: unknown) => retryLater(new WriteFailure(`spool: ${String(err)}`)))
      .finally(() => {
        running = null;
      });
  }

  return {
    poke,
    status,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      state = 'stopped';
    },
  };
}
