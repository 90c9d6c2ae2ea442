/** The public face of this capability: what other capabilities and the composition root use. */
export * from './domain/errors.ts';
export * from './domain/organisation.ts';
export * from './domain/organisation-ports.ts';
