import { describe, expect, it } from 'vitest';
import { dueForBackup } from './backup-schedule.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2025-06-15T08:00:00Z');

describe('boxes due for an automatic backup', () => {
  const boxes = [
    { deviceId: 1, serial: 'MTB0001', lastBackupAt: NOW - 2 * HOUR },
    { deviceId: 2, serial: 'MTB0002', lastBackupAt: NOW - 30 * HOUR },
    { deviceId: 3, serial: 'MTB0003', lastBackupAt: null },
    { deviceId: 4, serial: 'MTB0004', lastBackupAt: NOW - 24 * HOUR },
  ];

  it('picks boxes never backed up and those whose last backup is at least the interval old', () => {
    expect(dueForBackup(boxes, NOW, 24 * HOUR, 10).map((b) => b.serial)).toEqual(['MTB0003', 'MTB0002', 'MTB0004']);
  });

  it('takes the oldest first, at most the limit', () => {
    expect(dueForBackup(boxes, NOW, 24 * HOUR, 2).map((b) => b.serial)).toEqual(['MTB0003', 'MTB0002']);
  });

  it('follows the interval it is given', () => {
    expect(dueForBackup(boxes, NOW, HOUR, 10)).toHaveLength(4);
  });
});
