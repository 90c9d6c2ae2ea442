import { z } from 'zod';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import type { Locale } from '../../../kernel/locale.ts';
import { MAINTENANCE_PERIOD_CLAUSE } from './maintenance-period.ts';
import {
  BugFeedbackForm,
  Instant,
  MAINTENANCE_SERVICES,
  MaintenanceService,
  PLATFORM_EXCLUSIONS,
  type PlatformExclusion,
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

/*
 * The seed's platform clauses in Chinese beside the English of platform-ticket.ts and
 * maintenance-period.ts, keyed by code, so a Chinese customer reads them in Chinese.
 */
const SERVICE_TITLES_ZH: Readonly<Record<MaintenanceService, string>> = {
  'remote-technical-support': '远程技术支持',
  'reload-deployment': '重新部署',
  database: '数据库',
  'server-hosting': '服务器托管',
};
const EXCLUSION_TEXT_ZH: Readonly<Record<PlatformExclusion, string>> = {
  'self-installed-software': '因客户自行安装软件或修改系统配置，导致系统无法使用。',
  'network-maintenance': '网络设备维护导致服务中断，或互联网阻断导致访问服务器变慢或中断。',
  'hacker-virus-telecom': '黑客、病毒、电信部门技术调整等原因造成的事件。',
  'illegal-operation-third-party': '违规操作、电脑感染病毒，或第三方产品、计算机设备、网络故障。',
};
const MAINTENANCE_PERIOD_CLAUSE_ZH = '售后人员应确认项目是否在维护期内，以及缺陷是否属于维护范围。';

function outOfScopeOf(t: PlatformTicket, locale: Locale): z.infer<typeof PortalOutOfScope> | null {
  if (!t.outOfScope) return null;
  const solutionOffered = t.outOfScope.solutionOffered ?? null;
  const basis = t.outOfScope.basis;
  if (basis.kind === 'maintenance-period-ended') {
    const clause = locale === 'en' ? MAINTENANCE_PERIOD_CLAUSE : MAINTENANCE_PERIOD_CLAUSE_ZH;
    return { kind: basis.kind, clause, clauseNumber: null, endedOn: basis.endedOn, solutionOffered };
  }
  const exclusion = PLATFORM_EXCLUSIONS.find((e) => e.code === basis.exclusion);
  const text = locale === 'en' ? exclusion?.text : EXCLUSION_TEXT_ZH[basis.exclusion];
  return { kind: basis.kind, clause: text ?? basis.exclusion, clauseNumber: exclusion?.clause ?? null, endedOn: null, solutionOffered };
}

/** The customer's view of their platform ticket `id`, the seed's clauses and service titles in `locale`. */
export function portalViewOf(id: number, t: PlatformTicket, locale: Locale): PortalPlatformTicket {
  const service = t.confirmation?.service ? MAINTENANCE_SERVICES.find((s) => s.code === t.confirmation?.service) : undefined;
  return {
    id,
    state: t.state,
    stateSince: t.stateSince,
    form: t.form,
    submittedAt: t.submittedAt,
    confirmedAt: t.confirmation?.confirmedAt ?? null,
    service: service ? { code: service.code, title: locale === 'en' ? service.title : SERVICE_TITLES_ZH[service.code] } : null,
    outOfScope: outOfScopeOf(t, locale),
    repair: t.repair ? { solution: t.repair.solution, agreedBy: t.repair.agreedBy, round: t.repair.round } : null,
    resolution: t.resolution ? { summary: t.resolution.summary, resolvedAt: t.resolution.resolvedAt } : null,
    reopenings: t.reopenings,
    closedAt: t.closure?.closedAt ?? null,
    mayAnswer: t.state === 'resolved',
  };
}
