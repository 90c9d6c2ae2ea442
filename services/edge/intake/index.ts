/* The intake capability's public face. */
export * from './domain/decode.ts';
export * from './domain/intake-port.ts';
