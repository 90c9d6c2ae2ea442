/** The public face of this capability: what other capabilities and the composition root use. */
export * from './database.ts';
export * from './like-pattern.ts';
export * from './schema.ts';
export { DatabaseRefusedError } from './schema-check.ts';
