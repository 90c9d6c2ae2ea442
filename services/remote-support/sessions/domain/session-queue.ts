import type { SupportQueue } from '../../../kernel/support-queue.ts';

export interface QueuedRequest {
  id: number;
  queue: SupportQueue;
  requestedAt: number;
}

/**
 * Each queued session's place in line (1 = next), first come first served within its support
 * queue: the industry and logistics lines are staffed separately, so they queue separately.
 * Requests in the same millisecond keep the order the ids give them.
 */
export function queuePositions(queued: readonly QueuedRequest[]): Map<number, number> {
  const sorted = [...queued].sort((a, b) => a.requestedAt - b.requestedAt || a.id - b.id);
  const next = new Map<SupportQueue, number>();
  const positions = new Map<number, number>();
  for (const r of sorted) {
    const position = (next.get(r.queue) ?? 0) + 1;
    next.set(r.queue, position);
    positions.set(r.id, position);
  }
  return positions;
}
