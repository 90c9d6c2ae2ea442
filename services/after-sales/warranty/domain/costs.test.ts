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
    expect(computeCharges({ inWarranty: true, inScope: true, parts })).toEqual({
      ok: true,
      charges: { rule: 'free', partsFen: 0, feeFen: 0, totalFen: 0, explanation: 'In warranty and in scope: the repair is free.' },
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
