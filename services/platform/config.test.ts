import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('falls back to the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ MQTT_PORT: 1883, HTTP_PORT: 8080, DATA_DIR: './data', LOG_LEVEL: 'info', MAX_PAYLOAD_BYTES: 65536 });
    expect(c.ADMIN_PASSWORD).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    const c = loadConfig({ MQTT_PORT: '', ADMIN_PASSWORD: '' });
    expect(c.MQTT_PORT).toBe(1883);
    expect(c.ADMIN_PASSWORD).toBeUndefined();
  });

  it('stops on a bad value with a message naming each bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ MQTT_PORT: '70000', LOG_LEVEL: 'loud', ADMIN_PASSWORD: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['MQTT_PORT', 'LOG_LEVEL', 'ADMIN_PASSWORD']) expect(message).toContain(name);
  });

  it("takes FIRST_RESPONSE_HOURS (our policy, not the seed's) as 4 by default, 1 to 45 whole hours, and stops on anything else", () => {
    expect(loadConfig({}).FIRST_RESPONSE_HOURS).toBe(4);
    expect(loadConfig({ FIRST_RESPONSE_HOURS: '2' }).FIRST_RESPONSE_HOURS).toBe(2);
    expect(loadConfig({ FIRST_RESPONSE_HOURS: '45' }).FIRST_RESPONSE_HOURS).toBe(45);
    for (const bad of ['0', '-1', '1.5', '46', 'four']) {
      expect(() => loadConfig({ FIRST_RESPONSE_HOURS: bad })).toThrow(/FIRST_RESPONSE_HOURS/);
    }
  });

  it('takes the InfluxDB settings only with TELEMETRY_STORE=influxdb, all four of them, and URLs that are http(s)', () => {
    const influx = {
      TELEMETRY_STORE: 'influxdb',
      INFLUX_URL: 'http://influxdb:8086/',
      INFLUX_TOKEN: 't0ken',
      INFLUX_ORG: 'vendor',
      INFLUX_BUCKET: 'fleet',
    };
    expect(loadConfig({}).TELEMETRY_STORE).toBe('sqlite');
    expect(loadConfig(influx)).toMatchObject({ TELEMETRY_STORE: 'influxdb', INFLUX_URL: 'http://influxdb:8086', TELEMETRY_SPOOL_MB: 1024 });
    expect(() => loadConfig({ ...influx, INFLUX_TOKEN: '' })).toThrow(/INFLUX_TOKEN: required when TELEMETRY_STORE=influxdb/);
    expect(() => loadConfig({ ...influx, INFLUX_URL: 'influxdb:8086' })).toThrow(/INFLUX_URL: must be an http/);
    expect(() => loadConfig({ ...influx, INFLUX_QUERY_URL: 'ftp://replica' })).toThrow(/INFLUX_QUERY_URL/);
    expect(() => loadConfig({ INFLUX_URL: 'http://influxdb:8086' })).toThrow(/INFLUX_URL: set but TELEMETRY_STORE is not influxdb/);
    expect(() => loadConfig({ ...influx, TELEMETRY_SPOOL_MB: '0' })).toThrow(/TELEMETRY_SPOOL_MB/);
  });

  it('takes DATABASE_URL only as a postgres:// URL, and with the BOX_SECRET_KEY every node must share', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://mtbox:pw@db:5432/mtbox', BOX_SECRET_KEY: key }).DATABASE_URL).toBe(
      'postgres://mtbox:pw@db:5432/mtbox',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/mtbox', BOX_SECRET_KEY: key }).DATABASE_URL).toBe('postgresql://db/mtbox');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/mtbox', BOX_SECRET_KEY: key })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => loadConfig({ DATABASE_URL: 'db:5432', BOX_SECRET_KEY: key })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/mtbox' })).toThrow(/BOX_SECRET_KEY: required when DATABASE_URL is set/);
  });

  it('takes REDIS_URL only as a redis:// or rediss:// URL, and only with the DATABASE_URL the nodes share', () => {
    const shared = { DATABASE_URL: 'postgres://db/mtbox', BOX_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadConfig({}).REDIS_URL).toBeUndefined();
    expect(loadConfig({ ...shared, REDIS_URL: 'redis://redis:6379' }).REDIS_URL).toBe('redis://redis:6379');
    expect(loadConfig({ ...shared, REDIS_URL: 'rediss://:pw@redis:6380/2' }).REDIS_URL).toBe('rediss://:pw@redis:6380/2');
    expect(() => loadConfig({ ...shared, REDIS_URL: 'http://redis:6379' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({ ...shared, REDIS_URL: 'redis:6379' })).toThrow(/REDIS_URL: must be a redis:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'redis://redis:6379' })).toThrow(/REDIS_URL: needs DATABASE_URL/);
  });

  it('refuses a KEEPALIVE_MAX_S the 16-bit keep-alive field cannot carry', () => {
    expect(loadConfig({ KEEPALIVE_MAX_S: '65535' }).KEEPALIVE_MAX_S).toBe(65535);
    expect(() => loadConfig({ KEEPALIVE_MAX_S: '65536' })).toThrow(/KEEPALIVE_MAX_S/);
  });

  it('accepts MQTT over TLS alone, with its certificate and key files', () => {
    const c = loadConfig({ MQTT_PORT: 'off', MQTT_TLS_PORT: '8883', TLS_CERT_FILE: 'server.crt', TLS_KEY_FILE: 'server.key' });
    expect(c).toMatchObject({ MQTT_PORT: 'off', MQTT_TLS_PORT: 8883, TLS_CERT_FILE: 'server.crt', TLS_KEY_FILE: 'server.key' });
  });

  it.each([
    [{ MQTT_PORT: 'off' }, 'MQTT_PORT'],
    [{ MQTT_TLS_PORT: '8883', TLS_KEY_FILE: 'server.key' }, 'TLS_CERT_FILE'],
    [{ MQTT_TLS_PORT: '8883', TLS_CERT_FILE: 'server.crt' }, 'TLS_KEY_FILE'],
    [{ TLS_CA_FILE: 'boxes-ca.crt' }, 'TLS_CA_FILE'],
    [{ MQTT_PORT: 'none' }, 'MQTT_PORT'],
  ])('refuses MQTT listeners that cannot work (%o), naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('is frozen so no module can change it after start-up', () => {
    const c = loadConfig({});
    expect(Object.isFrozen(c)).toBe(true);
  });
});
