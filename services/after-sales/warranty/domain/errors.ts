import type { ChargeErrorCode } from './costs.ts';
import type { ExclusionErrorCode } from './exclusions.ts';

/**
 * Error codes the warranty capability answers with: exclusion decisions from
 * domain/exclusions.ts, charge calculation from domain/costs.ts.
 */
export const WARRANTY_ERRORS = {
  EXCLUSION_NOT_SUGGESTED: 'EXCLUSION_NOT_SUGGESTED',
  EXCLUSION_ALREADY_DECIDED: 'EXCLUSION_ALREADY_DECIDED',
  EXCLUSION_ALREADY_LISTED: 'EXCLUSION_ALREADY_LISTED',
  DAMAGE_DEGREE_REQUIRED: 'DAMAGE_DEGREE_REQUIRED',
  CHARGES_TOO_LARGE: 'CHARGES_TOO_LARGE',
} as const satisfies Record<ExclusionErrorCode | ChargeErrorCode, string> & Record<string, string>;
export type WarrantyErrorCode = keyof typeof WARRANTY_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<WarrantyErrorCode, true> {}
}
