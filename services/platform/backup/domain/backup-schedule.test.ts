import { describe, expect, it } from 'vitest';
import { backupIsDue, backupsToPrune, nextBackupDue } from './backup-schedule.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 30, 2, 0);

describe('the backup schedule', () => {
  it('is due one interval after the newest backup', () => {
    expect(nextBackupDue(T0, 24, T0 + H)).toBe(T0 + 24 * H);
    expect(backupIsDue(T0, 24, T0 + 24 * H - 1)).toBe(false);
    expect(backupIsDue(T0, 24, T0 + 24 * H)).toBe(true);
  });

  it('is due at once when there is no backup, or when the due time passed while the server was down', () => {
    expect(nextBackupDue(null, 24, T0)).toBe(T0);
    expect(backupIsDue(null, 24, T0)).toBe(true);
    expect(backupIsDue(T0, 24, T0 + 30 * 24 * H)).toBe(true);
  });

  it('is off with an interval of 0', () => {
    expect(nextBackupDue(null, 0, T0)).toBeNull();
    expect(backupIsDue(null, 0, T0)).toBe(false);
  });
});

describe('pruning backups', () => {
  const names = ['a1', 'a2', 'a3', 'a4', 'a5'];

  it('deletes the oldest beyond KEEP', () => {
    expect(backupsToPrune(names, 3, 'a5')).toEqual(['a1', 'a2']);
    expect(backupsToPrune(names, 5, 'a5')).toEqual([]);
    expect(backupsToPrune(names, 1, 'a5')).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('never deletes the backup just taken, even when it sorts oldest', () => {
    expect(backupsToPrune(names, 2, 'a1')).toEqual(['a2', 'a3', 'a4']);
  });
});
