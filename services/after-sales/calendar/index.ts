/** The public face of this capability: what other capabilities and the composition root use. */
export * from './calendar-service.ts';
export * from './domain/working-calendar.ts';
