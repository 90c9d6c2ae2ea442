/** The public face of this capability: what other capabilities and the composition root use. */
export * from './case-service.ts';
export * from './diagnostics-service.ts';
export * from './domain/fault-catalog.ts';
export * from './domain/remote-case.ts';
export * from './domain/triage-rules.ts';
