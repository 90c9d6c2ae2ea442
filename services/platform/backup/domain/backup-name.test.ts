import { describe, expect, it } from 'vitest';
import { backupName, compareBackupNames, parseBackupName } from './backup-name.ts';

const AT = Date.UTC(2026, 10, 30, 9, 5, 7, 450);

describe('backup names', () => {
  it('name a backup after its UTC second', () => {
    expect(backupName(AT)).toBe('mtbox-care-20261130T090507Z');
  });

  it('give a second backup within the same second a suffix', () => {
    expect(backupName(AT, new Set(['mtbox-care-20261130T090507Z']))).toBe('mtbox-care-20261130T090507Z-2');
    expect(backupName(AT, new Set(['mtbox-care-20261130T090507Z', 'mtbox-care-20261130T090507Z-2']))).toBe('mtbox-care-20261130T090507Z-3');
  });

  it('read the time back from a name, and nothing from other names', () => {
    expect(parseBackupName('mtbox-care-20261130T090507Z')).toEqual({ takenAt: Date.UTC(2026, 10, 30, 9, 5, 7), seq: 1 });
    expect(parseBackupName('mtbox-care-20261130T090507Z-2')).toEqual({ takenAt: Date.UTC(2026, 10, 30, 9, 5, 7), seq: 2 });
    expect(parseBackupName('.partial-mtbox-care-20261130T090507Z')).toBeNull();
    expect(parseBackupName('mtbox-care-20261332T090507Z')).toBeNull();
    expect(parseBackupName('holiday-photos')).toBeNull();
  });

  it('order names by time, then by suffix', () => {
    const names = ['mtbox-care-20261130T090507Z-2', 'mtbox-care-20261201T000000Z', 'mtbox-care-20261130T090507Z'];
    expect([...names].sort(compareBackupNames)).toEqual([
      'mtbox-care-20261130T090507Z',
      'mtbox-care-20261130T090507Z-2',
      'mtbox-care-20261201T000000Z',
    ]);
  });
});
