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

/** A repaired part's own warranty, as `computeWarranty` answers it in `partWarranties`. */
export const OwnPartWarranty = z.object({
  part: z.string(),
  repairedOn: z.string(),
  end: z.string(),
  inWarranty: z.boolean(),
});
export type OwnPartWarranty = z.infer<typeof OwnPartWarranty>;

export const ChargeInput = z.object({
  // null: warranty unknown (no receipt or sale date), charged as out of warranty.
  inWarranty: z.boolean().nullable(),
  inScope: z.boolean(),
  parts: z.array(ChargePart),
  damageDegree: DamageDegree.optional(),
  // Seed: "The repaired or replaced components have a 1-year warranty from the date of repair."
  partWarranties: z.array(OwnPartWarranty).max(500).default([]),
  // The return freight the customer is billed, when known (seed §6: the customer bears it).
  freightFen: Fen.nullable().default(null),
});
export type ChargeInput = z.input<typeof ChargeInput>;

export const ChargeRule = z.enum(['free', 'parts-only', 'parts-and-fee']);
export type ChargeRule = z.infer<typeof ChargeRule>;

/** Why one part of the Repair Report is free or charged. */
export const ChargeLineBasis = z.enum(['box-warranty', 'part-warranty', 'excluded', 'out-of-warranty']);
export type ChargeLineBasis = z.infer<typeof ChargeLineBasis>;

export const ChargeLine = z.object({
  name: z.string(),
  qty: z.number().int().positive(),
  unitCostFen: Fen,
  chargedFen: Fen,
  basis: ChargeLineBasis,
  why: z.string(),
});
export type ChargeLine = z.infer<typeof ChargeLine>;

/** Seed §6 "Transportation cost": the freight both ways "shall be borne by the customer". */
export const Freight = z.object({
  paidBy: z.literal('customer'),
  // The return freight billed with the repair; null until someone enters it.
  fen: Fen.nullable(),
  explanation: z.string(),
});
export type Freight = z.infer<typeof Freight>;

export const Charges = z.object({
  rule: ChargeRule,
  partsFen: Fen,
  feeFen: Fen,
  /** The repair: parts plus maintenance fee. */
  totalFen: Fen,
  explanation: z.string(),
  lines: z.array(ChargeLine),
  freight: Freight,
  /** What the customer is billed: the repair plus the return freight when entered. */
  dueFen: Fen,
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

const FREIGHT_CLAUSE = 'Seed, transportation cost: the freight to the repair centre and the freight back after the repair are borne by the customer';

/** Seed §6: the customer bears the freight both ways; the return freight is billed when entered. */
export function freightLine(freightFen: Fen | null): Freight {
  return {
    paidBy: 'customer',
    fen: freightFen,
    explanation:
      freightFen === null
        ? `${FREIGHT_CLAUSE}; the return freight is not entered yet.`
        : `${FREIGHT_CLAUSE}: return freight ${formatYuan(freightFen)}.`,
  };
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The part's own warranty still running today, the latest repair of that name first. */
function ownWarranty(name: string, partWarranties: readonly OwnPartWarranty[]): OwnPartWarranty | undefined {
  return partWarranties.filter((w) => w.inWarranty && sameName(w.part, name)).sort((a, b) => (a.end < b.end ? 1 : -1))[0];
}

/**
 * Each part of the report, free or charged and why. Seed: in warranty and in scope nothing is
 * charged; a repaired or replaced component is covered a year from its repair even after the
 * box's warranty ended; an exclusion confirmed by after-sales covers neither.
 */
export function priceLines(
  inWarranty: boolean | null,
  inScope: boolean,
  parts: readonly ChargePart[],
  partWarranties: readonly OwnPartWarranty[],
): ChargeLine[] {
  return parts.map((p): ChargeLine => {
    const line = { name: p.name, qty: p.qty, unitCostFen: p.unitCostFen };
    const cost = p.unitCostFen * p.qty;
    if (!inScope) {
      return { ...line, chargedFen: cost, basis: 'excluded', why: 'Charged: a confirmed exclusion takes the repair out of the warranty scope.' };
    }
    if (inWarranty === true) return { ...line, chargedFen: 0, basis: 'box-warranty', why: 'Free: the box is in warranty and in scope.' };
    const own = ownWarranty(p.name, partWarranties);
    if (own) {
      return {
        ...line,
        chargedFen: 0,
        basis: 'part-warranty',
        why: `Free: repaired or replaced on ${own.repairedOn}, this part has its own warranty through ${own.end}.`,
      };
    }
    const box = inWarranty === false ? "the box's warranty has ended" : "the box's warranty is unknown";
    return { ...line, chargedFen: cost, basis: 'out-of-warranty', why: `Charged: ${box} and this part has no running warranty of its own.` };
  });
}

/**
 * Seed: in warranty and in scope the repair is free; in warranty but excluded, parts only;
 * out of warranty (or unknown), parts plus the maintenance fee. Throws a ZodError on
 * malformed input such as fractional fen.
 */
export function computeCharges(input: ChargeInput): ChargeResult {
  const { inWarranty, inScope, parts, damageDegree, partWarranties, freightFen } = ChargeInput.parse(input);
  const freight = freightLine(freightFen);
  const overflowing = parts.findIndex((p) => !Number.isSafeInteger(p.unitCostFen * p.qty));
  if (overflowing >= 0) return tooLarge(`part ${parts[overflowing]?.name}: unit cost x quantity is too large`);
  const lines = priceLines(inWarranty, inScope, parts, partWarranties);
  const charged = (partsFen: Fen, feeFen: Fen, rule: ChargeRule, explanation: string): ChargeResult => {
    const totalFen = safeSum([partsFen, feeFen]);
    const dueFen = totalFen === null ? null : safeSum([totalFen, freight.fen ?? 0]);
    if (totalFen === null || dueFen === null) return tooLarge('the charges are too large');
    return { ok: true, charges: { rule, partsFen, feeFen, totalFen, explanation, lines, freight, dueFen } };
  };

  if (inWarranty === true && inScope) return charged(0, 0, 'free', 'In warranty and in scope: the repair is free.');
  // Out of the box's warranty, a repair of parts all inside their own warranty is free.
  if (inScope && parts.length > 0 && lines.every((l) => l.basis === 'part-warranty')) {
    return charged(0, 0, 'free', "Out of the box's warranty, but every part replaced is inside its own 1-year warranty from its repair: free.");
  }

  const partsFen = safeSum(lines.map((l) => l.chargedFen));
  if (partsFen === null) return tooLarge('parts total is too large');
  const covered = lines.filter((l) => l.basis === 'part-warranty');
  const ownCover =
    covered.length > 0 ? ` (${covered.map((l) => l.name).join(', ')} free under ${covered.length === 1 ? 'its' : 'their'} own warranty)` : '';

  if (inWarranty === true) {
    return charged(
      partsFen,
      0,
      'parts-only',
      `In warranty but out of scope (a confirmed exclusion): parts ${formatYuan(partsFen)}, no maintenance fee.`,
    );
  }

  if (!damageDegree) {
    return { ok: false, error: { code: 'DAMAGE_DEGREE_REQUIRED', details: 'out of warranty: the maintenance fee depends on the damage degree' } };
  }
  const feeFen = MAINTENANCE_FEES_FEN[damageDegree];
  const why = inWarranty === false ? 'Out of warranty' : 'Warranty unknown (no receipt or sale date recorded), so charged as out of warranty';
  return charged(
    partsFen,
    feeFen,
    'parts-and-fee',
    `${why}: parts ${formatYuan(partsFen)}${ownCover} plus the ${damageDegree} maintenance fee ${formatYuan(feeFen)}.`,
  );
}
