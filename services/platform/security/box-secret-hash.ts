import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a stored box secret hash says about a presented secret. `legacy-scrypt` rows predate
 * the keyed hash: the caller checks them with scrypt and rewrites them on success.
 */
export type BoxSecretCheck =
  | { result: 'match' }
  | { result: 'mismatch' }
  | { result: 'other-key'; storedKeyId: string }
  | { result: 'legacy-scrypt' };

export interface BoxSecretHasher {
  /** Names the key in every hash, so a hash made under another key is told apart from a wrong secret. */
  readonly keyId: string;
  hash(secret: string): string;
  check(secret: string, encoded: string): BoxSecretCheck;
}

const SCHEME = 'hmac-sha256';

/** The first 8 hex digits of the key's SHA-256: enough to tell keys apart in a log, useless to guess it. */
export function boxSecretKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Box secrets are 256 random bits (generateSecret), so a slow KDF adds nothing against
 * guessing and costs one scrypt per box in a reconnect storm. A keyed HMAC keeps a stolen
 * database useless without the key and costs microseconds: `hmac-sha256$<keyId>$<mac>`.
 */
export function createBoxSecretHasher(key: Buffer): BoxSecretHasher {
  const keyId = boxSecretKeyId(key);
  const mac = (secret: string) => createHmac('sha256', key).update(secret, 'utf8').digest();
  return {
    keyId,
    hash: (secret) => `${SCHEME}$${keyId}$${mac(secret).toString('base64url')}`,
    check(secret, encoded) {
      if (encoded.startsWith('scrypt$')) return { result: 'legacy-scrypt' };
      const [scheme, storedKeyId, macText, extra] = encoded.split('$');
      if (scheme !== SCHEME || storedKeyId === undefined || macText === undefined || extra !== undefined) return { result: 'mismatch' };
      if (storedKeyId !== keyId) return { result: 'other-key', storedKeyId };
      const expected = Buffer.from(macText, 'base64url');
      const actual = mac(secret);
      return expected.length === actual.length && timingSafeEqual(expected, actual) ? { result: 'match' } : { result: 'mismatch' };
    },
  };
}
