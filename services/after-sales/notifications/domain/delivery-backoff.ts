/*
 * When a webhook delivery is tried again: exponential back-off from 30 s, doubling per failed
 * attempt and capped at 6 h, and at most ten attempts before it is given up as failed (the
 * last about 4¼ hours after the first); a failed one can still be retried from the log.
 */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 6 * 3_600_000;
export const MAX_ATTEMPTS = 10;

export type AfterFailure = { state: 'pending'; nextAttemptAt: number } | { state: 'failed'; nextAttemptAt: null };

/** The delivery's state after its `attempts`-th attempt (counting it) failed at `now`. */
export function afterFailedAttempt(attempts: number, now: number): AfterFailure {
  if (attempts >= MAX_ATTEMPTS) return { state: 'failed', nextAttemptAt: null };
  const wait = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return { state: 'pending', nextAttemptAt: now + wait };
}
