/* The intake capability's public face. */
export type { IntakeStore } from './domain/intake-port.ts';
