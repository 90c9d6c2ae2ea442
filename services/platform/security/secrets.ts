import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

/**
 * scrypt cost per kind of secret. Device secrets are 256 random bits, so a low work factor
 * already makes guessing hopeless and keeps a 10,000-box reconnect storm cheap; people's
 * passwords get the OWASP-recommended cost.
 */
export const SCRYPT_COST = {
  deviceSecret: 1 << 10,
  password: 1 << 15,
} as const;

const KEY_LENGTH = 32;

/** Encodes as `scrypt$N$salt$hash` (base64url) so the cost can change without a migration. */
export async function hashSecret(secret: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEY_LENGTH, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 });
  return ['scrypt', String(cost), salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const [scheme, costText, saltText, keyText] = encoded.split('$');
  if (scheme !== 'scrypt' || !costText || !saltText || !keyText) return false;
  const cost = Number(costText);
  const expected = Buffer.from(keyText, 'base64url');
  const key = await scrypt(secret, Buffer.from(saltText, 'base64url'), expected.length, {
    N: cost,
    r: 8,
    p: 1,
    maxmem: 256 * cost * 8,
  });
  return timingSafeEqual(key, expected);
}

/** A fresh 256-bit secret, printable and safe in CSV, shell and MQTT password fields. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
