import { z } from 'zod';
import { Fen } from '../../../kernel/money.ts';

export const DAMAGE_DEGREES = ['minor', 'moderate', 'severe'] as const;
export const DamageDegree = z.enum(DAMAGE_DEGREES);
export type DamageDegree = z.infer<typeof DamageDegree>;

/**
 * Seed: out of warranty the customer pays parts plus a maintenance fee by damage degree.
 * The amounts are placeholders until after-sales confirms the fee schedule.
 */
export const MAINTENANCE_FEES_FEN: Readonly<Record<DamageDegree, Fen>> = {
  minor: 20_000,
  moderate: 50_000,
  severe: 100_000,
};

export const ChargePart = z.object({
  name: z.string().trim().min(1).max(200),
  unitCostFen: Fen,
  qty: z.number().int().positive(),
});
export type ChargePart = z.infer<typeof ChargePart>;

export const ChargeInput = z.object({
  // null: warranty unknown (no receipt or sale date), charged as out of warranty.
  inWarranty: z.boolean().nullable(),
  inScope: z.boolean(),
  parts: z.array(ChargePart),
  damageDegree: DamageDegree.optional(),
});
export type ChargeInput = z.infer<typeof ChargeInput>;

export const ChargeRule = z.enum(['free', 'parts-only', 'parts-and-fee']);
export type ChargeRule = z.infer<typeof ChargeRule>;

export const Charges = z.object({
  rule: ChargeRule,
  partsFen: Fen,
  feeFen: Fen,
  totalFen: Fen,
  explanation: z.string(),
});
export type Charges = z.infer<typeof Charges>;

export type ChargeErrorCode = 'DAMAGE_DEGREE_REQUIRED' | 'CHARGES_TOO_LARGE';

export type ChargeResult = { ok: true; charges: Charges } | { ok: false; error: { code: ChargeErrorCode; details: string } };

/** `¥1234.50` for 123450 fen, by integer arithmetic. */
export function formatYuan(fen: Fen): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

// Sums as safe integers or answers null: past 2^53 integer arithmetic silently loses fen.
function safeSum(values: readonly number[]): number | null {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) return null;
  }
  return total;
}

const tooLarge = (details: string): ChargeResult => ({ ok: false, error: { code: 'CHARGES_TOO_LARGE', details } });

/**
 * Seed: in warranty and in scope the repair is free; in warranty but excluded, parts only;
 * out of warranty (or unknown), parts plus the maintenance fee. Throws a ZodError on
 * malformed input such as fractional fen.
 */
export function computeCharges(input: ChargeInput): ChargeResult {
  const { inWarranty, inScope, parts, damageDegree } = ChargeInput.parse(input);
  if (inWarranty === true && inScope) {
    return {
      ok: true,
      charges: { rule: 'free', partsFen: 0, feeFen: 0, totalFen: 0, explanation: 'In warranty and in scope: the repair is free.' },
    };
  }

  const lines = parts.map((p) => p.unitCostFen * p.qty);
  const overflowing = lines.findIndex((line) => !Number.isSafeInteger(line));
  if (overflowing >= 0) return tooLarge(`part ${parts[overflowing]?.name}: unit cost x quantity is too large`);
  const partsFen = safeSum(lines);
  if (partsFen === null) return tooLarge('parts total is too large');

  if (inWarranty === true) {
    return {
      ok: true,
      charges: {
        rule: 'parts-only',
        partsFen,
        feeFen: 0,
        totalFen: partsFen,
        explanation: `In warranty but out of scope (a confirmed exclusion): parts ${formatYuan(partsFen)}, no maintenance fee.`,
      },
    };
  }

  if (!damageDegree) {
    return { ok: false, error: { code: 'DAMAGE_DEGREE_REQUIRED', details: 'out of warranty: the maintenance fee depends on the damage degree' } };
  }
  const feeFen = MAINTENANCE_FEES_FEN[damageDegree];
  const totalFen = safeSum([partsFen, feeFen]);
  if (totalFen === null) return tooLarge('parts plus maintenance fee is too large');
  const why = inWarranty === false ? 'Out of warranty' : 'Warranty unknown (no receipt or sale date recorded), so charged as out of warranty';
  return {
    ok: true,
    charges: {
      rule: 'parts-and-fee',
      partsFen,
      feeFen,
      totalFen,
      explanation: `${why}: parts ${formatYuan(partsFen)} plus the ${damageDegree} maintenance fee ${formatYuan(feeFen)}.`,
    },
  };
}
