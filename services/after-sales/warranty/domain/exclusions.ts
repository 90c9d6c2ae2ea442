import { z } from 'zod';
import { EpochMs, EvidenceType, MessageId } from '../../../contract/payloads.ts';

import { EXCLUSION_IDS, ExclusionId } from '../../../kernel/warranty-exclusion.ts';

// The ids are shared vocabulary (RMA tickets record them); the clauses below are this capability's.
export { EXCLUSION_IDS, ExclusionId };

/** Where in the seed a clause is written. */
export const EXCLUSION_SOURCES = {
  scope: 'After sales maintenance process, 2. Confirm the warranty period and scope',
  notCovered: 'Not covered by the free warranty of MT-BOX smart cloud box',
} as const;

interface Clause {
  title: string;
  /** Our one-sentence reading of the clause, shown in the dialog. */
  clause: string;
  /** The seed's own words, verbatim; several passages when the seed says it twice. */
  seed: readonly string[];
  source: readonly (keyof typeof EXCLUSION_SOURCES)[];
}

// Keyed by id so the compiler insists every exclusion has its clause.
const CLAUSES: Record<ExclusionId, Clause> = {
  'force-majeure': {
    title: 'Force majeure',
    clause: 'Damage caused by force majeure such as fire, flood, electric shock, earthquake or lightning.',
    seed: [
      'Product failures caused by irresistible factors such as fire, flood, electric shock and earthquake.',
      'Product failure or damage caused by force majeure, such as earthquake, fire, flood, lightning, etc',
    ],
    source: ['scope', 'notCovered'],
  },
  'industrial-accident': {
    title: 'Industrial accident',
    clause: 'Damage caused by an industrial accident.',
    seed: ['Damage caused by industrial accidents'],
    source: ['scope'],
  },
  misuse: {
    title: 'Misuse',
    clause: 'Damage caused by misuse or abuse.',
    seed: ['Damage caused by industrial accidents, misuse and abuse'],
    source: ['scope'],
  },
  'burnt-components': {
    title: 'Burnt components',
    clause: 'Serious burning of the electronic components of the circuit boards.',
    seed: ['serious burning of electronic components of circuit boards.'],
    source: ['scope'],
  },
  'unauthorised-modification': {
    title: 'Unauthorised modification',
    clause: 'The product was disassembled, repaired or modified without permission.',
    seed: [
      'The product has been disassembled, repaired or modified without permission of the diffuse transportation authority, ' +
        'resulting in severe scratches on the product shell, damage to parts, and damage to labels.',
      'dismantle the machine for repair without permission',
    ],
    source: ['scope', 'notCovered'],
  },
  'label-damaged': {
    title: 'Label damaged',
    clause: 'The barcode or label was altered or torn.',
    seed: ['Alter or tear the product barcode without authorization'],
    source: ['notCovered'],
  },
  'setting-file-altered': {
    title: 'Setting file altered',
    clause: "The box's inherent setting file was altered without permission.",
    seed: ['Alter the inherent setting file or dismantle the machine for repair without permission'],
    source: ['notCovered'],
  },
  'instructions-not-followed': {
    title: 'Instructions not followed',
    clause: 'Damage from installation, use, maintenance or storage that does not follow the instructions.',
    seed: ['Product failure or damage caused by installation, use, maintenance and storage not in accordance with the instructions'],
    source: ['notCovered'],
  },
  'high-temperature': {
    title: 'High temperature',
    clause: 'Damage caused by high temperature.',
    seed: ['Product damage caused by unexpected factors or human behavior, such as high temperature'],
    source: ['notCovered'],
  },
  'water-ingress': {
    title: 'Water ingress',
    clause: 'Damage caused by water getting into the product.',
    seed: ['Product damage caused by unexpected factors or human behavior, such as ... water ingress'],
    source: ['notCovered'],
  },
  'mechanical-damage': {
    title: 'Mechanical damage',
    clause: 'Mechanical damage or breakage of the product.',
    seed: ['Product damage caused by unexpected factors or human behavior, such as ... mechanical damage, breaking'],
    source: ['notCovered'],
  },
  oxidation: {
    title: 'Oxidation or rust',
    clause: 'Serious oxidation or rust of the product.',
    seed: ['Product damage caused by unexpected factors or human behavior, such as ... serious oxidation or rust of products, etc'],
    source: ['notCovered'],
  },
  'return-transport-damage': {
    title: 'Return transport damage',
    clause: 'Damage in transport, loading or unloading while the product was being returned for repair.',
    seed: ["Damage caused by transportation, loading and unloading during the customer's return repair"],
    source: ['notCovered'],
  },
  'not-product-fault': {
    title: 'Not a product fault',
    clause: 'A fault or damage not caused by the product’s design, technology, manufacturing or quality.',
    seed: ['Other faults or damages not caused by product design, technology, manufacturing, quality and other problems.'],
    source: ['notCovered'],
  },
  'warranty-expired': {
    title: 'Warranty expired',
    clause: 'The product is beyond its warranty period.',
    seed: ['The warranty period has expired'],
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
export const EXCLUSIONS: readonly Exclusion[] = EXCLUSION_IDS.map((id) => {
  const { source, ...rest } = CLAUSES[id];
  return { id, ...rest, sources: source.map((s) => EXCLUSION_SOURCES[s]) };
});

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
