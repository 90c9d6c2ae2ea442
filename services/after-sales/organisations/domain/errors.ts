/** Error codes of the organisations capability; the HTTP adapter maps them to status. */
export const ORGANISATION_ERRORS = {
  ORGANISATION_NOT_FOUND: 'ORGANISATION_NOT_FOUND',
  // Names are unique without regard to case: one customer, one record.
  ORGANISATION_EXISTS: 'ORGANISATION_EXISTS',
} as const;
export type OrganisationErrorCode = keyof typeof ORGANISATION_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<OrganisationErrorCode, true> {}
}
