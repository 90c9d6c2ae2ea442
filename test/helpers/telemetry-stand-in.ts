import type { TelemetryStore } from '../../services/edge/telemetry/domain/telemetry-port.ts';

/**
 * A telemetry store that takes every point and keeps none, for tests of what sits in front of it
 * (the intake); the real stores are tested against SQLite, VictoriaMetrics and InfluxDB.
 */
export function telemetryStandIn(overrides: Partial<TelemetryStore> = {}): TelemetryStore {
  return {
    append: () => true,
    whenRoom: (ready) => ready(),
    health: () => ({ kind: 'sqlite' }),
    flush: () => {},
    query: async () => [],
    pruneBefore: async () => 0,
    close: async () => {},
    ...overrides,
  };
}
