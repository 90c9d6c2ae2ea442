import { z } from 'zod';
import { EpochMs, EvidenceType, MessageId } from '../../../contract/payloads.ts';

/** Seed: what the warranty does not cover, in the order after-sales reads them. */
export const EXCLUSION_IDS = [
  'force-majeure',
  'industrial-accident',
  'misuse',
  'burnt-components',
  'unauthorised-modification',
  'label-damaged',
  'instructions-not-followed',
  'return-transport-damage',
  'warranty-expired',
] as const;
export const ExclusionId = z.enum(EXCLUSION_IDS);
export type ExclusionId = z.infer<typeof ExclusionId>;

// Keyed by id so the compiler insists every exclusion has its clause.
const CLAUSES: Record<ExclusionId, { title: string; clause: string }> = {
  'force-majeure': {
    title: 'Force majeure',
    clause: 'Damage caused by force majeure such as fire, flood, electric shock, earthquake or lightning.',
  },
  'industrial-accident': { title: 'Industrial accident', clause: 'Damage caused by an industrial accident.' },
  misuse: { title: 'Misuse', clause: 'Damage caused by misuse or improper operation.' },
  'burnt-components': { title: 'Burnt components', clause: 'Burnt-out components.' },
  'unauthorised-modification': {
    title: 'Unauthorised modification',
    clause: 'The product was disassembled, repaired or modified without permission.',
  },
  'label-damaged': { title: 'Label damaged', clause: 'The barcode or label was altered or torn.' },
  'instructions-not-followed': {
    title: 'Instructions not followed',
    clause: 'Damage from installation, use or operating conditions that do not follow the instructions.',
  },
  'return-transport-damage': {
    title: 'Return transport damage',
    clause: 'Damage in transport while the product was being returned for repair.',
  },
  'warranty-expired': { title: 'Warranty expired', clause: 'The product is beyond its warranty period.' },
};

export interface Exclusion {
  id: ExclusionId;
  title: string;
  clause: string;
}
export const EXCLUSIONS: readonly Exclusion[] = EXCLUSION_IDS.map((id) => ({ id, ...CLAUSES[id] }));

/**
 * Which exclusion each kind of box evidence points to, and why. A suggestion only: nothing
 * is excluded until a person confirms it.
 */
export const EVIDENCE_EXCLUSIONS: Readonly<Record<EvidenceType, readonly { exclusion: ExclusionId; why: string }[]>> = {
  surge: [{ exclusion: 'force-majeure', why: 'a supply surge points to electric shock or lightning' }],
  water: [{ exclusion: 'force-majeure', why: 'water inside the enclosure points to flood' }],
  overtemp: [{ exclusion: 'instructions-not-followed', why: 'the box ran above its rated temperature' }],
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
