import { describe, expect, it } from 'vitest';
import { previewRestore } from './restore-preview.ts';

const build = { model: 'MT-BOX-4G', firmware: '2.4.1' };
const params = { 'plc.baud': 9600, 'plc.parity': 'none', 'points.count': 4, 'report.intervalSec': 30 };

describe('restore preview', () => {
  it('lists what a restore writes, what the box lacks and what it leaves alone', () => {
    const now = { 'plc.baud': 19200, 'plc.parity': 'none', 'report.intervalSec': 30, 'network.apn': 'cmiot' };
    expect(previewRestore({ ...build, params }, build, now)).toEqual({
      compatibility: { allowed: true, reasons: [], notes: [] },
      diff: { changed: { 'plc.baud': { from: 19200, to: 9600 } }, added: { 'points.count': 4 }, removed: { 'network.apn': 'cmiot' } },
      unchanged: 2,
    });
  });

  it('gives every refusal reason at once without refusing to preview', () => {
    const r = previewRestore({ model: 'MT-BOX-S1', firmware: '1.0.0', params }, build, params);
    expect(r.compatibility).toEqual({
      allowed: false,
      reasons: [expect.stringContaining('MT-BOX-S1'), expect.stringContaining('firmware 1.0.0 and this box runs 2.4.1')],
      notes: [],
    });
    expect(r).toMatchObject({ diff: { changed: {}, added: {}, removed: {} }, unchanged: 4 });
  });

  it('notes another minor firmware version as allowed', () => {
    const r = previewRestore({ ...build, firmware: '2.3.0', params }, build, params);
    expect(r.compatibility).toEqual({ allowed: true, reasons: [], notes: [expect.stringContaining('2.3.0 → 2.4.1')] });
  });
});
