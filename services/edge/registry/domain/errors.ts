import type { CsvImportErrorCode } from './csv-import.ts';

/**
 * Error codes the registry API answers with. DEVICE_EXISTS comes from the registry port's
 * CreateResult; the CSV codes from domain/csv-import.ts.
 */
export const REGISTRY_ERRORS = {
  DEVICE_NOT_FOUND: 'DEVICE_NOT_FOUND',
  DEVICE_EXISTS: 'DEVICE_EXISTS',
  CSV_MALFORMED: 'CSV_MALFORMED',
  IMPORT_INVALID: 'IMPORT_INVALID',
  IMPORT_TOO_LARGE: 'IMPORT_TOO_LARGE',
} as const satisfies Record<CsvImportErrorCode, string> & Record<string, string>;
export type RegistryErrorCode = keyof typeof REGISTRY_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<RegistryErrorCode, true> {}
}
