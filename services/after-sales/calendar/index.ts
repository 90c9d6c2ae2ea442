/* The working-day calendar's public face. */
export type { CalendarService } from './calendar-service.ts';
