import type { Clock } from '../../kernel/clock.ts';

/** Fault commit → decision commit latencies kept for the percentiles. */
const LATENCY_SAMPLES = 1000;

export interface TriageCounters {
  decided: number;
  failed: number;
  /** Fault commit → decision commit, milliseconds, last 1,000 decisions. */
  latencyMs: { p50: number | null; p99: number | null };
}

/** Counts decisions and failures and keeps a rolling window of latencies for the diagnostics stats. */
export function createTriageStats(clock: Clock) {
  let decided = 0;
  let failed = 0;
  const latencies: number[] = [];

  function percentile(p: number): number | null {
    if (latencies.length === 0) return null;
    const sorted = [...latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
  }

  return {
    /** A decision committed for a message the broker stored at `receivedAt`; answers the latency, ms. */
    decided(receivedAt: number): number {
      decided++;
      const latency = clock() - receivedAt;
      latencies.push(latency);
      if (latencies.length > LATENCY_SAMPLES) latencies.shift();
      return latency;
    },
    failed(): void {
      failed++;
    },
    counters: (): TriageCounters => ({ decided, failed, latencyMs: { p50: percentile(50), p99: percentile(99) } }),
  };
}
