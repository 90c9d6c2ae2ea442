import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { acquireDataDirLock, DATA_DIR_LOCK_FILE, DataDirInUseError, lockHolder } from './data-dir-lock.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0);

describe('the data directory lock', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };
  const writeLock = (d: string, holder: object) => writeFileSync(path.join(d, DATA_DIR_LOCK_FILE), JSON.stringify(holder));

  it('is taken, named, private and released', () => {
    const d = dir();
    const lock = acquireDataDirLock(d, NOW);
    expect(lockHolder(d)).toMatchObject({ pid: process.pid, hostname: os.hostname(), startedAt: NOW });
    expect(JSON.parse(readFileSync(path.join(d, DATA_DIR_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(path.join(d, DATA_DIR_LOCK_FILE))).toBe(false);
    expect(lockHolder(d)).toBeNull();
  });

  it('refuses while another live process holds it, and takes over once that process is gone', async () => {
    const d = dir();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeLock(d, { pid: other.pid, hostname: os.hostname(), startedAt: NOW - 1000, processStartedAt: NOW - 2000 });
      expect(() => acquireDataDirLock(d, NOW)).toThrow(DataDirInUseError);
      expect(() => acquireDataDirLock(d, NOW)).toThrow(new RegExp(`pid ${other.pid} on ${os.hostname()}.*stop it first`));
    } finally {
      const exited = new Promise((resolve) => other.once('exit', resolve));
      other.kill('SIGKILL');
      await exited;
    }
    // A server killed with -9 leaves its lock behind; it names a process that is gone.
    expect(lockHolder(d)).toBeNull();
    acquireDataDirLock(d, NOW).release();
  });

  it('counts a lock written on another host as held, and a torn or foreign file as free', () => {
    const d = dir();
    writeLock(d, { pid: 1, hostname: 'another-host', startedAt: NOW, processStartedAt: NOW });
    expect(lockHolder(d)).toMatchObject({ hostname: 'another-host' });
    expect(() => acquireDataDirLock(d, NOW)).toThrow(DataDirInUseError);
    writeFileSync(path.join(d, DATA_DIR_LOCK_FILE), '{"pid": 12');
    expect(lockHolder(d)).toBeNull();
    writeLock(d, { owner: 'someone' });
    expect(lockHolder(d)).toBeNull();
    // Without the process's start time, a live pid still holds it.
    writeLock(d, { pid: process.ppid, hostname: os.hostname(), startedAt: NOW });
    expect(lockHolder(d)).toMatchObject({ pid: process.ppid });
  });

  it('counts a lock naming this pid but an earlier process as free (the server in a restarted container is pid 1 again)', () => {
    const d = dir();
    const ours = acquireDataDirLock(d, NOW);
    const written = JSON.parse(readFileSync(path.join(d, DATA_DIR_LOCK_FILE), 'utf8'));
    ours.release();
    writeLock(d, { ...written, processStartedAt: written.processStartedAt - 60_000 });
    expect(lockHolder(d)).toBeNull();
    acquireDataDirLock(d, NOW).release();
    // The same process, as a server started in it wrote it: held.
    writeLock(d, written);
    expect(lockHolder(d)).toMatchObject({ pid: process.pid });
  });

  it('releases only its own lock', () => {
    const d = dir();
    const first = acquireDataDirLock(d, NOW);
    // An in-process restart took over the directory before the first one let go.
    const second = acquireDataDirLock(d, NOW + 1);
    first.release();
    expect(lockHolder(d)).toMatchObject({ startedAt: NOW + 1 });
    second.release();
    expect(lockHolder(d)).toBeNull();
  });
});
