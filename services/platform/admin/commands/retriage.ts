import { z } from 'zod';
import { composeServices, type EdgeLink } from '../../../compose-services.ts';
import { appendAudit } from '../../audit/index.ts';
import { DATABASE_FILE, openSqlite, type Db } from '../../db/index.ts';
import { createLogger } from '../../logger.ts';
import { AdminRefusal, defineCommand, type AdminContext } from '../admin-command.ts';
import { NoPositionals } from './account-support.ts';

/** The server is stopped: there is no broker, so nothing reaches a box. */
const NO_BROKER: EdgeLink = {
  publishCommand: () => Promise.reject(new Error('the admin CLI reaches no box')),
  isConnected: () => false,
  disconnect: () => undefined,
  stats: () => ({}),
};

/**
 * Sets the fault's decision aside for a new one. The model keeps one decision per fault
 * (unique source, source_id), so the old decision goes, whole, into an audit line of the box
 * written in the same transaction: it is never lost, and the audit log cannot be edited.
 */
async function setAside(db: Db, ctx: AdminContext, faultId: number) {
  return db.transaction().execute(async (tx) => {
    const fault = await tx.selectFrom('faults').select(['id', 'device_id', 'code', 'triaged_at']).where('id', '=', faultId).executeTakeFirst();
    if (!fault) throw new AdminRefusal(`no fault has id ${faultId}; nothing was done`);
    const old = await tx.selectFrom('triage_decisions').selectAll().where('source', '=', 'fault').where('source_id', '=', faultId).executeTakeFirst();
    if (old) {
      await appendAudit(tx, {
        entityKind: 'device',
        entityId: fault.device_id,
        at: ctx.clock(),
        actor: ctx.operator,
        action: 'triage.decision-replaced',
        from: old.action,
        to: null,
        reason: `the decision on fault ${faultId} is taken again (npm run admin -- retriage); this was the one it replaces`,
        data: {
          faultId,
          decision: {
            ...old,
            facts: JSON.parse(old.facts) as unknown,
            reason_values: old.reason_values === null ? null : (JSON.parse(old.reason_values) as unknown),
          },
        },
      });
      await tx.deleteFrom('triage_decisions').where('id', '=', old.id).execute();
    }
    await tx.updateTable('faults').set({ triaged_at: null }).where('id', '=', faultId).execute();
    return { deviceId: fault.device_id, code: fault.code, old: old ?? null };
  });
}

/**
 * Takes the triage decision on one stored fault again, through the diagnostics service the
 * server runs (composed here over the same data as at start-up: the catalog, the rules, the
 * boxes' reported firmware, the open tickets). Refused next to a live server: its triage queue
 * and live events belong to it, and two writers would decide the same fault.
 */
export const retriageCommand = defineCommand({
  name: 'retriage',
  summary: 'takes the triage decision on one stored fault again (the old decision is kept in the audit log)',
  usage: '--fault <id>',
  options: { fault: { type: 'string' } },
  args: z.object({ fault: z.coerce.number().int().positive(), positionals: NoPositionals }),
  whileServerRuns: 'refuse',
  dataDir: 'existing',
  async run(ctx, args) {
    const database = await openSqlite(ctx.dataDir, DATABASE_FILE);
    try {
      const aside = await setAside(database.db, ctx, args.fault);
      const logger = createLogger('error', { write: (line: string) => void process.stderr.write(line) });
      const services = await composeServices(ctx.config, database, { logger, clock: ctx.clock, edge: NO_BROKER });
      try {
        services.afterSales.diagnostics.enqueue('fault', args.fault);
        await services.afterSales.diagnostics.idle();
      } finally {
        await services.stop();
      }
      const decision = await database.db
        .selectFrom('triage_decisions')
        .select(['id', 'action', 'rule_id', 'reason', 'target_kind', 'target_id'])
        .where('source', '=', 'fault')
        .where('source_id', '=', args.fault)
        .executeTakeFirst();
      if (!decision) throw new AdminRefusal(`triage took no decision on fault ${args.fault}; it stays queued for the server's next start`);
      const target = decision.target_kind ? `${decision.target_kind} ${decision.target_id}` : 'nothing';
      ctx.print(`fault ${args.fault} (${aside.code}): ${decision.action} by rule ${decision.rule_id} → ${target}`);
      ctx.print(decision.reason);
      if (aside.old) ctx.print(`it replaces decision ${aside.old.id} (${aside.old.action} by rule ${aside.old.rule_id}), kept in the audit log`);
      return {
        entityKind: 'device',
        entityId: aside.deviceId,
        action: 'admin.retriage',
        reason: `took the decision on fault ${args.fault} again`,
        data: {
          faultId: args.fault,
          decisionId: decision.id,
          action: decision.action,
          ruleId: decision.rule_id,
          target: decision.target_kind ? { kind: decision.target_kind, id: decision.target_id } : null,
          replacedDecisionId: aside.old?.id ?? null,
        },
      };
    } finally {
      await database.close();
    }
  },
});
