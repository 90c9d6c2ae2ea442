import { createHash } from 'node:crypto';

/*
 * Hashing is a pure function of its input, but it comes from node:crypto, which domains may
 * not import; the kernel may, so the domains that fingerprint bytes (chunked command
 * results, parameter snapshots) call this instead.
 */

/** SHA-256 of `data` as lower-case hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
