/* The working-day calendar's public face. */
export * from './calendar-service.ts';
export * from './domain/working-calendar.ts';
