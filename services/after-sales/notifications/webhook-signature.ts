import { createHmac, randomBytes } from 'node:crypto';

/*
 * The signature receivers check (docs/webhooks.md): HMAC-SHA256 with the organisation's
 * secret over "<timestamp>.<raw body>", sent as `X-MTBox-Signature: sha256=<hex>` beside
 * `X-MTBox-Timestamp: <epoch seconds>`. The timestamp is signed so a captured request cannot
 * be replayed later with a fresh one.
 */

/** A new webhook secret: 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The `X-MTBox-Signature` value of a body sent at `timestampS`. */
export function signatureOf(secret: string, timestampS: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')}`;
}
