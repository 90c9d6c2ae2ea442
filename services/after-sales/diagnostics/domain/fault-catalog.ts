import { z } from 'zod';
import { EvidenceType, FAULT_CODE, Severity } from '../../../contract/payloads.ts';
import { LOCALES, type Locale } from '../../../kernel/locale.ts';
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

/** One text of the catalog in every language we offer; none may be missing or blank. */
function localized(max: number) {
  return z
    .object(Object.fromEntries(LOCALES.map((l) => [l, z.string().trim().min(1, `no ${l} text`).max(max)])) as Record<Locale, z.ZodString>)
    .strict();
}
export const LocalizedText = localized(500);
export type LocalizedText = z.infer<typeof LocalizedText>;

/** An entry's fields around its texts, which are one string (as served) or every language (as shipped). */
function entrySchema<T extends z.ZodType<string | LocalizedText>, S extends z.ZodType<string | LocalizedText>>(title: T, step: S) {
  return z
    .object({
      code: z.string().regex(FAULT_CODE, 'fault codes are upper-case, e.g. PLC_LINK_DOWN'),
      title,
      category: Category,
      severity: Severity,
      remedy: Remedy,
      steps: z.array(step).min(1, 'an entry needs at least one step'),
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
}

/** An entry in one language: what triage, cases and the API work with. */
export const CatalogEntry = entrySchema(z.string().trim().min(1).max(120), z.string().trim().min(1).max(500));
export type CatalogEntry = z.infer<typeof CatalogEntry>;

/** An entry as the catalog file ships it, every text in both languages side by side. */
export const LocalizedCatalogEntry = entrySchema(localized(120), LocalizedText);
export type LocalizedCatalogEntry = z.infer<typeof LocalizedCatalogEntry>;

/**
 * The one accessor from a shipped entry to an entry in one language. The backend's own
 * words (decision reasons, steps copied onto cases, RMA fault text) use English, so stored
 * text does not depend on who happened to trigger it.
 */
export function entryIn(entry: LocalizedCatalogEntry, locale: Locale): CatalogEntry {
  return { ...entry, title: entry.title[locale], steps: entry.steps.map((step) => step[locale]) };
}

export const FaultCatalog = z
  .object({
    version: DataVersion,
    entries: z.array(LocalizedCatalogEntry).min(1),
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
  /** The entries in English, the backend's own language (see entryIn). */
  readonly entries: readonly CatalogEntry[];
  /** The entries in one language, for a reader of it. */
  entriesIn(locale: Locale): readonly CatalogEntry[];
  /** The entry for a fault code in English, or null for a code this catalog version does not know. */
  byCode(code: string): CatalogEntry | null;
  /** The evidence entry an event type stands for, in English, or null when the type is not warranty evidence. */
  byEvidenceType(type: EvidenceType): CatalogEntry | null;
}

/** Lookup tables over a parsed catalog. */
export function createCatalogIndex(catalog: FaultCatalog): CatalogIndex {
  const byLocale = new Map(LOCALES.map((l) => [l, catalog.entries.map((e) => entryIn(e, l))] as const));
  const english = byLocale.get('en') ?? [];
  const codes = new Map(english.map((e) => [e.code, e]));
  const evidence = new Map(english.flatMap((e) => (e.evidenceType ? [[e.evidenceType, e] as const] : [])));
  return {
    version: catalog.version,
    entries: english,
    entriesIn: (locale) => byLocale.get(locale) ?? english,
    byCode: (code) => codes.get(code) ?? null,
    byEvidenceType: (type) => evidence.get(type) ?? null,
  };
}
