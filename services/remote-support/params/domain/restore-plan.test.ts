import { describe, expect, it } from 'vitest';
import { checkRestoreCompatibility, firmwareMajor, planRestore, verifyRestore } from './restore-plan.ts';

const box = { model: 'MT-BOX-4G', firmware: '2.4.1' };

describe('restore compatibility', () => {
  it('allows the same model and firmware', () => {
    expect(checkRestoreCompatibility(box, box, false)).toEqual({ ok: true, forced: [], notes: [] });
  });

  it('allows another minor firmware version and says so', () => {
    const r = checkRestoreCompatibility({ model: 'MT-BOX-4G', firmware: '2.3.0' }, box, false);
    expect(r).toEqual({ ok: true, forced: [], notes: [expect.stringContaining('2.3.0 → 2.4.1')] });
  });

  it('refuses another model, naming both', () => {
    const r = checkRestoreCompatibility({ model: 'MT-BOX-S1', firmware: '2.4.1' }, box, false);
    expect(r).toEqual({ ok: false, reasons: [expect.stringContaining('taken on a MT-BOX-S1 and this box is a MT-BOX-4G')] });
  });

  it('refuses another major firmware version, naming both', () => {
    const r = checkRestoreCompatibility({ model: 'MT-BOX-4G', firmware: '1.9.7' }, box, false);
    expect(r).toEqual({ ok: false, reasons: [expect.stringContaining('firmware 1.9.7 and this box runs 2.4.1')] });
  });

  it('refuses when a firmware version is unknown', () => {
    expect(checkRestoreCompatibility({ model: 'MT-BOX-4G', firmware: null }, box, false)).toEqual({
      ok: false,
      reasons: [expect.stringContaining('when the snapshot was taken is not known')],
    });
    expect(checkRestoreCompatibility(box, { model: 'MT-BOX-4G', firmware: null }, false)).toEqual({
      ok: false,
      reasons: [expect.stringContaining('of this box is not known')],
    });
  });

  it('gives every reason at once', () => {
    const r = checkRestoreCompatibility({ model: 'MT-BOX-S1', firmware: '3.0.0' }, box, false);
    expect(r.ok === false && r.reasons).toHaveLength(2);
  });

  it('lets force override a refusal and keeps the overridden reasons', () => {
    const r = checkRestoreCompatibility({ model: 'MT-BOX-S1', firmware: '3.0.0' }, box, true);
    expect(r).toEqual({ ok: true, forced: [expect.stringContaining('MT-BOX-S1'), expect.stringContaining('3.0.0')], notes: [] });
  });

  it('compares models without regard to case or surrounding spaces', () => {
    expect(checkRestoreCompatibility({ model: ' mt-box-4g', firmware: '2.4.1' }, box, false).ok).toBe(true);
  });

  it('reads the major version as the first number of the version string', () => {
    expect([firmwareMajor('2.3.1'), firmwareMajor('V10.0'), firmwareMajor('fw-3'), firmwareMajor('beta'), firmwareMajor(null)]).toEqual([
      2,
      10,
      3,
      null,
      null,
    ]);
  });
});

describe('restore plan', () => {
  const snapshot = { 'plc.baud': 9600, 'plc.parity': 'none', 'network.apn': 'cmiot', 'points.count': 4, 'network.imei': '861234' };
  const current = { 'plc.baud': 19200, 'plc.parity': 'none', 'network.apn': 'cmnet', 'network.imei': '869999', 'system.name': 'line 3' };

  it('sends only the parameters whose value differs on the box', () => {
    const plan = planRestore(snapshot, current);
    expect(plan.changes).toEqual({ 'plc.baud': 9600, 'network.apn': 'cmiot', 'network.imei': '861234' });
  });

  it('does not send parameters the box does not have, and still expects them', () => {
    const plan = planRestore(snapshot, current);
    expect(plan.notOnBox).toEqual(['points.count']);
    expect(plan.expected).toEqual(snapshot);
  });

  it('leaves skipped parameters out of both the changes and the expectation', () => {
    const plan = planRestore(snapshot, current, ['network.imei']);
    expect(plan.changes).not.toHaveProperty('network.imei');
    expect(plan.expected).not.toHaveProperty('network.imei');
    expect(plan.skipped).toEqual(['network.imei']);
  });

  it('leaves parameters the snapshot does not have alone', () => {
    expect(planRestore(snapshot, current).changes).not.toHaveProperty('system.name');
  });
});

describe('restore verification', () => {
  it('verifies when every expected parameter reads back with its value', () => {
    expect(verifyRestore({ 'plc.baud': 9600 }, { 'plc.baud': 9600, 'system.name': 'x' })).toEqual({ verified: true, mismatches: {} });
  });

  it('names each parameter that reads back differently', () => {
    expect(verifyRestore({ 'plc.baud': 9600, 'plc.parity': 'none' }, { 'plc.baud': 19200, 'plc.parity': 'none' })).toEqual({
      verified: false,
      mismatches: { 'plc.baud': { expected: 9600, actual: 19200 } },
    });
  });

  it('counts a parameter missing on the box as a mismatch with actual null', () => {
    expect(verifyRestore({ 'points.count': 4 }, {})).toEqual({ verified: false, mismatches: { 'points.count': { expected: 4, actual: null } } });
  });

  it('counts a value of another type as a mismatch', () => {
    expect(verifyRestore({ 'plc.baud': 9600 }, { 'plc.baud': '9600' }).verified).toBe(false);
  });
});
