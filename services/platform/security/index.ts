/** The public face of this capability: what other capabilities and the composition root use. */
export * from './failure-throttle.ts';
export * from './rate-limiter.ts';
export * from './same-origin.ts';
export * from './secrets.ts';
export * from './box-secret-hash.ts';
export * from './box-secret-key.ts';
export * from './shared-failure-throttles.ts';
export * from './shared-rate-limiter.ts';
