import { z } from 'zod';
import { NoteText, Reason } from '../../../kernel/common-schemas.ts';
import { Locale } from '../../../kernel/locale.ts';
import { cursorParam, IdKey, PageLimit } from '../../../kernel/page-cursor.ts';
// An audit line as served: the audit log's own schema.
import { AuditEntry as AuditView } from '../../../platform/audit/index.ts';
import { Serial } from '../../../contract/serial.ts';
import { CatalogEntry, DataVersion } from '../domain/fault-catalog.ts';
import { IncidentState } from '../domain/fleet-incident.ts';
import { CaseState } from '../domain/remote-case.ts';

/** HTTP schemas of the diagnostics API: catalog, triage decisions, remote cases, fleet incidents. */

export const CatalogView = z.object({
  version: DataVersion,
  rulesVersion: DataVersion,
  lang: Locale.describe('the language of every title and step in this answer'),
  entries: z.array(CatalogEntry),
});

export const DecisionView = z.object({
  id: z.number().int(),
  serial: Serial,
  source: z.enum(['fault', 'event']),
  code: z.string(),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.number().int() }).nullable(),
  ruleId: z.string(),
  rulesVersion: z.string(),
  catalogVersion: z.string(),
  reason: z.string().describe('why this action, in a sentence'),
  facts: z.record(z.string(), z.unknown()).describe('the facts the rule decided from'),
  decidedAt: z.number().int(),
});

const Note = z.object({ at: z.number().int(), by: z.string(), text: z.string() });

export const CaseView = z.object({
  id: z.number().int(),
  serial: Serial,
  code: z.string(),
  state: CaseState,
  queue: z.string(),
  openedAt: z.number().int(),
  openedBy: z.string(),
  updatedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  incidentId: z.number().int().nullable(),
  faultCount: z.number().int(),
  lastFaultAt: z.number().int().nullable(),
  notes: z.array(Note),
});

export const CaseDetailView = CaseView.extend({
  decisions: z.array(DecisionView),
  audit: z.array(AuditView),
  steps: z.array(z.string()).describe("the catalog's guidance steps for the code"),
  ticketId: z.number().int().nullable().describe('the RMA ticket an escalation opened'),
  allowedTransitions: z.array(CaseState).describe("the states the case's transition table allows from its current state"),
});

export const IncidentView = z.object({
  id: z.number().int(),
  code: z.string(),
  model: z.string(),
  firmware: z.string(),
  state: IncidentState,
  openedAt: z.number().int(),
  updatedAt: z.number().int(),
  resolvedAt: z.number().int().nullable(),
  boxCount: z.number().int(),
  serials: z.array(Serial).describe('affected boxes, first 20 in lists'),
  note: z.string(),
});

export const IncidentDetailView = IncidentView.extend({
  decisions: z.array(DecisionView),
  audit: z.array(AuditView),
  allowedTransitions: z.array(IncidentState).describe("the states the incident's transition table allows from its current state"),
});

const cursor = cursorParam(IdKey).optional();
export const CaseQuery = z.object({ serial: Serial.optional(), state: CaseState.optional(), limit: PageLimit, cursor });
export const IncidentQuery = z.object({ state: IncidentState.optional(), limit: PageLimit, cursor });
export const DecisionQuery = z.object({ limit: PageLimit, cursor });
/** Filters apply before paging, so every page but the last is full. */
export const FILTERED_PAGE = 'newest first; every filter applies before paging, so a page is full unless it is the last';
export const CaseTransitionBody = z.object({ to: CaseState, reason: Reason }).strict();
export const IncidentTransitionBody = z.object({ to: IncidentState, reason: Reason }).strict();
export const NoteBody = z.object({ text: NoteText }).strict();
