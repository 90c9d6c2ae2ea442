import type { Random } from './prng.ts';

/**
 * A boot id: the boot instant in base 36 plus three random characters. Fault and event
 * ids are `${serial}-${bootId}-${n}`, so they stay unique when a box restarts and its
 * counter starts again at 1 (the backend de-duplicates on the id).
 */
export function newBootId(now: number, random: Random): string {
  const suffix = random
    .int(0, 36 ** 3 - 1)
    .toString(36)
    .padStart(3, '0');
  return `${now.toString(36)}${suffix}`;
}

export function messageIdSource(serial: string, bootId: string): () => string {
  let counter = 0;
  return () => `${serial}-${bootId}-${++counter}`;
}
