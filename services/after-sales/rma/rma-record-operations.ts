import { appendAudit } from '../../platform/audit/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import { addExclusion, decideExclusion } from '../warranty/index.ts';
import { recordCustomerRemittance } from './domain/rma-customer-remittance.ts';
import { exclusionDecisionRefusal } from './domain/rma-exclusion-rules.ts';
import type { RmaService, RmaServiceDeps } from './rma-service-types.ts';
import type { TicketWriter } from './rma-ticket-writer.ts';

/** Changes to the after-sales record around a ticket that do not move it: exclusions, notes, backups. */
export function createRecordOperations(
  deps: RmaServiceDeps,
  writer: TicketWriter,
  get: RmaService['get'],
): Pick<RmaService, 'decideExclusion' | 'addNote' | 'recordBackup' | 'recordRemittance'> {
  const { mutate, rules } = writer;
  return {
    async decideExclusion(id, d, actor) {
      await mutate(id, async (row, tx, now) => {
        const refusal = exclusionDecisionRefusal(row.stored.ticket.state, actor.role);
        if (refusal) throw new AppError(refusal.code, refusal);
        const r =
          d.decision === 'added'
            ? addExclusion(row.stored.exclusions, d.exclusion, actor.username, now, d.note)
            : decideExclusion(row.stored.exclusions, d.exclusion, d.decision, actor.username, now, d.note);
        if (!r.ok) throw new AppError(r.error.code, r.error);
        await appendAudit(tx, {
          entityKind: 'rma',
          entityId: id,
          at: now,
          actor: actor.username,
          action: `exclusion-${d.decision}`,
          from: null,
          to: null,
          reason: d.note,
          data: { exclusion: d.exclusion },
        });
        return { result: null, stored: { ...row.stored, exclusions: r.findings } };
      });
      return get(id);
    },

    async addNote(id, text, actor) {
      await mutate(id, async (row, _tx, now) => ({
        result: null,
        stored: { ...row.stored, notes: [...row.stored.notes, { at: now, by: actor.username, text }] },
      }));
      return get(id);
    },

    async recordRemittance(id, report, actor) {
      await mutate(id, async (row, _tx, now) => ({ result: recordCustomerRemittance(row.stored.ticket, report, rules(now, actor)) }));
      return get(id);
    },

    async recordBackup(id, snapshotId) {
      await mutate(id, async (row) => ({
        result: null,
        stored: { ...row.stored, backup: { requestedAt: row.stored.backup?.requestedAt ?? deps.clock(), snapshotId } },
      }));
    },
  };
}
