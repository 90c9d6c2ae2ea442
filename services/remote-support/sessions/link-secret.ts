import { createHash, randomBytes } from 'node:crypto';

/*
 * Customer-link tokens and resume keys are the sessions capability's own secrets: only their
 * hash is stored (customer_links), so they are hashed here rather than by reaching into the
 * accounts' login-session store. The shape is the one links were always stored with (sha256,
 * hex), so links handed out before keep working.
 */

/** A new link token or resume key: 256 random bits, URL-safe. */
export function newLinkSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** sha256 is enough here: the secret is 256 random bits, so there is nothing to brute-force. */
export function hashLinkSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
