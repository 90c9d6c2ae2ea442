import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../kernel/config-error.ts';

export const BOX_SECRET_KEY_FILE = 'box-secret.key';
const KEY_BYTES = 32;

export interface BoxSecretKey {
  key: Buffer;
  /** Where it came from, for the start-up log. */
  source: 'config' | 'file' | 'created';
}

/**
 * BOX_SECRET_KEY when set (nodes sharing one database must share it); else the key in
 * DATA_DIR/box-secret.key, created once (0600, like the database) and reused after, so box
 * secrets stay valid across restarts.
 */
export function loadBoxSecretKey(configured: Buffer | undefined, dataDir: string): BoxSecretKey {
  if (configured) return { key: configured, source: 'config' };
  const file = path.join(dataDir, BOX_SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  let fd: number;
  try {
    // `wx`: an existing key is never overwritten, whatever happened to the database.
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: readKeyFile(file), source: 'file' };
  }
  try {
    writeSync(fd, key.toString('base64'));
  } finally {
    closeSync(fd);
  }
  return { key, source: 'created' };
}

function readKeyFile(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  // A start-up refusal in words, like a bad variable: the file was damaged or replaced by hand.
  if (key.length < KEY_BYTES) {
    throw new ConfigError([
      `${file}: holds ${key.length} bytes, a box secret key needs at least ${KEY_BYTES} (restore it from a backup, or set BOX_SECRET_KEY)`,
    ]);
  }
  return key;
}
