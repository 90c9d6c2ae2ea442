/* The intake capability's public face. */
export type { IntakeStore } from './domain/intake-port.ts';
export * from './domain/decode.ts';
export * from './domain/intake-port.ts';
