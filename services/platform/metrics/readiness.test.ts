import { describe, expect, it } from 'vitest';
import { checkReadiness, FORWARDER_FAILING_LIMIT_S, type ReadinessProbe } from './readiness.ts';

const probe = (over: Partial<ReadinessProbe> = {}): ReadinessProbe => ({
  lifecycle: () => 'ready',
  database: async () => {},
  mqttListening: () => true,
  forwarder: null,
  ...over,
});

describe('readiness checks', () => {
  it('is ready when started, the database answers and the MQTT listener listens', async () => {
    expect(await checkReadiness(probe())).toEqual({ ready: true, checks: { lifecycle: { ok: true }, database: { ok: true }, mqtt: { ok: true } } });
  });

  it('is not ready while starting or stopping, whatever the parts say', async () => {
    expect(await checkReadiness(probe({ lifecycle: () => 'starting' }))).toMatchObject({
      ready: false,
      checks: { lifecycle: { ok: false, detail: 'still starting' } },
    });
    expect(await checkReadiness(probe({ lifecycle: () => 'stopping' }))).toMatchObject({
      ready: false,
      checks: { lifecycle: { ok: false, detail: 'shutting down' } },
    });
  });

  it('names a database that does not answer', async () => {
    const r = await checkReadiness(probe({ database: async () => Promise.reject(new Error('The database connection is not open')) }));
    expect(r).toMatchObject({ ready: false, checks: { database: { ok: false, detail: 'The database connection is not open' } } });
  });

  it('stays ready through a short InfluxDB outage and turns not ready once the oldest waiting point is older than the limit', async () => {
    const failing = (oldestAgeS: number) => probe({ forwarder: () => ({ failures: 7, lastError: 'HTTP 503', oldestAgeS }) });
    expect((await checkReadiness(failing(FORWARDER_FAILING_LIMIT_S))).checks.telemetry).toEqual({ ok: true });
    const stalled = await checkReadiness(failing(FORWARDER_FAILING_LIMIT_S + 1));
    expect(stalled.ready).toBe(false);
    expect(stalled.checks.telemetry).toEqual({
      ok: false,
      detail: `InfluxDB has refused 7 attempts in a row; oldest point waiting ${FORWARDER_FAILING_LIMIT_S + 1} s: HTTP 503`,
    });
    // Old points with the last attempt succeeding: the forwarder is catching up, not failing.
    const catchingUp = await checkReadiness(probe({ forwarder: () => ({ failures: 0, lastError: null, oldestAgeS: 3600 }) }));
    expect(catchingUp.checks.telemetry).toEqual({ ok: true });
  });
});
