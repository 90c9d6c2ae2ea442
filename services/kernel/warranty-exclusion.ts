import { z } from 'zod';

/*
 * The ids of the warranty's exclusions are vocabulary: the warranty capability owns the
 * clauses (warranty/domain/exclusions.ts: titles, the seed's wording, evidence rules) and RMA
 * tickets record which ids after-sales confirmed, so both read this one list.
 */

/**
 * Seed: what the warranty does not cover, one entry per clause of "Confirm the warranty period
 * and scope" and of "The following conditions are not covered by the free warranty of MT-BOX
 * smart cloud box", in the order after-sales reads them. The ids are stored on tickets: add new
 * ones, never rename.
 */
export const EXCLUSION_IDS = [
  'force-majeure',
  'industrial-accident',
  'misuse',
  'burnt-components',
  'unauthorised-modification',
  'label-damaged',
  'setting-file-altered',
  'instructions-not-followed',
  'high-temperature',
  'water-ingress',
  'mechanical-damage',
  'oxidation',
  'return-transport-damage',
  'not-product-fault',
  'warranty-expired',
] as const;
// Free text is refused in words that name the list to choose from.
export const ExclusionId = z.enum(EXCLUSION_IDS, {
  error: `not an exclusion of the warranty terms: choose one of ${EXCLUSION_IDS.join(', ')}`,
});
export type ExclusionId = z.infer<typeof ExclusionId>;
