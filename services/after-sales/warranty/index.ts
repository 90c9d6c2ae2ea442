/** The public face of this capability: what other capabilities and the composition root use. */
export * from './domain/costs.ts';
export * from './domain/exclusions.ts';
export * from './domain/warranty.ts';
