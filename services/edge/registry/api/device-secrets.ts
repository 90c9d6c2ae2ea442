import { type BoxSecretHasher, generateSecret } from '../../../platform/security/index.ts';

export interface IssuedSecret {
  /** Shown once to the caller, never stored. */
  secret: string;
  hash: string;
}

/** A fresh device secret and the keyed hash the registry keeps. */
export function issueSecret(hasher: BoxSecretHasher): IssuedSecret {
  const secret = generateSecret();
  return { secret, hash: hasher.hash(secret) };
}

/** `count` fresh secrets, e.g. for a CSV import. */
export function issueSecrets(hasher: BoxSecretHasher, count: number): IssuedSecret[] {
  return Array.from({ length: count }, () => issueSecret(hasher));
}
