import { IdParams } from '../../../kernel/common-schemas.ts';
import { arrayPage, beforeIdOf, DEFAULT_PAGE, NEXT_CURSOR_HEADER_DOC } from '../../../kernel/page-cursor.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import { type DeviceRegistry, requireDevice, SerialParams } from '../../../edge/registry/index.ts';
import type { CaseService } from '../case-service.ts';
import type { CatalogIndex } from '../domain/fault-catalog.ts';
import type { TriageRules } from '../domain/triage-rules.ts';
import type { DecisionRecord } from '../store/decision-store.ts';
import { decisionReasonIn } from '../domain/decision-reason.ts';
import type { Locale } from '../../../kernel/locale.ts';
import {
  CaseDetailView,
  CaseQuery,
  CaseTransitionBody,
  CaseView,
  CatalogView,
  DecisionQuery,
  DecisionView,
  FILTERED_PAGE,
  IncidentDetailView,
  IncidentQuery,
  IncidentTransitionBody,
  IncidentView,
  NoteBody,
} from './diagnostics-schemas.ts';
import { z } from 'zod';

/** What the diagnostics routes need. */
export interface DiagnosticsRouteDeps {
  catalog: CatalogIndex;
  rules: TriageRules;
  cases: CaseService;
  registry: DeviceRegistry;
  /** Triage decisions about one box, newest first; `beforeId` continues a page. */
  decisions(filter: { serial: string; beforeId?: number; limit: number }): Promise<DecisionRecord[]>;
}

const defineRoute = routesFor<DiagnosticsRouteDeps>();

/** A case or incident view with its decisions' reasons in `locale`. */
function withReasonsIn<V extends { decisions: DecisionRecord[] }>(view: V, locale: Locale, deps: DiagnosticsRouteDeps): V {
  return { ...view, decisions: view.decisions.map((d) => ({ ...d, reason: decisionReasonIn(d, locale, deps.rules, deps.catalog) })) };
}

export const diagnosticsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/catalog',
    summary:
      'The fault-code catalog: what each code means, its remedy class and the guidance steps, in English or Simplified Chinese: `?lang=` (en, zh-CN) wins, else the best match of the Accept-Language header, else English; `lang` in the answer says which',
    tag: 'diagnostics',
    access: 'aftersales:read',
    localized: true,
    response: CatalogView,
    async handler({ locale, deps }) {
      const { catalog, rules } = deps;
      return { version: catalog.version, rulesVersion: rules.version, lang: locale, entries: [...catalog.entriesIn(locale)] };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/decisions',
    summary: "Triage decisions about the box's faults and events, newest first, each with its rule and reason, a page at a time",
    tag: 'diagnostics',
    access: 'aftersales:read',
    params: SerialParams,
    query: DecisionQuery,
    localized: true,
    response: z.array(DecisionView).describe(FILTERED_PAGE),
    responseHeaders: NEXT_CURSOR_HEADER_DOC,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps, res, locale }) {
      const device = await requireDevice(deps.registry, params.sn);
      const limit = query.limit ?? DEFAULT_PAGE;
      const decisions = await deps.decisions({ serial: device.serial, ...beforeIdOf(query.cursor), limit: limit + 1 });
      return arrayPage(res, decisions, limit, (d) => d.id).map((d) => ({ ...d, reason: decisionReasonIn(d, locale, deps.rules, deps.catalog) }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/cases',
    summary: 'Remote-guidance cases, newest first, filtered by box or state, a page of `limit` (default 100) at a time',
    tag: 'diagnostics',
    access: 'aftersales:read',
    query: CaseQuery,
    response: z.array(CaseView).describe(FILTERED_PAGE),
    responseHeaders: NEXT_CURSOR_HEADER_DOC,
    async handler({ query, deps, res }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const cases = await deps.cases.list({
        ...(query.serial ? { serial: query.serial } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...beforeIdOf(query.cursor),
        limit: limit + 1,
      });
      return arrayPage(res, cases, limit, (c) => c.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/cases/:id',
    summary: 'One remote case with the triage decisions behind it, its guidance steps and audit trail',
    tag: 'diagnostics',
    access: 'aftersales:read',
    params: IdParams,
    localized: true,
    response: CaseDetailView,
    errors: ['CASE_NOT_FOUND'],
    handler: async ({ params, deps, locale }) => withReasonsIn(await deps.cases.get(params.id), locale, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/cases/:id/transitions',
    summary: 'Moves a remote case on (in-progress, resolved-remotely, abandoned, or escalated, which opens an RMA ticket)',
    tag: 'diagnostics',
    access: 'cases:write',
    params: IdParams,
    body: CaseTransitionBody,
    localized: true,
    response: CaseDetailView,
    errors: ['CASE_NOT_FOUND', 'CASE_INVALID_TRANSITION'],
    handler: async ({ params, body, user, deps, locale }) =>
      withReasonsIn(await deps.cases.transition(params.id, body.to, user, body.reason), locale, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/cases/:id/notes',
    summary: 'Adds a note to a remote case',
    tag: 'diagnostics',
    access: 'cases:write',
    params: IdParams,
    body: NoteBody,
    localized: true,
    response: CaseDetailView,
    errors: ['CASE_NOT_FOUND'],
    handler: async ({ params, body, user, deps, locale }) => withReasonsIn(await deps.cases.note(params.id, user, body.text), locale, deps),
  }),
  defineRoute({
    method: 'get',
    path: '/api/incidents',
    summary: 'Fleet incidents: one code on many boxes of one model and firmware, newest first, filtered by state, a page at a time',
    tag: 'diagnostics',
    access: 'aftersales:read',
    query: IncidentQuery,
    response: z.array(IncidentView).describe(FILTERED_PAGE),
    responseHeaders: NEXT_CURSOR_HEADER_DOC,
    async handler({ query, deps, res }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const incidents = await deps.cases.listIncidents({
        ...(query.state ? { state: query.state } : {}),
        ...beforeIdOf(query.cursor),
        limit: limit + 1,
      });
      return arrayPage(res, incidents, limit, (i) => i.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/incidents/:id',
    summary: 'One fleet incident with its boxes, decisions and audit trail',
    tag: 'diagnostics',
    access: 'aftersales:read',
    params: IdParams,
    localized: true,
    response: IncidentDetailView,
    errors: ['INCIDENT_NOT_FOUND'],
    handler: async ({ params, deps, locale }) => withReasonsIn(await deps.cases.getIncident(params.id), locale, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/incidents/:id/transitions',
    summary: 'Acknowledges or resolves a fleet incident',
    tag: 'diagnostics',
    access: 'incidents:write',
    params: IdParams,
    body: IncidentTransitionBody,
    localized: true,
    response: IncidentDetailView,
    errors: ['INCIDENT_NOT_FOUND', 'INCIDENT_INVALID_TRANSITION'],
    handler: async ({ params, body, user, deps, locale }) =>
      withReasonsIn(await deps.cases.transitionIncident(params.id, body.to, user, body.reason), locale, deps),
  }),
];
