/* The working-day calendar's public face. */
export type { CalendarService } from './calendar-service.ts';
export * from './calendar-service.ts';
export * from './domain/working-calendar.ts';
