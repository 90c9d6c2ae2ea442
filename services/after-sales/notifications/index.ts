/** The public face of this capability: what other capabilities and the composition root use. */
export * from './domain/errors.ts';
export * from './domain/notification.ts';
export * from './notification-service.ts';
