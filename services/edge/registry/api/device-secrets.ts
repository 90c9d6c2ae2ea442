import { generateSecret, hashSecret, SCRYPT_COST } from '../../../platform/security/index.ts';

export interface IssuedSecret {
  /** Shown once to the caller, never stored. */
  secret: string;
  hash: string;
}

/** A fresh device secret and the hash the registry keeps. */
export async function issueSecret(): Promise<IssuedSecret> {
  const secret = generateSecret();
  return { secret, hash: await hashSecret(secret, SCRYPT_COST.deviceSecret) };
}

// scrypt runs on libuv's thread pool (4 threads by default); more in flight would only
// queue there and starve other fs/crypto work of the same pool.
const HASH_CONCURRENCY = 4;

/** `count` secrets, hashed at most HASH_CONCURRENCY at a time. */
export async function issueSecrets(count: number, concurrency = HASH_CONCURRENCY): Promise<IssuedSecret[]> {
  const out = new Array<IssuedSecret>(count);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const i = next++;
      out[i] = await issueSecret();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}
