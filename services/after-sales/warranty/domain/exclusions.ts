import { z } from 'zod';
import { EpochMs, EvidenceType, MessageId } from '../../../contract/payloads.ts';

import type { Locale } from '../../../kernel/locale.ts';
import { EXCLUSION_IDS, ExclusionId } from '../../../kernel/warranty-exclusion.ts';

// The ids are shared vocabulary (RMA tickets record them); the clauses below are this capability's.
export { EXCLUSION_IDS, ExclusionId };

/** Where in the seed a clause is written, in both languages. */
const SOURCE_NAMES = {
  scope: { en: 'After sales maintenance process, 2. Confirm the warranty period and scope', 'zh-CN': '售后维修流程，二、确认保修期限及范围' },
  notCovered: { en: 'Not covered by the free warranty of MT-BOX smart cloud box', 'zh-CN': 'MT-BOX 智能云盒不在免费保修范围内的情况' },
} as const satisfies Record<string, Words>;

/** The source names in English, as the API has always given them. */
export const EXCLUSION_SOURCES = { scope: SOURCE_NAMES.scope.en, notCovered: SOURCE_NAMES.notCovered.en } as const;

/** A text in both languages side by side. */
type Words = Readonly<Record<Locale, string>>;

interface Clause {
  title: Words;
  /** Our one-sentence reading of the clause, shown in the dialog. */
  clause: Words;
  /**
   * The seed's own words, verbatim in English; the Chinese is the wording a Chinese warranty
   * card uses for the same passage. Several passages when the seed says it twice.
   */
  seed: readonly Words[];
  source: readonly (keyof typeof SOURCE_NAMES)[];
}

// Keyed by id so the compiler insists every exclusion has its clause.
const CLAUSES: Record<ExclusionId, Clause> = {
  'force-majeure': {
    title: { en: 'Force majeure', 'zh-CN': '不可抗力' },
    clause: {
      en: 'Damage caused by force majeure such as fire, flood, electric shock, earthquake or lightning.',
      'zh-CN': '火灾、水灾、电击、地震、雷击等不可抗力造成的损坏。',
    },
    seed: [
      {
        en: 'Product failures caused by irresistible factors such as fire, flood, electric shock and earthquake.',
        'zh-CN': '火灾、水灾、电击、地震等不可抗拒因素造成的产品故障。',
      },
      {
        en: 'Product failure or damage caused by force majeure, such as earthquake, fire, flood, lightning, etc',
        'zh-CN': '地震、火灾、水灾、雷击等不可抗力造成的产品故障或损坏',
      },
    ],
    source: ['scope', 'notCovered'],
  },
  'industrial-accident': {
    title: { en: 'Industrial accident', 'zh-CN': '工业事故' },
    clause: { en: 'Damage caused by an industrial accident.', 'zh-CN': '工业事故造成的损坏。' },
    seed: [{ en: 'Damage caused by industrial accidents', 'zh-CN': '工业事故造成的损坏' }],
    source: ['scope'],
  },
  misuse: {
    title: { en: 'Misuse', 'zh-CN': '误用或滥用' },
    clause: { en: 'Damage caused by misuse or abuse.', 'zh-CN': '误用或滥用造成的损坏。' },
    seed: [{ en: 'Damage caused by industrial accidents, misuse and abuse', 'zh-CN': '工业事故、误用和滥用造成的损坏' }],
    source: ['scope'],
  },
  'burnt-components': {
    title: { en: 'Burnt components', 'zh-CN': '元器件烧毁' },
    clause: { en: 'Serious burning of the electronic components of the circuit boards.', 'zh-CN': '电路板电子元器件严重烧毁。' },
    seed: [{ en: 'serious burning of electronic components of circuit boards.', 'zh-CN': '电路板电子元器件严重烧毁。' }],
    source: ['scope'],
  },
  'unauthorised-modification': {
    title: { en: 'Unauthorised modification', 'zh-CN': '擅自拆修或改装' },
    clause: { en: 'The product was disassembled, repaired or modified without permission.', 'zh-CN': '产品未经许可被拆卸、维修或改装。' },
    seed: [
      {
        en:
          'The product has been disassembled, repaired or modified without permission of the diffuse transportation authority, ' +
          'resulting in severe scratches on the product shell, damage to parts, and damage to labels.',
        'zh-CN': '未经漫途授权擅自拆卸、维修或改装产品，导致产品外壳严重划伤、零部件损坏、标签损坏。',
      },
      { en: 'dismantle the machine for repair without permission', 'zh-CN': '擅自拆机维修' },
    ],
    source: ['scope', 'notCovered'],
  },
  'label-damaged': {
    title: { en: 'Label damaged', 'zh-CN': '标签损坏' },
    clause: { en: 'The barcode or label was altered or torn.', 'zh-CN': '条码或标签被涂改或撕毁。' },
    seed: [{ en: 'Alter or tear the product barcode without authorization', 'zh-CN': '擅自涂改、撕毁产品条码' }],
    source: ['notCovered'],
  },
  'setting-file-altered': {
    title: { en: 'Setting file altered', 'zh-CN': '设置文件被改动' },
    clause: { en: "The box's inherent setting file was altered without permission.", 'zh-CN': '云盒固有的设置文件被擅自改动。' },
    seed: [
      { en: 'Alter the inherent setting file or dismantle the machine for repair without permission', 'zh-CN': '擅自改动固有设置文件或擅自拆机维修' },
    ],
    source: ['notCovered'],
  },
  'instructions-not-followed': {
    title: { en: 'Instructions not followed', 'zh-CN': '未按说明书使用' },
    clause: {
      en: 'Damage from installation, use, maintenance or storage that does not follow the instructions.',
      'zh-CN': '未按说明书安装、使用、维护或保管造成的损坏。',
    },
    seed: [
      {
        en: 'Product failure or damage caused by installation, use, maintenance and storage not in accordance with the instructions',
        'zh-CN': '未按说明书要求安装、使用、维护、保管导致的产品故障或损坏',
      },
    ],
    source: ['notCovered'],
  },
  'high-temperature': {
    title: { en: 'High temperature', 'zh-CN': '高温' },
    clause: { en: 'Damage caused by high temperature.', 'zh-CN': '高温造成的损坏。' },
    seed: [
      {
        en: 'Product damage caused by unexpected factors or human behavior, such as high temperature',
        'zh-CN': '意外因素或人为行为造成的产品损坏，如高温',
      },
    ],
    source: ['notCovered'],
  },
  'water-ingress': {
    title: { en: 'Water ingress', 'zh-CN': '进水' },
    clause: { en: 'Damage caused by water getting into the product.', 'zh-CN': '产品进水造成的损坏。' },
    seed: [
      {
        en: 'Product damage caused by unexpected factors or human behavior, such as ... water ingress',
        'zh-CN': '意外因素或人为行为造成的产品损坏，如……进水',
      },
    ],
    source: ['notCovered'],
  },
  'mechanical-damage': {
    title: { en: 'Mechanical damage', 'zh-CN': '机械损坏' },
    clause: { en: 'Mechanical damage or breakage of the product.', 'zh-CN': '产品机械损坏或破裂。' },
    seed: [
      {
        en: 'Product damage caused by unexpected factors or human behavior, such as ... mechanical damage, breaking',
        'zh-CN': '意外因素或人为行为造成的产品损坏，如……机械损坏、破裂',
      },
    ],
    source: ['notCovered'],
  },
  oxidation: {
    title: { en: 'Oxidation or rust', 'zh-CN': '氧化或锈蚀' },
    clause: { en: 'Serious oxidation or rust of the product.', 'zh-CN': '产品严重氧化或锈蚀。' },
    seed: [
      {
        en: 'Product damage caused by unexpected factors or human behavior, such as ... serious oxidation or rust of products, etc',
        'zh-CN': '意外因素或人为行为造成的产品损坏，如……产品严重氧化或生锈等',
      },
    ],
    source: ['notCovered'],
  },
  'return-transport-damage': {
    title: { en: 'Return transport damage', 'zh-CN': '返修运输损坏' },
    clause: {
      en: 'Damage in transport, loading or unloading while the product was being returned for repair.',
      'zh-CN': '产品寄回维修途中因运输、装卸造成的损坏。',
    },
    seed: [
      {
        en: "Damage caused by transportation, loading and unloading during the customer's return repair",
        'zh-CN': '客户返修途中因运输、装卸造成的损坏',
      },
    ],
    source: ['notCovered'],
  },
  'not-product-fault': {
    title: { en: 'Not a product fault', 'zh-CN': '非产品质量问题' },
    clause: {
      en: 'A fault or damage not caused by the product’s design, technology, manufacturing or quality.',
      'zh-CN': '非产品设计、工艺、制造、质量等原因造成的故障或损坏。',
    },
    seed: [
      {
        en: 'Other faults or damages not caused by product design, technology, manufacturing, quality and other problems.',
        'zh-CN': '其他非产品设计、工艺、制造、质量等问题造成的故障或损坏。',
      },
    ],
    source: ['notCovered'],
  },
  'warranty-expired': {
    title: { en: 'Warranty expired', 'zh-CN': '超出保修期' },
    clause: { en: 'The product is beyond its warranty period.', 'zh-CN': '产品已超出保修期。' },
    seed: [{ en: 'The warranty period has expired', 'zh-CN': '已超出保修期' }],
    source: ['notCovered'],
  },
};

export interface Exclusion {
  id: ExclusionId;
  title: string;
  clause: string;
  seed: readonly string[];
  /** The seed sections the clause is written in, by name. */
  sources: readonly string[];
}

/** One exclusion's clause in `locale`. */
export function exclusionIn(id: ExclusionId, locale: Locale): Exclusion {
  const { title, clause, seed, source } = CLAUSES[id];
  return { id, title: title[locale], clause: clause[locale], seed: seed.map((s) => s[locale]), sources: source.map((s) => SOURCE_NAMES[s][locale]) };
}

/** Every exclusion in `locale`, in the order after-sales reads them. */
export function exclusionsIn(locale: Locale): readonly Exclusion[] {
  return EXCLUSION_IDS.map((id) => exclusionIn(id, locale));
}

export const EXCLUSIONS: readonly Exclusion[] = exclusionsIn('en');

/**
 * Which exclusion each kind of box evidence points to, and why. A suggestion only: nothing
 * is excluded until a person confirms it.
 */
export const EVIDENCE_EXCLUSIONS: Readonly<Record<EvidenceType, readonly { exclusion: ExclusionId; why: string }[]>> = {
  surge: [{ exclusion: 'force-majeure', why: 'a supply surge points to electric shock or lightning' }],
  // Seed names water ingress itself among the damages; a flood (force majeure) is a person's finding.
  water: [{ exclusion: 'water-ingress', why: 'water was detected inside the enclosure' }],
  // Seed: "high temperature" is named among the damages by unexpected factors.
  overtemp: [{ exclusion: 'high-temperature', why: 'the box ran above its rated temperature' }],
  tamper: [{ exclusion: 'unauthorised-modification', why: 'the enclosure was opened' }],
  label: [{ exclusion: 'label-damaged', why: 'the barcode/label was reported altered or torn' }],
  // A power cut is the site's supply failing, not something done to the box.
  'power-loss': [],
};

export const Evidence = z.object({ eventId: MessageId, type: EvidenceType, ts: EpochMs });
export type Evidence = z.infer<typeof Evidence>;

export const ExclusionDecision = z.object({
  by: z.string().trim().min(1).max(200),
  at: EpochMs,
  note: z.string().max(2000),
});
export type ExclusionDecision = z.infer<typeof ExclusionDecision>;

/**
 * One exclusion under consideration for a repair. Suggestions always carry evidence; an
 * exclusion a person added by hand (e.g. return-transport-damage) has none.
 */
export const ExclusionFinding = z.discriminatedUnion('status', [
  z.object({ exclusion: ExclusionId, evidence: z.array(Evidence), status: z.literal('suggested') }),
  z.object({
    exclusion: ExclusionId,
    evidence: z.array(Evidence),
    status: z.enum(['confirmed', 'rejected']),
    decision: ExclusionDecision,
  }),
]);
export type ExclusionFinding = z.infer<typeof ExclusionFinding>;
export type SuggestedExclusion = Extract<ExclusionFinding, { status: 'suggested' }>;

export type ExclusionErrorCode = 'EXCLUSION_NOT_SUGGESTED' | 'EXCLUSION_ALREADY_DECIDED' | 'EXCLUSION_ALREADY_LISTED';

export type ExclusionResult =
  | { ok: true; findings: ExclusionFinding[] }
  | { ok: false; error: { code: ExclusionErrorCode; exclusion: ExclusionId; status?: ExclusionFinding['status'] } };

/** Suggested exclusions for a box's evidence events, one per exclusion with its events by time. */
export function suggestExclusions(events: readonly { id: string; type: EvidenceType; ts: number }[]): SuggestedExclusion[] {
  const byExclusion = new Map<ExclusionId, Map<string, Evidence>>();
  for (const event of events) {
    for (const { exclusion } of EVIDENCE_EXCLUSIONS[event.type]) {
      const evidence = byExclusion.get(exclusion) ?? new Map<string, Evidence>();
      // A redelivered event carries the same id; count it once.
      evidence.set(event.id, { eventId: event.id, type: event.type, ts: event.ts });
      byExclusion.set(exclusion, evidence);
    }
  }
  return EXCLUSION_IDS.flatMap((exclusion) => {
    const evidence = byExclusion.get(exclusion);
    if (!evidence) return [];
    const sorted = [...evidence.values()].sort((a, b) => a.ts - b.ts || (a.eventId < b.eventId ? -1 : 1));
    return [{ exclusion, evidence: sorted, status: 'suggested' as const }];
  });
}

/** A person confirms or rejects a suggested exclusion; a decision is final. */
export function decideExclusion(
  findings: readonly ExclusionFinding[],
  exclusionId: ExclusionId,
  decision: 'confirmed' | 'rejected',
  by: string,
  at: number,
  note: string,
): ExclusionResult {
  const found = findings.find((f) => f.exclusion === exclusionId);
  if (!found) return { ok: false, error: { code: 'EXCLUSION_NOT_SUGGESTED', exclusion: exclusionId } };
  if (found.status !== 'suggested') {
    return { ok: false, error: { code: 'EXCLUSION_ALREADY_DECIDED', exclusion: exclusionId, status: found.status } };
  }
  const decided: ExclusionFinding = { exclusion: exclusionId, evidence: found.evidence, status: decision, decision: { by, at, note } };
  return { ok: true, findings: findings.map((f) => (f === found ? decided : f)) };
}

/**
 * A person adds an exclusion the box could not have reported (e.g. return-transport-damage);
 * adding it is their confirmation.
 */
export function addExclusion(findings: readonly ExclusionFinding[], exclusionId: ExclusionId, by: string, at: number, note: string): ExclusionResult {
  const found = findings.find((f) => f.exclusion === exclusionId);
  if (found) return { ok: false, error: { code: 'EXCLUSION_ALREADY_LISTED', exclusion: exclusionId, status: found.status } };
  const added: ExclusionFinding = { exclusion: exclusionId, evidence: [], status: 'confirmed', decision: { by, at, note } };
  return { ok: true, findings: [...findings, added] };
}

/** Seed: in scope unless a person has confirmed an exclusion; suggestions alone exclude nothing. */
export function inScope(findings: readonly ExclusionFinding[]): boolean {
  return !findings.some((f) => f.status === 'confirmed');
}
