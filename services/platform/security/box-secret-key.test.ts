import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { createBoxSecretHasher } from './box-secret-hash.ts';
import { BOX_SECRET_KEY_FILE, loadBoxSecretKey } from './box-secret-key.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mtbox-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the box secret key', () => {
  it('takes BOX_SECRET_KEY as hex or base64 of at least 32 bytes', () => {
    const key = randomBytes(32);
    expect(loadConfig({ BOX_SECRET_KEY: key.toString('hex') }).BOX_SECRET_KEY).toEqual(key);
    expect(loadConfig({ BOX_SECRET_KEY: key.toString('base64') }).BOX_SECRET_KEY).toEqual(key);
    expect(loadConfig({}).BOX_SECRET_KEY).toBeUndefined();
  });

  it('stops on a BOX_SECRET_KEY that is too short or not hex or base64, naming the variable', () => {
    expect(() => loadConfig({ BOX_SECRET_KEY: randomBytes(16).toString('hex') })).toThrow(/BOX_SECRET_KEY: must be at least 32 bytes/);
    expect(() => loadConfig({ BOX_SECRET_KEY: 'not a key!' })).toThrow(/BOX_SECRET_KEY: must be written as hex or base64/);
  });

  it('uses the configured key and writes no key file', () => {
    const dir = freshDir();
    const key = randomBytes(32);
    expect(loadBoxSecretKey(key, dir)).toEqual({ key, source: 'config' });
    expect(existsSync(path.join(dir, BOX_SECRET_KEY_FILE))).toBe(false);
  });

  it('creates a key file readable by its owner only once, and reads the same key after', () => {
    const dir = freshDir();
    const first = loadBoxSecretKey(undefined, dir);
    expect(first.source).toBe('created');
    expect(first.key.length).toBe(32);
    expect(statSync(path.join(dir, BOX_SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = loadBoxSecretKey(undefined, dir);
    expect(again).toEqual({ key: first.key, source: 'file' });
  });
});

describe('the keyed box secret hash', () => {
  const hasher = createBoxSecretHasher(randomBytes(32));

  it('stops start-up in words on a damaged key file, naming the file', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, BOX_SECRET_KEY_FILE), 'c2hvcnQ=');
    expect(() => loadBoxSecretKey(undefined, dir)).toThrow(ConfigError);
    expect(() => loadBoxSecretKey(undefined, dir)).toThrow(/box-secret\.key: holds 5 bytes, a box secret key needs at least 32/);
  });

  it('matches the right secret only, naming the key it was made under', () => {
    const hash = hasher.hash('secret-a');
    expect(hash.split('$').slice(0, 2)).toEqual(['hmac-sha256', hasher.keyId]);
    expect(hasher.check('secret-a', hash)).toEqual({ result: 'match' });
    expect(hasher.check('secret-b', hash)).toEqual({ result: 'mismatch' });
  });

  it('tells a hash made under another key, an old scrypt hash and a damaged one apart', () => {
    const other = createBoxSecretHasher(randomBytes(32));
    expect(hasher.check('secret-a', other.hash('secret-a'))).toEqual({ result: 'other-key', storedKeyId: other.keyId });
    expect(hasher.check('secret-a', 'scrypt$1024$c2FsdA$a2V5')).toEqual({ result: 'legacy-scrypt' });
    expect(hasher.check('secret-a', `hmac-sha256$${hasher.keyId}$short`)).toEqual({ result: 'mismatch' });
    expect(hasher.check('secret-a', 'garbage')).toEqual({ result: 'mismatch' });
  });
});
