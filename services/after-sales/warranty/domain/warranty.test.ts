import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../kernel/locale.ts';
import { computeWarranty as computeData, type WarrantyFacts, WarrantyAnswer, warrantyIn, warrantyReasonIn } from './warranty.ts';

// The answer as an English reader gets it: the reasons rendered.
const computeWarranty = (facts: WarrantyFacts, today: string, locale: Locale = 'en') => warrantyIn(computeData(facts, today), locale);

const box = (receiptDate: string | null, saleDate: string | null = null) => ({ receiptDate, saleDate, repairedParts: [] });

describe('warranty from the receipt date', () => {
  it('covers day 365 after receipt and not day 366', () => {
    const covered = computeWarranty(box('2025-03-10', '2025-03-01'), '2026-03-09');
    expect(covered).toMatchObject({ inWarranty: true, start: '2025-03-10', end: '2026-03-09', basis: 'receipt-date' });
    expect(computeWarranty(box('2025-03-10'), '2026-03-10')).toMatchObject({ inWarranty: false, end: '2026-03-09' });
  });

  it('covers the receipt day itself', () => {
    expect(computeWarranty(box('2025-03-10'), '2025-03-10').inWarranty).toBe(true);
  });

  it('ends a 29 February 2024 receipt on 28 February 2025', () => {
    expect(computeWarranty(box('2024-02-29'), '2025-02-28')).toMatchObject({ inWarranty: true, end: '2025-02-28' });
    expect(computeWarranty(box('2024-02-29'), '2025-03-01').inWarranty).toBe(false);
  });

  it('gives a receipt whose year spans 29 February 2028 all 366 days', () => {
    expect(computeWarranty(box('2027-06-15'), '2028-06-14').inWarranty).toBe(true);
    expect(computeWarranty(box('2027-06-15'), '2028-06-15').inWarranty).toBe(false);
    expect(computeWarranty(box('2027-03-01'), '2028-02-29')).toMatchObject({ inWarranty: true, end: '2028-02-29' });
  });

  it('says which date it counted from and whether cover has expired', () => {
    expect(computeWarranty(box('2025-03-10'), '2026-03-10').reasons).toEqual([
      "Covered 12 months from the customer's receipt (express-delivery signing) date 2025-03-10.",
      'Expired: the last covered day was 2026-03-09.',
    ]);
  });

  it('flags a receipt date later than today', () => {
    expect(computeWarranty(box('2026-05-01'), '2026-04-01').reasons).toContain('The receipt date 2026-05-01 is after 2026-04-01; check the record.');
  });
});

describe('warranty without a receipt date', () => {
  it('falls back to the sale date and says so', () => {
    const answer = computeWarranty(box(null, '2025-03-01'), '2026-02-28');
    expect(answer).toMatchObject({ inWarranty: true, start: '2025-03-01', end: '2026-02-28', basis: 'sale-date' });
    expect(answer.reasons[0]).toMatch(/^Receipt date unknown: counted 12 months from the sale\/delivery date 2025-03-01 instead/);
    expect(computeWarranty(box(null, '2025-03-01'), '2026-03-01').inWarranty).toBe(false);
  });

  it('is unknown when neither date is recorded', () => {
    const answer = computeWarranty({ receiptDate: null, saleDate: undefined }, '2026-01-01');
    expect(answer).toEqual({
      inWarranty: null,
      start: null,
      end: null,
      basis: 'unknown',
      reasons: [
        'Neither the receipt date nor the sale/delivery date is recorded, so the warranty cannot be decided; record the express-delivery signing date.',
      ],
      partWarranties: [],
    });
  });
});

describe('repaired and replaced parts', () => {
  it('carry their own year of warranty from the repair date, outliving the box', () => {
    const answer = computeWarranty(
      { receiptDate: '2025-01-10', saleDate: null, repairedParts: [{ part: '4G module', repairedOn: '2025-11-20' }] },
      '2026-06-01',
    );
    expect(answer.inWarranty).toBe(false);
    expect(answer.partWarranties).toEqual([{ part: '4G module', repairedOn: '2025-11-20', end: '2026-11-19', inWarranty: true }]);
    expect(answer.reasons).toContain(
      "4G module, repaired or replaced on 2025-11-20, has its own warranty through 2026-11-19, still covered though the box's has ended.",
    );
  });

  it('expire a year after the repair', () => {
    const answer = computeWarranty({ receiptDate: null, saleDate: null, repairedParts: [{ part: 'PSU', repairedOn: '2024-02-29' }] }, '2025-03-01');
    expect(answer.inWarranty).toBeNull();
    expect(answer.partWarranties).toEqual([{ part: 'PSU', repairedOn: '2024-02-29', end: '2025-02-28', inWarranty: false }]);
  });
});

describe('the warranty answer schema', () => {
  it('describes every answer computeWarranty gives', () => {
    for (const facts of [box('2025-03-10'), box(null, '2025-03-01'), box(null)]) {
      expect(WarrantyAnswer.safeParse(computeWarranty(facts, '2026-01-01')).success).toBe(true);
    }
  });
});

describe('the reasons in Chinese', () => {
  it('says the box and each part in Chinese, with the same dates', () => {
    const facts = { receiptDate: '2024-06-01', saleDate: null, repairedParts: [{ part: '4G module', repairedOn: '2025-11-20' }] };
    expect(computeWarranty(facts, '2026-01-05', 'zh-CN').reasons).toEqual([
      '自客户签收日期（快递签收日期）2024-06-01 起保修 12 个月。',
      '已过保修期：最后保修日为 2025-05-31。',
      '4G module（2025-11-20 维修或更换）单独保修至 2026-11-19，整机已过保，该部件仍在保修期内。',
    ]);
  });

  it('says a part in both languages for each of its covers', () => {
    for (const cover of ['covered', 'expired', 'outlives-box'] as const) {
      const reason = { kind: 'part', part: 'PLC', repairedOn: '2025-01-01', end: '2025-12-31', cover } as const;
      expect(warrantyReasonIn(reason, 'zh-CN')).toMatch(/^PLC（2025-01-01 维修或更换）单独保修至 2025-12-31/);
      expect(warrantyReasonIn(reason, 'en')).toMatch(/^PLC, repaired or replaced on 2025-01-01, has its own warranty through 2025-12-31/);
    }
  });
});
