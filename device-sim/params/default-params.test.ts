import { describe, expect, it } from 'vitest';
import { COMMAND_CHUNK_BYTES, ParamSet } from '../../services/contract/payloads.ts';
import { PARAM_GROUPS, factoryParams } from './default-params.ts';
import { SECRET_MASK, checkParam, parseStations } from './param-spec.ts';
import { ParamStore } from './param-store.ts';
import { groupOf } from './param-table.ts';
import { pointCountFor } from './point-params.ts';

const box = (serial: string, model = 'MT-BOX-S1') => ({ serial, model });

describe('factory parameters', () => {
  it('gives a serial the same set every time and another serial a different one', () => {
    expect(factoryParams(box('MTB2611000001'))).toEqual(factoryParams(box('MTB2611000001')));
    const a = factoryParams(box('MTB2611000001')).values;
    const b = factoryParams(box('MTB2611000002')).values;
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a).not.toEqual(b);
  });

  it('fills every group, with 16 settings per data point, and a full set too large for one answer', () => {
    for (const model of ['MT-BOX-S1', 'MT-BOX-P2', 'MT-BOX-X4']) {
      const { values } = factoryParams(box('MTB2611000042', model));
      expect(ParamSet.parse(values)).toEqual(values);
      expect([...new Set(Object.keys(values).map(groupOf))]).toEqual([...PARAM_GROUPS]);
      expect(Object.keys(values).filter((n) => n.startsWith('points.'))).toHaveLength(pointCountFor(model) * 16);
      const size = Buffer.byteLength(JSON.stringify(values), 'utf8');
      expect(size).toBeGreaterThan(COMMAND_CHUNK_BYTES);
      expect(size).toBeLessThan(128 * 1024);
    }
  });

  it('accepts each factory value by its own spec, so a backup written back is never refused', () => {
    for (const serial of ['MTB2611000003', 'MTB2611000004', 'MTB2611000005']) {
      const { values, specs } = factoryParams(box(serial, 'MT-BOX-X4'));
      expect(Object.entries(values).filter(([name, value]) => checkParam(specs[name]!, value) !== undefined)).toEqual([]);
    }
  });

  it('has Wi-Fi settings only on models with the Wi-Fi module', () => {
    expect(factoryParams(box('MTB2611000001', 'MT-BOX-S1')).values).not.toHaveProperty(['network.wifiSsid']);
    expect(factoryParams(box('MTB2611000001', 'MT-BOX-P2')).values).toHaveProperty(['network.wifiSsid'], 'MTBOX-000001');
  });

  it('lists PLC stations that the points refer to and that a scan can find', () => {
    const { values } = factoryParams(box('MTB2611000002'));
    const stations = parseStations(String(values['plc.stationAddresses']));
    expect(stations?.length).toBeGreaterThan(0);
    const used = new Set(
      Object.entries(values)
        .filter(([n]) => /^points\.\d+\.station$/.test(n))
        .map(([, v]) => v),
    );
    for (const s of used) expect(stations).toContain(s);
  });
});

describe('parameter specs', () => {
  const { specs } = factoryParams(box('MTB2611000001', 'MT-BOX-P2'));
  const reason = (name: string, value: unknown) => checkParam(specs[name]!, value);

  it('gives a reason for a wrong type, a value out of range, off the list or off the pattern', () => {
    expect(reason('plc.baud', 19200)).toBeUndefined();
    expect(reason('plc.baud', 14400)).toBe('must be one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200');
    expect(reason('plc.baud', '9600')).toMatch(/must be one of/);
    expect(reason('plc.timeoutMs', 20)).toBe('must be an integer from 50 to 10000');
    expect(reason('plc.timeoutMs', 500.5)).toMatch(/integer/);
    expect(reason('alarm.supplyLow', 19.5)).toBeUndefined();
    expect(reason('network.ip', '192.168.1.300')).toMatch(/IPv4/);
    expect(reason('network.wifiPassword', 'short')).toMatch(/8 to 63/);
    expect(reason('report.compress', 1)).toBe('must be true or false');
    expect(reason('system.rebootAt', '24:00')).toBe('must be a time HH:MM');
  });

  it('reads station lists as distinct Modbus addresses 1–247', () => {
    expect(parseStations('1, 2,17')).toEqual([1, 2, 17]);
    for (const bad of ['', '0', '248', '1,1', '1,,2', 'a', '1.5']) expect(parseStations(bad)).toBeUndefined();
    expect(reason('plc.stationAddresses', '1,2,3')).toBeUndefined();
    expect(reason('plc.stationAddresses', '1,300')).toMatch(/station addresses 1–247/);
  });
});

describe('parameter store', () => {
  it('masks secrets in what it reports and keeps a secret when the mask is written back', () => {
    const store = new ParamStore(factoryParams(box('MTB2611000001', 'MT-BOX-P2')));
    const secret = store.values()['network.wifiPassword'];
    expect(secret).toMatch(/^.{12}$/);
    expect(store.reported()?.['network.wifiPassword']).toBe(SECRET_MASK);
    expect(store.check({ 'network.wifiPassword': SECRET_MASK })).toEqual({});
    expect(store.apply({ 'network.wifiPassword': SECRET_MASK })).toEqual([]);
    expect(store.values()['network.wifiPassword']).toBe(secret);
    expect(store.apply({ 'network.wifiPassword': 'new-secret-1' })).toEqual([{ name: 'network.wifiPassword', from: SECRET_MASK, to: SECRET_MASK }]);
    expect(store.values()['network.wifiPassword']).toBe('new-secret-1');
  });

  it('reports one group, nothing for an unknown group, and goes back to the factory values on reset', () => {
    const store = new ParamStore(factoryParams(box('MTB2611000001')));
    const plc = store.reported('plc') ?? {};
    expect(Object.keys(plc).every((n) => n.startsWith('plc.'))).toBe(true);
    expect(store.reported('modem')).toBeUndefined();
    const factory = store.values();
    store.apply({ 'plc.baud': 115200, 'report.intervalSec': 5 });
    expect(store.values()).not.toEqual(factory);
    store.reset();
    expect(store.values()).toEqual(factory);
  });
});
