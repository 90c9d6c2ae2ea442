/**
 * Seconds the graceful stop may take once the drain is over: the InfluxDB store's close waits
 * up to 10 s for a write in flight (influx-telemetry-store.ts), and the rest of stop() (tunnels,
 * broker, the SQLite writer's last batch, the database) takes a fraction of that.
 */
export const STOP_BUDGET_S = 15;

/** How long after the signal services/main.ts gives up waiting and exits with status 1. */
export function forceExitAfterS(drainS: number): number {
  return drainS + STOP_BUDGET_S;
}
