/**
 * What the spool's forwarder does when InfluxDB does not take a batch. Nothing is deleted from
 * the spool unless the server acknowledged it, so every answer but "this data is invalid" means
 * "try the same batch again later".
 */
export type FailureAction =
  /** Network error, timeout, 5xx, 429, a wrong token (401/403) or a missing bucket (404): keep it, retry later. */
  | 'retry'
  /** 413: the batch is too big for the server; retry it in halves. */
  | 'shrink'
  /** 400/422: the server will never take these lines; set them aside (kept, counted, logged). */
  | 'set-aside';

export function failureAction(status: number | undefined): FailureAction {
  if (status === 413) return 'shrink';
  if (status === 400 || status === 422) return 'set-aside';
  return 'retry';
}

export interface RetryPolicy {
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { minDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * Exponential back-off after `failures` failed attempts in a row (1, 2, 4 … s, at most 30 s);
 * a server's Retry-After is honoured up to the same ceiling.
 */
export function retryDelayMs(failures: number, retryAfterMs: number | undefined, policy: RetryPolicy = DEFAULT_RETRY): number {
  const backoff = policy.minDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 20);
  return Math.min(policy.maxDelayMs, Math.max(backoff, retryAfterMs ?? 0));
}
