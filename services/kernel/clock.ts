/** Epoch milliseconds now. Injected everywhere time matters so tests can fix it. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** `YYYY-MM-DD` of an instant, in UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
