import { EpochMs } from '../../../contract/payloads.ts';
import { z } from 'zod';
import { Role } from '../../../kernel/roles.ts';
import { CalendarDate } from '../../../kernel/calendar-date.ts';

/**
 * The seed's "Project maintenance" of the MTIC cloud platform:
 * BUG Feedback Form on the PMS → both parties confirm → repair at the agreed time → end.
 */
export const PLATFORM_STATES = ['submitted', 'confirmed', 'out-of-scope', 'repairing', 'resolved', 'closed'] as const;
export const PlatformState = z.enum(PLATFORM_STATES);
export type PlatformState = z.infer<typeof PlatformState>;

export const Instant = EpochMs;
const Text = (max: number) => z.string().trim().min(1).max(max);

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** The BUG Feedback Form the customer submits on the PMS. */
export const BugFeedbackForm = z.strictObject({
  project: Text(200),
  reporter: Text(200),
  contact: Text(200),
  // Notice to customers: "faithfully record and report the current fault phenomenon".
  description: Text(8000),
  severity: Severity,
  occurredAt: Instant,
});
export type BugFeedbackForm = z.infer<typeof BugFeedbackForm>;

/**
 * Seed, "Both parties confirm": what is not within the maintenance scope, one row per
 * clause, so a refusal names the clause it rests on.
 */
export const PLATFORM_EXCLUSIONS = [
  {
    code: 'self-installed-software',
    clause: 1,
    text: "The system cannot be used due to the customer's self installation of software or system configuration.",
  },
  {
    code: 'network-maintenance',
    clause: 2,
    text: 'Network equipment maintenance interrupts the service, or Internet blocking slows or interrupts access to the server.',
  },
  { code: 'hacker-virus-telecom', clause: 3, text: 'Events caused by hackers, viruses, technical adjustments of telecommunication departments.' },
  {
    code: 'illegal-operation-third-party',
    clause: 4,
    text: 'Illegal operation, virus infection of computers, or failure of third-party products, computer equipment or network.',
  },
] as const;
export const PlatformExclusion = z.enum(
  PLATFORM_EXCLUSIONS.map((e) => e.code) as [(typeof PLATFORM_EXCLUSIONS)[number]['code'], ...(typeof PLATFORM_EXCLUSIONS)[number]['code'][]],
);
export type PlatformExclusion = z.infer<typeof PlatformExclusion>;

/**
 * Seed, "MTIC Internet of Things Cloud Platform": the services platform maintenance provides,
 * one row per clause in the seed's words; confirming a report in scope names the one it
 * falls under. Clause 4, "Technical solution support", is no service of its own: problems it
 * names are out of scope and get only a suggested solution (`solutionOffered`).
 */
export const MAINTENANCE_SERVICES = [
  {
    code: 'remote-technical-support',
    clause: 2,
    title: 'Remote technical support',
    text: 'During the operation and maintenance period, Party B shall provide remote technical support for the use problems caused by system bugs, software provided by Party B, such as tomcat, nginx, mysql, phpstudy, etc., CPU, memory, disk utilization optimization, etc.',
  },
  {
    code: 'reload-deployment',
    clause: 3,
    title: 'Reload Deployment',
    text: 'For problems caused by hardware or system, provide corresponding software reinstallation and deployment services.',
  },
  {
    code: 'database',
    clause: 5,
    title: 'Database',
    text: 'Database export backup, import update service, and maintain the normal operation of the database background.',
  },
  { code: 'server-hosting', clause: 6, title: 'Server Hosting', text: 'ECS operation and maintenance, daily data backup.' },
] as const;
export const MaintenanceService = z.enum(
  MAINTENANCE_SERVICES.map((s) => s.code) as [(typeof MAINTENANCE_SERVICES)[number]['code'], ...(typeof MAINTENANCE_SERVICES)[number]['code'][]],
);
export type MaintenanceService = z.infer<typeof MaintenanceService>;

/** Why a report is out of scope: an exclusion applies, or the maintenance period is over. */
export const OutOfScopeBasis = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exclusion'), exclusion: PlatformExclusion }),
  z.strictObject({ kind: z.literal('maintenance-period-ended'), endedOn: CalendarDate }),
]);
export type OutOfScopeBasis = z.infer<typeof OutOfScopeBasis>;

export const PLATFORM_DEADLINE_KINDS = ['agreed-repair'] as const;
export const PlatformDeadlineKind = z.enum(PLATFORM_DEADLINE_KINDS);
export type PlatformDeadlineKind = z.infer<typeof PlatformDeadlineKind>;

/** The repair time agreed with the customer is an instant, so no calendar is involved. */
export const PlatformDeadline = z.strictObject({
  kind: PlatformDeadlineKind,
  scheduledAt: Instant,
  dueAt: Instant,
  firedAt: Instant.nullable(),
  cancelledAt: Instant.nullable(),
});
export type PlatformDeadline = z.infer<typeof PlatformDeadline>;

export const PlatformActor = z.strictObject({ username: Text(100), role: Role });
export type PlatformActor = z.infer<typeof PlatformActor>;

/** A maintenance ticket for one MTIC platform project. Plain JSON: stored as is. */
export const PlatformTicket = z.strictObject({
  id: z.string().min(1),
  state: PlatformState,
  stateSince: Instant,
  form: BugFeedbackForm,
  submittedBy: z.string(),
  submittedAt: Instant,
  confirmation: z
    .strictObject({
      confirmedBy: z.string(),
      confirmedAt: Instant,
      maintenancePeriodEndsOn: CalendarDate.optional(),
      /** The seed's platform service the report is covered by (MAINTENANCE_SERVICES). */
      service: MaintenanceService.optional(),
      note: z.string().optional(),
    })
    .nullable(),
  outOfScope: z
    .strictObject({
      basis: OutOfScopeBasis,
      // Seed, "Technical solution support": out-of-scope problems still get a suggested solution.
      solutionOffered: z.string().optional(),
      decidedBy: z.string(),
      decidedAt: Instant,
    })
    .nullable(),
  repair: z.strictObject({ solution: z.string(), agreedBy: Instant, agreedAt: Instant, round: z.number().int().min(1) }).nullable(),
  resolution: z.strictObject({ summary: z.string(), resolvedBy: z.string(), resolvedAt: Instant }).nullable(),
  reopenings: z.array(z.strictObject({ customerReport: z.string(), at: Instant })),
  closure: z.strictObject({ closedBy: z.string(), closedAt: Instant }).nullable(),
  deadlines: z.array(PlatformDeadline),
});
export type PlatformTicket = z.infer<typeof PlatformTicket>;
