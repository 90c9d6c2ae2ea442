/* The working-day calendar's public face. */
export * from './calendar-service.ts';
export * from './domain/working-calendar.ts';
export { calendarFileStore } from './store/calendar-file.ts';
export type { CalendarOverrideStore } from './store/calendar-override-store.ts';
