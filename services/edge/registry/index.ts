/** The public face of this capability: what other capabilities and the composition root use. */
export * from './domain/device.ts';
export * from './domain/registry-port.ts';
