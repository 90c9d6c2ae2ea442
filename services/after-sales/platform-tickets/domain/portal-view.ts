import { z } from 'zod';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { MAINTENANCE_PERIOD_CLAUSE } from './maintenance-period.ts';
import {
  BugFeedbackForm,
  Instant,
  MAINTENANCE_SERVICES,
  MaintenanceService,
  PLATFORM_EXCLUSIONS,
  PlatformState,
  type PlatformTicket,
} from './platform-ticket.ts';

/*
 * A platform ticket as its customer sees it: their form, where it stands, the agreed repair
 * time and what they may answer. Staff names and the audit trail stay with staff.
 */

export const PortalOutOfScope = z.object({
  kind: z.enum(['exclusion', 'maintenance-period-ended']),
  clause: z.string().describe("the seed's clause the decision rests on, in its words"),
  clauseNumber: z.number().int().nullable().describe('the exclusion clause of "Both parties confirm"; null for the maintenance period'),
  endedOn: CalendarDate.nullable().describe('the last day of the maintenance period, when that is the reason'),
  solutionOffered: z.string().nullable(),
});

export const PortalPlatformTicket = z.object({
  id: z.number().int(),
  state: PlatformState,
  stateSince: Instant,
  form: BugFeedbackForm,
  submittedAt: Instant,
  confirmedAt: Instant.nullable(),
  service: z.object({ code: MaintenanceService, title: z.string() }).nullable().describe('the platform service the report is covered by'),
  outOfScope: PortalOutOfScope.nullable(),
  repair: z
    .object({ solution: z.string(), agreedBy: Instant, round: z.number().int() })
    .nullable()
    .describe('the repair agreed with the customer: done by `agreedBy`'),
  resolution: z.object({ summary: z.string(), resolvedAt: Instant }).nullable(),
  reopenings: z.array(z.object({ customerReport: z.string(), at: Instant })),
  closedAt: Instant.nullable(),
  mayAnswer: z.boolean().describe('resolved: the customer is asked whether it is fixed (confirm-fixed / not-fixed)'),
});
export type PortalPlatformTicket = z.infer<typeof PortalPlatformTicket>;

function outOfScopeOf(t: PlatformTicket): z.infer<typeof PortalOutOfScope> | null {
  if (!t.outOfScope) return null;
  const solutionOffered = t.outOfScope.solutionOffered ?? null;
  const basis = t.outOfScope.basis;
  if (basis.kind === 'maintenance-period-ended') {
    return { kind: basis.kind, clause: MAINTENANCE_PERIOD_CLAUSE, clauseNumber: null, endedOn: basis.endedOn, solutionOffered };
  }
  const exclusion = PLATFORM_EXCLUSIONS.find((e) => e.code === basis.exclusion);
  return { kind: basis.kind, clause: exclusion?.text ?? basis.exclusion, clauseNumber: exclusion?.clause ?? null, endedOn: null, solutionOffered };
}

/** The customer's view of their platform ticket `id`. */
export function portalViewOf(id: number, t: PlatformTicket): PortalPlatformTicket {
  const service = t.confirmation?.service ? MAINTENANCE_SERVICES.find((s) => s.code === t.confirmation?.service) : undefined;
  return {
    id,
    state: t.state,
    stateSince: t.stateSince,
    form: t.form,
    submittedAt: t.submittedAt,
    confirmedAt: t.confirmation?.confirmedAt ?? null,
    service: service ? { code: service.code, title: service.title } : null,
    outOfScope: outOfScopeOf(t),
    repair: t.repair ? { solution: t.repair.solution, agreedBy: t.repair.agreedBy, round: t.repair.round } : null,
    resolution: t.resolution ? { summary: t.resolution.summary, resolvedAt: t.resolution.resolvedAt } : null,
    reopenings: t.reopenings,
    closedAt: t.closure?.closedAt ?? null,
    mayAnswer: t.state === 'resolved',
  };
}
