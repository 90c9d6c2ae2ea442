import { describe, expect, it } from 'vitest';
import { computeCharges, formatYuan, MAINTENANCE_FEES_FEN } from './costs.ts';
import { WARRANTY_ERRORS } from './errors.ts';

const parts = [
  { name: '4G module', unitCostFen: 18_050, qty: 1 },
  { name: 'fuse', unitCostFen: 125, qty: 4 },
];
const PARTS_FEN = 18_550;

describe('who pays for a repair', () => {
  it('is free in warranty and in scope: no parts, no fee', () => {
    expect(computeCharges({ inWarranty: true, inScope: true, parts })).toMatchObject({
      ok: true,
      charges: { rule: 'free', partsFen: 0, feeFen: 0, totalFen: 0, dueFen: 0, explanation: 'In warranty and in scope: the repair is free.' },
    });
  });

  it('charges parts only in warranty when an exclusion is confirmed', () => {
    const r = computeCharges({ inWarranty: true, inScope: false, parts, damageDegree: 'severe' });
    expect(r).toMatchObject({ ok: true, charges: { rule: 'parts-only', partsFen: PARTS_FEN, feeFen: 0, totalFen: PARTS_FEN } });
    if (r.ok) expect(r.charges.explanation).toContain('¥185.50');
  });

  it.each(['minor', 'moderate', 'severe'] as const)('charges parts plus the %s fee out of warranty', (degree) => {
    const fee = MAINTENANCE_FEES_FEN[degree];
    expect(computeCharges({ inWarranty: false, inScope: true, parts, damageDegree: degree })).toMatchObject({
      ok: true,
      charges: { rule: 'parts-and-fee', partsFen: PARTS_FEN, feeFen: fee, totalFen: PARTS_FEN + fee },
    });
  });

  it('charges more for worse damage', () => {
    expect(MAINTENANCE_FEES_FEN.minor).toBeLessThan(MAINTENANCE_FEES_FEN.moderate);
    expect(MAINTENANCE_FEES_FEN.moderate).toBeLessThan(MAINTENANCE_FEES_FEN.severe);
  });

  it('charges an unknown warranty as out of warranty and says why', () => {
    const r = computeCharges({ inWarranty: null, inScope: true, parts: [], damageDegree: 'minor' });
    expect(r).toMatchObject({ ok: true, charges: { rule: 'parts-and-fee', partsFen: 0, feeFen: MAINTENANCE_FEES_FEN.minor } });
    if (r.ok) expect(r.charges.explanation).toMatch(/^Warranty unknown/);
  });

  it('needs the damage degree out of warranty', () => {
    for (const inWarranty of [false, null]) {
      const r = computeCharges({ inWarranty, inScope: false, parts });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(WARRANTY_ERRORS.DAMAGE_DEGREE_REQUIRED);
    }
  });
});

describe('money in integer fen', () => {
  it('keeps every amount an integer', () => {
    const r = computeCharges({ inWarranty: false, inScope: false, parts: [{ name: 'cap', unitCostFen: 33, qty: 3 }], damageDegree: 'moderate' });
    if (!r.ok) throw new Error(r.error.code);
    for (const v of [r.charges.partsFen, r.charges.feeFen, r.charges.totalFen]) expect(Number.isInteger(v)).toBe(true);
    expect(r.charges.totalFen).toBe(99 + MAINTENANCE_FEES_FEN.moderate);
  });

  it('refuses fractional fen and fractional quantities', () => {
    expect(() =>
      computeCharges({ inWarranty: false, inScope: true, parts: [{ name: 'x', unitCostFen: 10.5, qty: 1 }], damageDegree: 'minor' }),
    ).toThrow();
    expect(() =>
      computeCharges({ inWarranty: false, inScope: true, parts: [{ name: 'x', unitCostFen: 10, qty: 0.5 }], damageDegree: 'minor' }),
    ).toThrow();
  });

  it('answers CHARGES_TOO_LARGE rather than lose precision past 2^53', () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const cases = [
      { parts: [{ name: 'x', unitCostFen: huge, qty: 2 }], damageDegree: 'minor' as const },
      {
        parts: [
          { name: 'x', unitCostFen: huge, qty: 1 },
          { name: 'y', unitCostFen: 1, qty: 1 },
        ],
        damageDegree: 'minor' as const,
      },
      { parts: [{ name: 'x', unitCostFen: huge, qty: 1 }], damageDegree: 'minor' as const },
    ];
    for (const c of cases) {
      const r = computeCharges({ inWarranty: false, inScope: true, ...c });
      expect(r.ok ? null : r.error.code).toBe('CHARGES_TOO_LARGE');
    }
  });

  it('formats fen as yuan without floating point', () => {
    expect(formatYuan(0)).toBe('¥0.00');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan(123_450)).toBe('¥1234.50');
  });
});

// Seed: "The repaired or replaced components have a 1-year warranty from the date of repair."
describe('seed: the repaired or replaced components have a 1-year warranty from the date of repair', () => {
  const modem = { part: '4G module', repairedOn: '2026-01-10', end: '2027-01-09', inWarranty: true };
  const lapsed = { part: 'fuse', repairedOn: '2024-11-02', end: '2025-11-01', inWarranty: false };
  const lines = (r: ReturnType<typeof computeCharges>) => (r.ok ? r.charges.lines : []);

  it('prices a part repaired 3 months ago free after the box warranty ended, the others charged, and says why per line', () => {
    const r = computeCharges({ inWarranty: false, inScope: true, parts, damageDegree: 'minor', partWarranties: [modem, lapsed] });
    expect(r).toMatchObject({
      ok: true,
      charges: { rule: 'parts-and-fee', partsFen: 500, feeFen: MAINTENANCE_FEES_FEN.minor, totalFen: 500 + MAINTENANCE_FEES_FEN.minor },
    });
    expect(lines(r)).toEqual([
      {
        name: '4G module',
        qty: 1,
        unitCostFen: 18_050,
        chargedFen: 0,
        basis: 'part-warranty',
        why: 'Free: repaired or replaced on 2026-01-10, this part has its own warranty through 2027-01-09.',
      },
      {
        name: 'fuse',
        qty: 4,
        unitCostFen: 125,
        chargedFen: 500,
        basis: 'out-of-warranty',
        why: "Charged: the box's warranty has ended and this part has no running warranty of its own.",
      },
    ]);
    if (r.ok) expect(r.charges.explanation).toContain('4G module free under its own warranty');
  });

  it('is free when every part replaced is inside its own warranty, though the box is out of warranty', () => {
    const r = computeCharges({ inWarranty: false, inScope: true, parts: [parts[0]!], partWarranties: [{ ...modem, part: ' 4g MODULE ' }] });
    expect(r).toMatchObject({ ok: true, charges: { rule: 'free', partsFen: 0, feeFen: 0, totalFen: 0 } });
    expect(lines(r).map((l) => l.basis)).toEqual(['part-warranty']);
  });

  it('covers a part with an unknown box warranty too', () => {
    const r = computeCharges({ inWarranty: null, inScope: true, parts: [parts[0]!], partWarranties: [modem] });
    expect(r).toMatchObject({ ok: true, charges: { rule: 'free' } });
  });

  it('does not cover a part whose own year has passed, nor any part once an exclusion is confirmed', () => {
    const expired = computeCharges({ inWarranty: false, inScope: true, parts, damageDegree: 'minor', partWarranties: [lapsed] });
    expect(lines(expired).map((l) => [l.basis, l.chargedFen])).toEqual([
      ['out-of-warranty', 18_050],
      ['out-of-warranty', 500],
    ]);
    const excluded = computeCharges({ inWarranty: false, inScope: false, parts, damageDegree: 'minor', partWarranties: [modem] });
    expect(excluded).toMatchObject({ ok: true, charges: { rule: 'parts-and-fee', partsFen: PARTS_FEN } });
    expect(lines(excluded)[0]).toMatchObject({ basis: 'excluded', chargedFen: 18_050 });
  });

  it('says the box warranty covers each line when the box is in warranty', () => {
    expect(lines(computeCharges({ inWarranty: true, inScope: true, parts })).map((l) => [l.basis, l.chargedFen, l.why])).toEqual([
      ['box-warranty', 0, 'Free: the box is in warranty and in scope.'],
      ['box-warranty', 0, 'Free: the box is in warranty and in scope.'],
    ]);
  });
});

describe('seed: the freight both ways shall be borne by the customer', () => {
  it('adds the return freight to what is due and names the customer as payer', () => {
    const r = computeCharges({ inWarranty: false, inScope: true, parts, damageDegree: 'minor', freightFen: 2_300 });
    const total = PARTS_FEN + MAINTENANCE_FEES_FEN.minor;
    expect(r).toMatchObject({ ok: true, charges: { totalFen: total, dueFen: total + 2_300, freight: { paidBy: 'customer', fen: 2_300 } } });
    if (r.ok) expect(r.charges.freight.explanation).toContain('return freight ¥23.00');
  });

  it('shows the freight as the customer’s, amount not entered yet, on a free repair', () => {
    const r = computeCharges({ inWarranty: true, inScope: true, parts });
    expect(r).toMatchObject({ ok: true, charges: { totalFen: 0, dueFen: 0, freight: { paidBy: 'customer', fen: null } } });
    if (r.ok) expect(r.charges.freight.explanation).toMatch(/borne by the customer; the return freight is not entered yet\.$/);
  });
});
