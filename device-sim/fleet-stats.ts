import { emptyCounters, type BoxCounters, type SimBox } from './box.ts';

export interface FleetStats {
  /** Milliseconds since the fleet started. */
  elapsedMs: number;
  boxes: number;
  online: number;
  totals: BoxCounters;
  /** Telemetry messages per second since the previous report. */
  telemetryPerS: number;
}

export function sumCounters(boxes: readonly SimBox[]): BoxCounters {
  const totals = emptyCounters();
  for (const box of boxes) {
    for (const key of Object.keys(totals) as (keyof BoxCounters)[]) totals[key] += box.counters[key];
  }
  return totals;
}

/** The boxes' last errors, most frequent first, e.g. `connack timeout ×48`. */
export function errorSummary(boxes: readonly SimBox[], top = 5): string {
  const counts = new Map<string, number>();
  for (const box of boxes) if (box.lastError) counts.set(box.lastError, (counts.get(box.lastError) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([message, n]) => `${message} ×${n}`)
    .join(', ');
}

export interface ProcessUsage {
  /** CPU time over wall time since the previous report; 100 = one core busy. */
  cpuPercent: number;
  rssBytes: number;
}

/** One line for a person watching the terminal. */
export function formatStats(stats: FleetStats, usage?: ProcessUsage): string {
  const t = stats.totals;
  const parts = [
    `[sim ${Math.round(stats.elapsedMs / 1000)}s]`,
    `online ${stats.online}/${stats.boxes}`,
    `telemetry ${stats.telemetryPerS.toFixed(0)}/s (total ${t.telemetry})`,
    `faults ${t.faults}`,
    `events ${t.events}`,
    `raw ${t.raw}`,
    `commands ${t.commands}`,
    `reconnects ${t.reconnects}`,
    `errors ${t.connectErrors + t.publishErrors}`,
  ];
  if (usage) parts.push(`cpu ${usage.cpuPercent.toFixed(0)}%`, `rss ${(usage.rssBytes / 2 ** 20).toFixed(0)} MiB`);
  return parts.join('  ');
}
