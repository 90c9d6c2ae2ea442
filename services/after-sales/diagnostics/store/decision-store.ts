import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';
import type { TriageDecision } from '../domain/fault-triage.ts';

type Tx = Kysely<Database>;

/** A stored decision as the API serves it: why, by which rule and data version, from which facts. */
export interface DecisionRecord {
  id: number;
  serial: string;
  source: 'fault' | 'event';
  code: string;
  action: string;
  target: { kind: string; id: number } | null;
  ruleId: string;
  rulesVersion: string;
  catalogVersion: string;
  /** In English, as it was said; decisionReasonIn says it in another language. */
  reason: string;
  /** What the reason's placeholders were filled with; null for decisions stored before they were kept. */
  reasonValues: Record<string, string | number | null> | null;
  facts: Record<string, unknown>;
  decidedAt: number;
}

/** A decision as triage stores it. */
export interface NewDecision {
  deviceId: number;
  source: 'fault' | 'event';
  sourceId: number;
  decision: TriageDecision;
  target: { kind: string; id: number } | null;
  at: number;
}

/** The stored row of a decision, as triage's prepared insert binds it. */
export function decisionRow(d: NewDecision) {
  return {
    device_id: d.deviceId,
    source: d.source,
    source_id: d.sourceId,
    code: d.decision.code ?? (d.decision.kind === 'evidence' ? d.decision.facts.type : 'UNKNOWN'),
    action: d.decision.action,
    target_kind: d.target?.kind ?? null,
    target_id: d.target?.id ?? null,
    rule_id: d.decision.ruleId,
    rules_version: d.decision.rulesVersion,
    catalog_version: d.decision.catalogVersion,
    reason: d.decision.reason,
    reason_values: JSON.stringify(d.decision.reasonValues),
    facts: JSON.stringify(d.decision.facts),
    decided_at: d.at,
  };
}

/**
 * Decisions about one box, or the ones that opened or attached to one case, ticket or
 * incident, newest first; `beforeId` continues a page.
 */
export async function listDecisions(
  db: Tx,
  filter: { serial?: string; target?: { kind: string; id: number }; beforeId?: number; limit: number },
): Promise<DecisionRecord[]> {
  let q = db.selectFrom('triage_decisions as t').innerJoin('devices as d', 'd.id', 't.device_id').selectAll('t').select('d.serial');
  if (filter.serial) q = q.where('d.serial', '=', filter.serial);
  if (filter.target) q = q.where('t.target_kind', '=', filter.target.kind).where('t.target_id', '=', filter.target.id);
  if (filter.beforeId !== undefined) q = q.where('t.id', '<', filter.beforeId);
  const rows = await q.orderBy('t.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    serial: r.serial,
    source: r.source,
    code: r.code,
    action: r.action,
    target: r.target_kind && r.target_id !== null ? { kind: r.target_kind, id: r.target_id } : null,
    ruleId: r.rule_id,
    rulesVersion: r.rules_version,
    catalogVersion: r.catalog_version,
    reason: r.reason,
    reasonValues: r.reason_values === null ? null : (JSON.parse(r.reason_values) as Record<string, string | number | null>),
    facts: JSON.parse(r.facts) as Record<string, unknown>,
    decidedAt: Number(r.decided_at),
  }));
}
