/**
 * Error codes of the diagnostics capability. Transition codes come back as values
 * (`{ ok: false, error }`); the data codes are thrown by DiagnosticsDataError when a shipped
 * catalog or rules file is broken, which stops start-up rather than triaging on bad data.
 */
export const DIAGNOSTICS_ERRORS = {
  CATALOG_INVALID: 'CATALOG_INVALID',
  RULES_INVALID: 'RULES_INVALID',
  CASE_NOT_FOUND: 'CASE_NOT_FOUND',
  CASE_INVALID_TRANSITION: 'CASE_INVALID_TRANSITION',
  INCIDENT_NOT_FOUND: 'INCIDENT_NOT_FOUND',
  INCIDENT_INVALID_TRANSITION: 'INCIDENT_INVALID_TRANSITION',
} as const;
export type DiagnosticsErrorCode = keyof typeof DIAGNOSTICS_ERRORS;

export type DataErrorCode = 'CATALOG_INVALID' | 'RULES_INVALID';

/** A catalog or rules file that cannot be used; `problems` lists each one as `path: message`. */
export class DiagnosticsDataError extends Error {
  constructor(
    readonly code: DataErrorCode,
    readonly problems: readonly string[],
    what: string,
  ) {
    super(`${what} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DiagnosticsDataError';
  }
}

/** Zod issues as `path: message` lines, the path dotted as it reads in the JSON file. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string[] {
  return issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
}

declare module '../../../kernel/app-error.ts' {
  // Data codes stop start-up; they are never an answer.
  interface ErrorCodes extends Record<Exclude<DiagnosticsErrorCode, DataErrorCode>, true> {}
}
