/** The public face of this capability: what other capabilities and the composition root use. */
export * from './auth.ts';
export * from './common-schemas.ts';
export * from './deps.ts';
export * from './mount-routes.ts';
export * from './route.ts';
export * from './time-params.ts';
