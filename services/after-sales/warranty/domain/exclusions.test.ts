import { describe, expect, it } from 'vitest';
import { EVIDENCE_TYPES, type EvidenceType } from '../../../contract/payloads.ts';
import {
  addExclusion,
  decideExclusion,
  EVIDENCE_EXCLUSIONS,
  EXCLUSION_IDS,
  EXCLUSIONS,
  exclusionIn,
  exclusionsIn,
  ExclusionFinding,
  ExclusionId,
  inScope,
  suggestExclusions,
  type ExclusionFinding as Finding,
} from './exclusions.ts';

const T = Date.UTC(2026, 2, 9, 2);
const event = (id: string, type: EvidenceType, ts = T) => ({ id, type, ts });

function ok(result: ReturnType<typeof decideExclusion>): Finding[] {
  if (!result.ok) throw new Error(`unexpected ${result.error.code}`);
  return result.findings;
}

describe('the scope exclusion list', () => {
  it('lists every seed exclusion with a title and clause', () => {
    expect(EXCLUSIONS.map((e) => e.id)).toEqual([
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
    ]);
    for (const e of EXCLUSIONS) {
      expect(e.title, e.id).not.toBe('');
      expect(e.clause, e.id).not.toBe('');
    }
  });

  // The seed's clauses, verbatim, and the exclusion each one is recorded as.
  it.each([
    ['Product failures caused by irresistible factors such as fire, flood, electric shock and earthquake.', 'force-majeure'],
    ['Damage caused by industrial accidents', 'industrial-accident'],
    ['misuse and abuse', 'misuse'],
    ['serious burning of electronic components of circuit boards', 'burnt-components'],
    ['disassembled, repaired or modified without permission', 'unauthorised-modification'],
    ['The warranty period has expired', 'warranty-expired'],
    ['installation, use, maintenance and storage not in accordance with the instructions', 'instructions-not-followed'],
    ['Alter or tear the product barcode without authorization', 'label-damaged'],
    ['Alter the inherent setting file', 'setting-file-altered'],
    ['high temperature', 'high-temperature'],
    ['water ingress', 'water-ingress'],
    ['mechanical damage, breaking', 'mechanical-damage'],
    ['serious oxidation or rust of products', 'oxidation'],
    ["Damage caused by transportation, loading and unloading during the customer's return repair", 'return-transport-damage'],
    ['caused by force majeure, such as earthquake, fire, flood, lightning', 'force-majeure'],
    ['Other faults or damages not caused by product design, technology, manufacturing, quality and other problems.', 'not-product-fault'],
  ] as const)('seed: "%s" is the exclusion %s, quoted in the seed\'s words', (words, id) => {
    const entry = EXCLUSIONS.find((e) => e.id === id);
    expect(entry?.seed.some((quote) => quote.includes(words))).toBe(true);
    expect(entry?.sources.length).toBeGreaterThan(0);
  });

  it('seed: every exclusion quotes the seed and names the section it is written in', () => {
    for (const e of EXCLUSIONS) {
      expect(e.seed.length, e.id).toBeGreaterThan(0);
      for (const s of e.sources)
        expect([
          'After sales maintenance process, 2. Confirm the warranty period and scope',
          'Not covered by the free warranty of MT-BOX smart cloud box',
        ]).toContain(s);
    }
  });

  it('refuses free text in words that name the list', () => {
    const r = ExclusionId.safeParse('box fell off the truck');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(`not an exclusion of the warranty terms: choose one of ${EXCLUSION_IDS.join(', ')}`);
  });

  it('names fire, flood, electric shock, earthquake and lightning as force majeure', () => {
    const clause = EXCLUSIONS.find((e) => e.id === 'force-majeure')?.clause;
    for (const word of ['fire', 'flood', 'electric shock', 'earthquake', 'lightning']) expect(clause).toContain(word);
  });

  it('counts disassembly, repair or modification without permission as unauthorised', () => {
    expect(EXCLUSIONS.find((e) => e.id === 'unauthorised-modification')?.clause).toMatch(/disassembled, repaired or modified without permission/);
    expect(EXCLUSIONS.find((e) => e.id === 'label-damaged')?.clause).toMatch(/altered or torn/);
  });
});

describe('evidence from the box suggests exclusions', () => {
  it('maps every evidence type the box reports', () => {
    expect(Object.keys(EVIDENCE_EXCLUSIONS).sort()).toEqual([...EVIDENCE_TYPES].sort());
  });

  it.each([
    ['surge', 'force-majeure'],
    // Seed: water ingress is named among the damages not covered.
    ['water', 'water-ingress'],
    ['overtemp', 'high-temperature'],
    ['tamper', 'unauthorised-modification'],
    ['label', 'label-damaged'],
  ] as const)('suggests %s evidence as %s', (type, exclusion) => {
    expect(suggestExclusions([event('e1', type)])).toEqual([{ exclusion, evidence: [{ eventId: 'e1', type, ts: T }], status: 'suggested' }]);
  });

  it('suggests nothing for a power loss', () => {
    expect(suggestExclusions([event('e1', 'power-loss')])).toEqual([]);
  });

  it('groups evidence per exclusion in time order and counts a redelivered event once', () => {
    const findings = suggestExclusions([
      event('w1', 'water', T + 2),
      event('t1', 'tamper', T),
      event('s1', 'surge', T + 1),
      event('w1', 'water', T + 2),
      event('s2', 'surge', T + 3),
      event('p1', 'power-loss'),
    ]);
    expect(findings).toEqual([
      {
        exclusion: 'force-majeure',
        evidence: [
          { eventId: 's1', type: 'surge', ts: T + 1 },
          { eventId: 's2', type: 'surge', ts: T + 3 },
        ],
        status: 'suggested',
      },
      { exclusion: 'unauthorised-modification', evidence: [{ eventId: 't1', type: 'tamper', ts: T }], status: 'suggested' },
      { exclusion: 'water-ingress', evidence: [{ eventId: 'w1', type: 'water', ts: T + 2 }], status: 'suggested' },
    ]);
  });

  it('leaves the repair in scope while exclusions are only suggested', () => {
    expect(inScope(suggestExclusions([event('t1', 'tamper'), event('s1', 'surge')]))).toBe(true);
    expect(inScope([])).toBe(true);
  });
});

describe('a person decides each suggestion', () => {
  const suggested = suggestExclusions([event('t1', 'tamper'), event('s1', 'surge')]);

  it('takes the repair out of scope once an exclusion is confirmed', () => {
    const findings = ok(decideExclusion(suggested, 'unauthorised-modification', 'confirmed', 'li.wei', T + 60_000, 'screws replaced, seal broken'));
    expect(findings[1]).toEqual({
      exclusion: 'unauthorised-modification',
      evidence: [{ eventId: 't1', type: 'tamper', ts: T }],
      status: 'confirmed',
      decision: { by: 'li.wei', at: T + 60_000, note: 'screws replaced, seal broken' },
    });
    expect(inScope(findings)).toBe(false);
    // The input list is left as it was.
    expect(suggested[1]?.status).toBe('suggested');
  });

  it('keeps the repair in scope when the suggestion is rejected', () => {
    const findings = ok(decideExclusion(suggested, 'force-majeure', 'rejected', 'li.wei', T, 'surge was the site test, box intact'));
    expect(findings[0]?.status).toBe('rejected');
    expect(inScope(findings)).toBe(true);
  });

  it('refuses to decide an exclusion that was not suggested', () => {
    expect(decideExclusion(suggested, 'misuse', 'confirmed', 'li.wei', T, '')).toEqual({
      ok: false,
      error: { code: 'EXCLUSION_NOT_SUGGESTED', exclusion: 'misuse' },
    });
  });

  it('refuses to decide the same exclusion twice', () => {
    const once = ok(decideExclusion(suggested, 'force-majeure', 'rejected', 'li.wei', T, ''));
    expect(decideExclusion(once, 'force-majeure', 'confirmed', 'zhang.min', T + 1, '')).toEqual({
      ok: false,
      error: { code: 'EXCLUSION_ALREADY_DECIDED', exclusion: 'force-majeure', status: 'rejected' },
    });
  });

  it('lets a person add an exclusion the box cannot report, confirmed by adding it', () => {
    const findings = ok(addExclusion(suggested, 'return-transport-damage', 'li.wei', T, 'carton crushed on arrival'));
    expect(findings.at(-1)).toEqual({
      exclusion: 'return-transport-damage',
      evidence: [],
      status: 'confirmed',
      decision: { by: 'li.wei', at: T, note: 'carton crushed on arrival' },
    });
    expect(inScope(findings)).toBe(false);
  });

  it('refuses to add an exclusion already on the list', () => {
    expect(addExclusion(suggested, 'force-majeure', 'li.wei', T, '')).toEqual({
      ok: false,
      error: { code: 'EXCLUSION_ALREADY_LISTED', exclusion: 'force-majeure', status: 'suggested' },
    });
  });

  it('produces findings the schema accepts', () => {
    const findings = ok(addExclusion(suggested, 'misuse', 'li.wei', T, ''));
    for (const f of findings) expect(ExclusionFinding.safeParse(f).success).toBe(true);
    expect(EXCLUSION_IDS).toHaveLength(15);
  });
});

describe('the clauses in both languages', () => {
  it('has every exclusion in every language, the same passages in each', () => {
    for (const id of EXCLUSION_IDS) {
      const en = exclusionIn(id, 'en');
      const zh = exclusionIn(id, 'zh-CN');
      for (const text of [zh.title, zh.clause, ...zh.seed, ...zh.sources]) expect(text).toMatch(/\p{Script=Han}/u);
      for (const text of [en.title, en.clause, ...en.seed, ...en.sources]) expect(text).not.toMatch(/\p{Script=Han}/u);
      expect(zh.seed).toHaveLength(en.seed.length);
      expect(zh.sources).toHaveLength(en.sources.length);
    }
  });

  it('names them as a Chinese warranty card does', () => {
    expect(exclusionIn('force-majeure', 'zh-CN').title).toBe('不可抗力');
    expect(exclusionIn('water-ingress', 'zh-CN').title).toBe('进水');
    expect(exclusionIn('warranty-expired', 'zh-CN').title).toBe('超出保修期');
  });

  it('keeps the English the API has always given', () => {
    expect(exclusionsIn('en')).toEqual(EXCLUSIONS);
  });
});
