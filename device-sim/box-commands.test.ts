import { describe, expect, it } from 'vitest';
import { CommandResponse, type CommandRequest } from '../services/contract/payloads.ts';
import { BoxCommands } from './box-commands.ts';
import { reassemble } from './command-chunks.ts';
import { isChunk } from './command-faults.ts';
import type { BoxSnapshot } from './command-handlers.ts';
import { LogRing } from './log-ring.ts';
import { factoryParams } from './params/default-params.ts';
import { ParamStore } from './params/param-store.ts';

const NOW = Date.UTC(2026, 10, 2, 6, 0, 0);
// MTB2611000002 is a Modbus RTU box polling stations 1, 4, 22 and 29.
const SERIAL = 'MTB2611000002';

function setup() {
  const params = new ParamStore(factoryParams({ serial: SERIAL, model: 'MT-BOX-S1' }));
  const log = new LogRing();
  const commands = new BoxCommands(params, log);
  const box: BoxSnapshot = {
    now: NOW,
    bootAt: NOW - 3_725_000,
    firmware: '3.2.1',
    plcLinkUp: true,
    rssi: -77,
    supplyVoltage: 23.9,
    storageUsedPct: 41,
  };
  let n = 0;
  const run = (name: string, args: Record<string, unknown> = {}, extra: Partial<CommandRequest> = {}, snapshot: Partial<BoxSnapshot> = {}) =>
    commands.handle({ id: `c-${++n}`, name, args, deadline: NOW + 30_000, ...extra }, { ...box, ...snapshot });
  /** The single answer of an outcome, checked against the contract. */
  const only = (outcome: { responses: readonly CommandResponse[] }) => {
    expect(outcome.responses).toHaveLength(1);
    return CommandResponse.parse(outcome.responses[0]);
  };
  return { params, log, commands, run, only };
}

describe('box command executor', () => {
  it('answers ping with the seconds since boot and the firmware version', () => {
    const { run, only } = setup();
    expect(only(run('ping'))).toEqual({ id: 'c-1', ok: true, result: { uptime: 3725, fw: '3.2.1' } });
  });

  it('answers deadline-passed and does nothing when the request arrives after its deadline', () => {
    const { run, only, params } = setup();
    const before = params.values();
    const late = run('params.set', { changes: { 'plc.baud': 19200 } }, { deadline: NOW - 1 });
    expect(only(late)).toMatchObject({ ok: false, error: { code: 'deadline-passed', details: { deadline: NOW - 1, receivedAt: NOW } } });
    expect(params.values()).toEqual(before);
    expect(only(run('ping', {}, { deadline: NOW }))).toMatchObject({ ok: true });
  });

  it('refuses a params.set as a whole, naming each unknown or invalid parameter, and changes nothing', () => {
    const { run, only, params } = setup();
    const before = params.values();
    const answer = only(
      run('params.set', { changes: { 'plc.baud': 14400, 'plc.parity': 'even', 'plc.colour': 'red', 'network.ip': '10.0.0.256', 'report.qos': 2 } }),
    );
    expect(answer).toEqual({
      id: 'c-1',
      ok: false,
      error: {
        code: 'params-refused',
        message: '4 parameter(s) refused, nothing changed',
        details: {
          refused: {
            'plc.baud': 'must be one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
            'plc.colour': 'unknown parameter',
            'network.ip': 'must be an IPv4 address like 192.168.1.10',
            'report.qos': 'must be one of 0, 1',
          },
        },
      },
    });
    expect(params.values()).toEqual(before);
    const inherited = only(run('params.set', { changes: { constructor: 1, toString: 'x' } }));
    expect(inherited).toMatchObject({
      ok: false,
      error: { details: { refused: { constructor: 'unknown parameter', toString: 'unknown parameter' } } },
    });
  });

  it('applies a valid params.set, counts the changes and logs what changed', () => {
    const { run, only, params, log } = setup();
    // 57600 and 15 s are never factory values.
    expect(only(run('params.set', { changes: { 'plc.baud': 57600, 'report.intervalSec': 15 } }))).toEqual({
      id: 'c-1',
      ok: true,
      result: { applied: 2 },
    });
    expect(params.values()).toMatchObject({ 'plc.baud': 57600, 'report.intervalSec': 15 });
    expect(log.tail(2)[0]).toMatch(/params: 2 changed by command c-1: plc\.baud \d+→57600, report\.intervalSec \d+→15$/);
  });

  it('answers a repeated id with the remembered answer without executing it again', () => {
    const { commands, params } = setup();
    const box: BoxSnapshot = { now: NOW, bootAt: NOW, firmware: '3.2.1', plcLinkUp: true, rssi: -70, supplyVoltage: 24, storageUsedPct: 30 };
    const request = { id: 'set-1', name: 'params.set', args: { changes: { 'plc.retries': 5 } }, deadline: NOW + 1000 };
    const first = commands.handle(request, box);
    params.apply({ 'plc.retries': 1 }); // a technician undoes it on site
    const again = commands.handle(request, { ...box, now: NOW + 5000 });
    expect(again).toEqual({ responses: first.responses, repeated: true });
    expect(params.values()['plc.retries']).toBe(1);

    const reboot = { id: 'rb-1', name: 'reboot', args: { delayS: 5 }, deadline: NOW + 1000 };
    expect(commands.handle(reboot, box)).toMatchObject({ effect: { kind: 'reboot', delayS: 5 }, repeated: false });
    expect(commands.handle(reboot, box)).not.toHaveProperty('effect');
  });

  it('remembers the answers of the last 64 ids and executes an older id again', () => {
    const { commands } = setup();
    const box: BoxSnapshot = { now: NOW, bootAt: NOW, firmware: '3.2.1', plcLinkUp: true, rssi: -70, supplyVoltage: 24, storageUsedPct: 30 };
    const ping = (id: string, now = NOW) => commands.handle({ id, name: 'ping', args: {}, deadline: NOW + 60_000 }, { ...box, now });
    for (let i = 0; i < 65; i++) ping(`p-${i}`);
    expect(ping('p-64', NOW + 9000).repeated).toBe(true);
    expect(ping('p-1', NOW + 9000).repeated).toBe(true);
    const forgotten = ping('p-0', NOW + 9000);
    expect(forgotten.repeated).toBe(false);
    expect(forgotten.responses[0]).toMatchObject({ result: { uptime: 9 } });
  });

  it('answers invalid-args for arguments a command cannot read, and unknown-command for other names', () => {
    const { run, only } = setup();
    const code = (name: string, args: Record<string, unknown>) => {
      const a = only(run(name, args));
      return a.ok ? 'ok' : 'error' in a ? a.error.code : 'chunk';
    };
    expect(code('log.fetch', { lines: 0 })).toBe('invalid-args');
    expect(code('log.fetch', { lines: 5001 })).toBe('invalid-args');
    expect(code('log.fetch', { lines: '10' })).toBe('invalid-args');
    expect(code('log.fetch', {})).toBe('invalid-args');
    expect(code('plc.scan', { from: 30, to: 10 })).toBe('invalid-args');
    expect(code('plc.scan', { from: 0 })).toBe('invalid-args');
    expect(code('reboot', { delayS: -1 })).toBe('invalid-args');
    expect(code('ping', { verbose: true })).toBe('invalid-args');
    expect(code('params.set', { changes: {} })).toBe('invalid-args');
    expect(code('params.get', { group: 7 })).toBe('invalid-args');
    expect(code('firmware.flash', {})).toBe('unknown-command');
    const answer = only(run('log.fetch', { lines: 0 }));
    expect(answer).toMatchObject({
      error: { message: 'lines: Too small: expected number to be >=1', details: { issues: ['lines: Too small: expected number to be >=1'] } },
    });
  });

  it('answers params.get with one group, and unknown-group listing the groups there are', () => {
    const { run, only, params } = setup();
    const plc = only(run('params.get', { group: 'plc' }));
    expect(plc).toMatchObject({ ok: true, result: params.reported('plc') });
    expect(only(run('params.get', { group: 'modem' }))).toMatchObject({
      ok: false,
      error: { code: 'unknown-group', details: { group: 'modem', groups: ['network', 'plc', 'points', 'alarm', 'report', 'system'] } },
    });
  });

  it('answers params.get without a group with every parameter, in parts when larger than 16 KiB', () => {
    const { run, params } = setup();
    const { responses } = run('params.get');
    expect(responses.length).toBeGreaterThan(1);
    const joined = reassemble(responses.filter(isChunk));
    expect(joined).toMatchObject({ ok: true, result: params.reported() });
  });

  it('returns the newest log lines, newest last', () => {
    const { run, only, log } = setup();
    for (let i = 1; i <= 10; i++) log.write(NOW + i, 'info', 'test', `line ${i}`);
    const answer = only(run('log.fetch', { lines: 3 }));
    expect(answer).toMatchObject({
      ok: true,
      result: { lines: [expect.stringMatching(/line 8$/), expect.stringMatching(/line 9$/), expect.stringMatching(/line 10$/)] },
    });
  });

  it('scans only the configured stations within the range asked for, and finds none while the PLC link is down', () => {
    const { run, only } = setup();
    expect(only(run('plc.scan'))).toMatchObject({ result: { protocol: 'modbus-rtu', responding: [1, 4, 22, 29] } });
    expect(only(run('plc.scan', { from: 2, to: 22 }))).toMatchObject({ result: { responding: [4, 22] } });
    expect(only(run('plc.scan', {}, {}, { plcLinkUp: false }))).toMatchObject({ result: { responding: [] } });
  });

  it('runs the plc-link, cellular, storage and power checks on the box state and its alarm thresholds', () => {
    const { run, only, params } = setup();
    const healthy = only(run('diagnostics.run'));
    expect(healthy).toMatchObject({
      ok: true,
      result: {
        checks: [
          { name: 'plc-link', ok: true },
          { name: 'cellular', ok: true },
          { name: 'storage', ok: true },
          { name: 'power', ok: true },
        ],
      },
    });
    params.apply({ 'alarm.supplyLow': 22 });
    const sick = only(run('diagnostics.run', {}, {}, { plcLinkUp: false, rssi: -104, storageUsedPct: 95, supplyVoltage: 21.2 }));
    expect(sick).toMatchObject({
      result: {
        checks: [
          {
            name: 'plc-link',
            ok: false,
            detail: expect.stringMatching(/^modbus-rtu on RS485-\d \d+ 8[NEO]1: no answer from station\(s\) 1,4,22,29/),
          },
          { name: 'cellular', ok: false, detail: expect.stringContaining('rssi -104 dBm (alarm below -95)') },
          { name: 'storage', ok: false, detail: 'flash 95% used' },
          { name: 'power', ok: false, detail: 'supply 21.2 V (alarm below 22 V or above 28 V)' },
        ],
      },
    });
  });

  it('answers the error a test injected instead of executing, and a readable id of an unreadable request with invalid-args', () => {
    const { commands, params } = setup();
    const box: BoxSnapshot = { now: NOW, bootAt: NOW, firmware: '3.2.1', plcLinkUp: true, rssi: -70, supplyVoltage: 24, storageUsedPct: 30 };
    const busy = { code: 'busy', message: 'a scan is running' };
    const outcome = commands.handle({ id: 'b-1', name: 'params.set', args: { changes: { 'plc.retries': 7 } }, deadline: NOW + 1 }, box, busy);
    expect(outcome.responses).toEqual([{ id: 'b-1', ok: false, error: busy }]);
    expect(params.values()['plc.retries']).not.toBe(7);
    expect(commands.refuse('x-1', 'args: expected record', NOW).responses).toEqual([
      { id: 'x-1', ok: false, error: { code: 'invalid-args', message: 'args: expected record' } },
    ]);
  });
});
