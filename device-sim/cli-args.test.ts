import { describe, expect, it } from 'vitest';
import { loadConfig } from '../services/platform/config.ts';
import { CliArgsError, parseCliArgs } from './cli-args.ts';

const problems = (argv: string[], env: Record<string, string> = {}): string[] => {
  try {
    parseCliArgs(argv, env);
  } catch (err) {
    if (err instanceof CliArgsError) return err.problems;
    throw err;
  }
  return [];
};

describe('command line', () => {
  it('defaults to the backend default ports on this machine', () => {
    const args = parseCliArgs([], {});
    const backend = loadConfig({});
    expect(new URL(args.mqtt).port).toBe(String(backend.MQTT_PORT));
    expect(new URL(args.api).port).toBe(String(backend.HTTP_PORT));
    expect(args).toMatchObject({ rate: 1, seed: 1, prefix: 'MTB2611', out: './data/sim-fleet.csv', scenario: [] });
    expect(args.devices).toBeUndefined();
  });

  it('reads numbers, repeated scenarios and the admin password from the environment', () => {
    const args = parseCliArgs(['--devices', '5000', '--rate', '0.5', '--scenario', 'evidence', '--scenario', 'bad-payloads'], {
      ADMIN_PASSWORD: 'from-env-123',
    });
    expect(args).toMatchObject({ devices: 5000, rate: 0.5, scenario: ['evidence', 'bad-payloads'], 'admin-password': 'from-env-123' });
    expect(parseCliArgs(['--admin-password', 'flag-wins'], { ADMIN_PASSWORD: 'env' })['admin-password']).toBe('flag-wins');
  });

  it('runs each box’s LAN PLC for demo-sized fleets unless --plc off, and on request for large ones', () => {
    expect(parseCliArgs([], {}).plc).toBe(true);
    expect(parseCliArgs(['--plc', 'off'], {}).plc).toBe(false);
    expect(parseCliArgs(['--devices', '5000'], {}).plc).toBe(false);
    expect(parseCliArgs(['--devices', '5000', '--plc', 'on'], {}).plc).toBe(true);
    expect(() => parseCliArgs(['--plc', 'yes'], {})).toThrow('--plc: on or off');
  });

  it('turns --fault into the fault-at scenario', () => {
    const args = parseCliArgs(['--fault', 'SUPPLY_UNDERVOLTAGE@30:0.1', '--fault', 'BOARD_TEMP_HIGH@60:warning'], {});
    expect(args.scenario).toEqual(['fault-at']);
    expect(args.fault).toEqual([
      { code: 'SUPPLY_UNDERVOLTAGE', atS: 30, fraction: 0.1, severity: 'error' },
      { code: 'BOARD_TEMP_HIGH', atS: 60, severity: 'warning' },
    ]);
  });

  it('names the flag of each bad value', () => {
    expect(problems(['--rate', 'fast'])).toEqual([expect.stringMatching(/^--rate: /)]);
    expect(problems(['--devices', '0', '--mqtt', 'http://x'])).toEqual([
      expect.stringMatching(/^--devices: /),
      expect.stringMatching(/^--mqtt: .*mqtt:\/\//),
    ]);
    expect(problems(['--scenario', 'earthquake'])).toEqual([expect.stringMatching(/^--scenario: /)]);
    expect(problems(['--fault', 'oops'])).toEqual([expect.stringMatching(/^--fault: .*CODE@SECONDS/)]);
    expect(problems(['--scenario', 'fault-at'])).toEqual(['--fault: --scenario fault-at needs at least one --fault CODE@SECONDS']);
    expect(problems(['--prefix', 'XYZ'])).toEqual([expect.stringMatching(/^--prefix: /)]);
  });

  it('connects over TLS with --tls, trusting the CA given with --ca', () => {
    expect(parseCliArgs(['--tls', '--ca', 'ca.crt'], {})).toMatchObject({ tls: true, mqtt: 'mqtts://127.0.0.1:8883', ca: 'ca.crt' });
    expect(parseCliArgs(['--mqtt', 'mqtts://broker.example:8883'], {})).toMatchObject({ tls: true });
    expect(parseCliArgs([], {})).toMatchObject({ tls: false, mqtt: 'mqtt://127.0.0.1:1883' });
  });

  it('refuses TLS files without TLS, and --tls with a plain URL', () => {
    expect(problems(['--ca', 'ca.crt'])).toEqual(['--ca: needs --tls or an mqtts:// URL']);
    expect(problems(['--cert-dir', 'certs'])).toEqual(['--cert-dir: needs --tls or an mqtts:// URL']);
    expect(problems(['--tls', '--mqtt', 'mqtt://127.0.0.1:1883'])).toEqual([expect.stringMatching(/^--mqtt: --tls needs an mqtts:\/\/ URL/)]);
  });

  it('refuses unknown flags and stray arguments', () => {
    expect(problems(['--device', '3'])).toEqual([expect.stringMatching(/Unknown option '--device'/)]);
    expect(problems(['50'])).toHaveLength(1);
  });
});
