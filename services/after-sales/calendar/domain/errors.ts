/** Error codes of the holiday calendar; the HTTP adapter maps them to status. */
export const CALENDAR_ERRORS = {
  // A year's holidays or make-up days that cannot be right (dates outside the year, a day twice…).
  CALENDAR_INVALID: 'CALENDAR_INVALID',
} as const;
export type CalendarErrorCode = keyof typeof CALENDAR_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<CalendarErrorCode, true> {}
}
