import { describe, expect, it } from 'vitest';
import { diffParams, groupDiff, groupOf } from './param-diff.ts';

const before = {
  'network.apn': 'cmiot',
  'plc.protocol': 'modbus-rtu',
  'plc.baud': 9600,
  'report.intervalSec': 30,
  'alarm.tempHigh': 70,
};

describe('parameter diff', () => {
  it('is empty for equal sets', () => {
    expect(diffParams(before, { ...before })).toEqual({ added: {}, removed: {}, changed: {} });
  });

  it('names each added, removed and changed parameter with its values', () => {
    const after = { ...before, 'plc.baud': 19200, 'points.count': 12 } as Record<string, string | number | boolean>;
    delete after['alarm.tempHigh'];
    expect(diffParams(before, after)).toEqual({
      added: { 'points.count': 12 },
      removed: { 'alarm.tempHigh': 70 },
      changed: { 'plc.baud': { from: 9600, to: 19200 } },
    });
  });

  it('counts a change of type as a change', () => {
    expect(diffParams({ 'plc.baud': 9600 }, { 'plc.baud': '9600' }).changed).toEqual({ 'plc.baud': { from: 9600, to: '9600' } });
  });

  it('keeps false, 0 and empty text as values, not as absence', () => {
    expect(diffParams({}, { 'alarm.enabled': false, 'plc.station': 0, 'network.apnUser': '' }).added).toEqual({
      'alarm.enabled': false,
      'plc.station': 0,
      'network.apnUser': '',
    });
  });
});

describe('diff by group', () => {
  it('splits entries by the first segment of the name, with counts', () => {
    const diff = diffParams(
      { 'plc.baud': 9600, 'plc.parity': 'none', 'network.apn': 'cmiot', 'alarm.tempHigh': 70 },
      { 'plc.baud': 19200, 'plc.parity': 'even', 'network.apn': 'cmiot', 'report.intervalSec': 10 },
    );
    expect(groupDiff(diff)).toEqual({
      alarm: { added: {}, removed: { 'alarm.tempHigh': 70 }, changed: {}, counts: { added: 0, removed: 1, changed: 0 } },
      plc: {
        added: {},
        removed: {},
        changed: { 'plc.baud': { from: 9600, to: 19200 }, 'plc.parity': { from: 'none', to: 'even' } },
        counts: { added: 0, removed: 0, changed: 2 },
      },
      report: { added: { 'report.intervalSec': 10 }, removed: {}, changed: {}, counts: { added: 1, removed: 0, changed: 0 } },
    });
  });

  it('lists no group for an empty diff', () => {
    expect(groupDiff({ added: {}, removed: {}, changed: {} })).toEqual({});
  });

  it('takes the group from the first segment of a dotted name', () => {
    expect(groupOf('points.3.address')).toBe('points');
  });
});
