/* The presence capability's public face. */
export * from './domain/shadow.ts';
export * from './shadow-service.ts';
export * from './presence-feed.ts';
export * from './box-locations.ts';
