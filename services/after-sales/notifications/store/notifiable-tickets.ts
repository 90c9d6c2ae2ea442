import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../platform/db/index.ts';
import type { NotifiableTickets } from '../domain/notification-ports.ts';
import type { PlatformSnapshot, RmaSnapshot } from '../domain/notification-rules.ts';

/*
 * The RMA and platform tickets as the notification rules read them. Only the few fields the
 * rules need are parsed from the stored ticket, leniently, so a change elsewhere in its shape
 * does not stop notifications. The organisation comes from the JOIN: an RMA ticket through its
 * box (devices.organisation_id), a platform ticket from its own column.
 */

const Deadline = z.object({ kind: z.string(), dueDate: z.string().optional(), cancelledAt: z.number().nullable().optional() });
const RmaData = z.object({
  ticket: z.object({
    stateSince: z.number(),
    repairReport: z
      .object({ charges: z.object({ totalFen: z.number(), dueFen: z.number().optional() }) })
      .nullable()
      .optional(),
    deadlines: z.array(Deadline).default([]),
    outbound: z.object({ carrier: z.string(), trackingNumber: z.string(), repaired: z.boolean() }).nullable().optional(),
  }),
});
const PlatformData = z.object({
  ticket: z.object({
    stateSince: z.number(),
    form: z.object({ project: z.string() }),
    resolution: z.object({ summary: z.string() }).nullable().optional(),
  }),
});

/** States whose entry may notify; the catch-up scans only these. */
const RMA_NOTIFYING = ['awaiting-decision', 'awaiting-payment', 'shipped-back'];
const PLATFORM_NOTIFYING = ['resolved'];

function dueDate(deadlines: z.infer<typeof Deadline>[], kind: string): string | null {
  return deadlines.filter((d) => d.kind === kind && (d.cancelledAt ?? null) === null).at(-1)?.dueDate ?? null;
}

function rmaSnapshot(r: { id: number; serial: string; state: string; data: string; organisation_id: number | null }): RmaSnapshot | null {
  const parsed = RmaData.safeParse(JSON.parse(r.data));
  if (!parsed.success || r.organisation_id === null) return null;
  const t = parsed.data.ticket;
  const charges = t.repairReport?.charges;
  return {
    id: r.id,
    organisationId: r.organisation_id,
    serial: r.serial,
    state: r.state,
    stateSince: t.stateSince,
    dueFen: charges ? (charges.dueFen ?? charges.totalFen) : null,
    decisionDueDate: dueDate(t.deadlines, 'decision'),
    paymentDueDate: dueDate(t.deadlines, 'payment'),
    outbound: t.outbound ?? null,
  };
}

function platformSnapshot(r: { id: number; state: string; data: string; organisation_id: number | null }): PlatformSnapshot | null {
  const parsed = PlatformData.safeParse(JSON.parse(r.data));
  if (!parsed.success || r.organisation_id === null) return null;
  const t = parsed.data.ticket;
  return {
    id: r.id,
    organisationId: r.organisation_id,
    state: r.state,
    stateSince: t.stateSince,
    project: t.form.project,
    resolutionSummary: t.resolution?.summary ?? null,
  };
}

export function createNotifiableTickets(db: Kysely<Database>): NotifiableTickets {
  const rmaRows = () =>
    db
      .selectFrom('rma_tickets as t')
      .innerJoin('devices as d', 'd.id', 't.device_id')
      .select(['t.id', 't.serial', 't.state', 't.data', 'd.organisation_id'])
      .where('d.organisation_id', 'is not', null);
  const platformRows = () =>
    db.selectFrom('platform_tickets').select(['id', 'state', 'data', 'organisation_id']).where('organisation_id', 'is not', null);
  const some = <R, S>(rows: R[], f: (r: R) => S | null): S[] => rows.map(f).filter((s): s is S => s !== null);
  return {
    async rma(id) {
      const r = await rmaRows().where('t.id', '=', id).executeTakeFirst();
      return r ? rmaSnapshot(r) : null;
    },
    async platform(id) {
      const r = await platformRows().where('id', '=', id).executeTakeFirst();
      return r ? platformSnapshot(r) : null;
    },
    async rmaNeedingAction() {
      return some(await rmaRows().where('t.state', 'in', RMA_NOTIFYING).execute(), rmaSnapshot);
    },
    async platformNeedingAction() {
      return some(await platformRows().where('state', 'in', PLATFORM_NOTIFYING).execute(), platformSnapshot);
    },
  };
}
