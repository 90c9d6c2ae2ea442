import { describe, expect, it } from 'vitest';
import { NewDevice } from './device.ts';

describe('new device input', () => {
  it('refuses dates that do not exist and dates out of order', () => {
    expect(NewDevice.safeParse({ serial: 'MTB2411000123', model: 'MT-BOX-4G', saleDate: '2025-02-30' }).success).toBe(false);
    const r = NewDevice.safeParse({ serial: 'MTB2411000123', model: 'MT-BOX-4G', saleDate: '2025-05-01', receiptDate: '2025-04-01' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['receiptDate']);
  });

  it('refuses serials that could break a topic', () => {
    expect(NewDevice.safeParse({ serial: 'MTB/+/#', model: 'x' }).success).toBe(false);
  });
});
