import { z } from 'zod';
import { EvidenceType, FAULT_CODE, Severity } from '../../../contract/payloads.ts';
import { DiagnosticsDataError, describeIssues } from './errors.ts';

/** What a fault is about; the dashboard groups faults by it. */
export const CATEGORIES = ['connectivity', 'fieldbus', 'power', 'storage', 'cpu-watchdog', 'environment', 'tamper', 'configuration'] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

/**
 * How a fault gets fixed: `remote` by guiding the customer (settings, network, PLC link),
 * `rma` by repairing or replacing hardware, `evidence` is not fixed at all — it is a fact
 * about how the box was treated that later decides warranty scope.
 */
export const REMEDIES = ['remote', 'rma', 'evidence'] as const;
export const Remedy = z.enum(REMEDIES);
export type Remedy = z.infer<typeof Remedy>;

/** Catalog versions are calendar versions, e.g. 2026.11.0, so a decision names the data it used. */
export const DataVersion = z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/, 'versions are YYYY.M.PATCH, e.g. 2026.11.0');

export const CatalogEntry = z
  .object({
    code: z.string().regex(FAULT_CODE, 'fault codes are upper-case, e.g. PLC_LINK_DOWN'),
    title: z.string().trim().min(1).max(120),
    category: Category,
    severity: Severity,
    remedy: Remedy,
    steps: z.array(z.string().trim().min(1).max(500)).min(1, 'an entry needs at least one step'),
    evidenceType: EvidenceType.optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.remedy === 'evidence' && !entry.evidenceType) {
      ctx.addIssue({ code: 'custom', path: ['evidenceType'], message: `${entry.code}: evidence entries name the evidenceType they stand for` });
    }
    if (entry.remedy !== 'evidence' && entry.evidenceType) {
      ctx.addIssue({ code: 'custom', path: ['evidenceType'], message: `${entry.code}: only evidence entries have an evidenceType` });
    }
  });
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const FaultCatalog = z
  .object({
    version: DataVersion,
    entries: z.array(CatalogEntry).min(1),
  })
  .strict()
  .superRefine((catalog, ctx) => {
    const codes = new Set<string>();
    const evidenceTypes = new Map<string, string>();
    catalog.entries.forEach((entry, i) => {
      if (codes.has(entry.code)) {
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'code'], message: `duplicate code ${entry.code}` });
      }
      codes.add(entry.code);
      if (!entry.evidenceType) return;
      const other = evidenceTypes.get(entry.evidenceType);
      // One entry per evidence type, or an event could not be named unambiguously.
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'evidenceType'],
          message: `evidenceType ${entry.evidenceType} is already mapped to ${other}`,
        });
      }
      evidenceTypes.set(entry.evidenceType, entry.code);
    });
  });
export type FaultCatalog = z.infer<typeof FaultCatalog>;

/** Validates a fault catalog (parsed JSON); throws CATALOG_INVALID listing every problem. */
export function parseCatalog(json: unknown): FaultCatalog {
  const result = FaultCatalog.safeParse(json);
  if (!result.success) {
    throw new DiagnosticsDataError('CATALOG_INVALID', describeIssues(result.error.issues), 'fault catalog');
  }
  return result.data;
}

export interface CatalogIndex {
  readonly version: string;
  readonly entries: readonly CatalogEntry[];
  /** The entry for a fault code, or null for a code this catalog version does not know. */
  byCode(code: string): CatalogEntry | null;
  /** The evidence entry an event type stands for, or null when the type is not warranty evidence. */
  byEvidenceType(type: EvidenceType): CatalogEntry | null;
}

/** Lookup tables over a parsed catalog. */
export function createCatalogIndex(catalog: FaultCatalog): CatalogIndex {
  const codes = new Map(catalog.entries.map((e) => [e.code, e]));
  const evidence = new Map(catalog.entries.flatMap((e) => (e.evidenceType ? [[e.evidenceType, e] as const] : [])));
  return {
    version: catalog.version,
    entries: catalog.entries,
    byCode: (code) => codes.get(code) ?? null,
    byEvidenceType: (type) => evidence.get(type) ?? null,
  };
}
