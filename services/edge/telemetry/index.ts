/* The telemetry capability's public face. */
export type { TelemetryReader } from './domain/telemetry-port.ts';
export * from './domain/telemetry-port.ts';
