/* The telemetry capability's public face. */
export * from './domain/telemetry-port.ts';
export * from './domain/errors.ts';
// The admin CLI's replay-set-aside; the spool itself belongs to the InfluxDB store's worker.
export { replaySetAside, type SetAsideReplay } from './store/set-aside-replay.ts';
