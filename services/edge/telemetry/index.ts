/* The telemetry capability's public face. */
export * from './domain/telemetry-port.ts';
export * from './domain/errors.ts';
