import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('TRUST_PROXY', () => {
  it('is off by default', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
  });

  it.each<[string, boolean | number | string[]]>([
    ['false', false],
    ['true', true],
    ['TRUE', true],
    ['1', 1],
    ['loopback', ['loopback']],
    ['10.0.0.1, 192.168.0.0/16,fd00::/8', ['10.0.0.1', '192.168.0.0/16', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('reads %s as express reads it', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).TRUST_PROXY).toEqual(expected);
  });

  it.each(['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.com', 'loopback,,10.0.0.1', '-1'])('stops on %s, naming the variable', (raw) => {
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY: /);
  });
});

describe('MQTT_PROXY_FROM', () => {
  it('is unset by default or empty: no MQTT connection is read as proxied', () => {
    expect(loadConfig({}).MQTT_PROXY_FROM).toBeUndefined();
    expect(loadConfig({ MQTT_PROXY_FROM: '' }).MQTT_PROXY_FROM).toBeUndefined();
  });

  it('reads a list of addresses, subnets and named ranges', () => {
    expect(loadConfig({ MQTT_PROXY_FROM: '10.0.0.7, 10.1.0.0/16,FD00::/8,loopback' }).MQTT_PROXY_FROM).toEqual([
      '10.0.0.7',
      '10.1.0.0/16',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each(['true', '1', '10.0.0.300', '10.0.0.0/33', 'haproxy.example.com', '10.0.0.1,,10.0.0.2', ' , '])(
    'stops on "%s", naming the variable',
    (raw) => {
      expect(() => loadConfig({ MQTT_PROXY_FROM: raw })).toThrow(/MQTT_PROXY_FROM: /);
    },
  );
});
