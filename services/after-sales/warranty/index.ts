/* The warranty capability's public face: the parts history RMA reads and extends through its port. */
export { listRepairedParts, recordRepairedParts } from './store/repaired-parts.ts';
export * from './domain/costs.ts';
export * from './domain/exclusions.ts';
export * from './domain/warranty.ts';
