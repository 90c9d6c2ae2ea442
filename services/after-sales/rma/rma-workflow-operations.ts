import { AppError } from '../../kernel/app-error.ts';
import { failWith } from '../ticket-core/ticket-service-kit.ts';
import { mayTake } from '../ticket-core/domain/transition-table.ts';
import { computeCharges } from '../warranty/index.ts';
import { recordParameterRestore } from './domain/rma-parameter-restore.ts';
import { applyStandbyAction } from './domain/rma-standby.ts';
import { RMA_TRANSITIONS } from './domain/rma-transition-table.ts';
import { applyTransition } from './domain/rma-transitions.ts';
import type { RmaService, RmaServiceDeps } from './rma-service-types.ts';
import type { TicketWriter } from './rma-ticket-writer.ts';
import { warrantyConfirmationPayload, warrantyWhenReported } from './rma-warranty.ts';

/** The moves of the repair workflow: transitions, the Repair Report, standby units, parameter restore. */
export function createWorkflowOperations(
  deps: RmaServiceDeps,
  writer: TicketWriter,
  get: RmaService['get'],
): Pick<RmaService, 'transition' | 'writeRepairReport' | 'standby' | 'restoreParameters'> {
  const { mutate, rules } = writer;
  return {
    async transition(id, command, actor) {
      await mutate(id, async (row, tx, now) => {
        let payload = command.payload;
        // Seed: after-sales confirms warranty and scope. Without an explicit answer the
        // computed warranty and the person-confirmed exclusions are used; suggestions
        // nobody decided block the confirmation. Derived payloads are worked out only for
        // moves the domain allows, so a forbidden move gets its own refusal.
        if (command.to === 'warranty-confirmed' && mayTake(RMA_TRANSITIONS, row.stored.ticket.state, command.to, actor.role)) {
          const reported = await warrantyWhenReported(tx, deps.repairedParts, row.deviceId, row.stored.ticket.openedAt);
          payload = warrantyConfirmationPayload(row.stored, payload, reported);
        }
        return { result: applyTransition(row.stored.ticket, { ...command, payload }, rules(now, actor)) };
      });
      return get(id);
    },

    async writeRepairReport(id, report, reason, actor) {
      await mutate(id, async (row, tx, now) => {
        const ctx = rules(now, actor);
        if (!mayTake(RMA_TRANSITIONS, row.stored.ticket.state, 'diagnosed', actor.role)) {
          return { result: applyTransition(row.stored.ticket, { to: 'diagnosed', reason }, ctx) };
        }
        const w = row.stored.ticket.warranty;
        // Seed: "The repaired or replaced components have a 1-year warranty from the date of
        // repair": each part's own warranty on the day the fault was reported prices it.
        const today = await warrantyWhenReported(tx, deps.repairedParts, row.deviceId, row.stored.ticket.openedAt);
        const charges = computeCharges({
          inWarranty: w ? w.inWarranty : null,
          inScope: w ? w.inScope : false,
          parts: report.parts,
          ...(report.damageDegree ? { damageDegree: report.damageDegree } : {}),
          partWarranties: today?.partWarranties ?? [],
          freightFen: report.freightFen ?? null,
        });
        if (!charges.ok) throw new AppError(charges.error.code, { message: charges.error.details });
        // A free or parts-only report may leave the damage degree out; the domain has no "none".
        const payload = {
          report: {
            testResults: report.testResults,
            parts: report.parts,
            ...(report.damageDegree ? { damageDegree: report.damageDegree } : {}),
            charges: charges.charges,
          },
        };
        return { result: applyTransition(row.stored.ticket, { to: 'diagnosed', reason, payload }, ctx) };
      });
      return get(id);
    },

    async standby(id, action, actor) {
      await mutate(id, async (row, _tx, now) => ({ result: applyStandbyAction(row.stored.ticket, action, rules(now, actor)) }));
      return get(id);
    },

    async restoreParameters(id, request, actor) {
      if (request.action === 'waive') {
        await mutate(id, async (row, _tx, now) => ({
          result: recordParameterRestore(row.stored.ticket, { outcome: 'waived', reason: request.reason }, rules(now, actor)),
        }));
        return get(id);
      }
      const current = await get(id);
      const backupId = request.backupId ?? current.backup?.snapshotId ?? null;
      if (backupId === null)
        throw new AppError('RMA_NO_BACKUP', { id, hint: 'no pre-repair backup is linked: name a backupId, or waive the restore' });
      if (!deps.restore) throw new AppError('RMA_NO_BACKUP', { id, hint: 'parameter restore is not available' });
      // Checked before touching the box, so a restore is never sent for a ticket that cannot record it.
      const probe = recordParameterRestore(current.ticket, { outcome: 'failed', backupId, mismatches: 0 }, rules(deps.clock(), actor));
      if (!probe.ok) failWith(probe);
      const outcome = await deps.restore(current.ticket.serial, backupId, request.force ?? false, actor);
      const mismatches = Object.keys(outcome.mismatches).length;
      await mutate(id, async (row, _tx, now) => ({
        result: recordParameterRestore(
          row.stored.ticket,
          { outcome: outcome.verified ? 'verified' : 'failed', backupId, mismatches },
          rules(now, actor),
        ),
      }));
      return get(id);
    },
  };
}
