// The 12-month window is the one date rule both the registry (device view, list filter by
// warranty) and the warranty decision use; in the kernel, neither capability imports the other.
/** Seed: the box's warranty, and a repaired part's, runs 12 months. */
export const WARRANTY_MONTHS = 12;

/**
 * Last day covered: the day before the 12-month anniversary of receipt. A 29 February
 * receipt has no anniversary; Date.UTC rolls it to 1 March, so cover ends on 28 February.
 */
export function warrantyEnd(receiptDate: string): string {
  const [y, m, d] = receiptDate.split('-').map(Number) as [number, number, number];
  const anniversary = Date.UTC(y, m - 1 + WARRANTY_MONTHS, d);
  return new Date(anniversary - 86_400_000).toISOString().slice(0, 10);
}
