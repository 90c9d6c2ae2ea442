import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { runTicketEffects, type EffectRun, type TicketEffectsAdapter } from '../ticket-core/ticket-effects-runner.ts';
import type { RmaEffect, RmaOwnEffect, RmaVocabulary } from './domain/rma-effects.ts';
import type { StoredTicket } from './store/rma-store.ts';

type Tx = Kysely<Database>;
type RmaAdapter = TicketEffectsAdapter<RmaVocabulary, RmaOwnEffect, StoredTicket>;

export interface RmaEffectsEnv {
  now: number;
  logger: Logger;
  onBackupRequested?: ((serial: string, ticketId: number) => void) | undefined;
}

/** Where RMA effects land: the `rma` audit trail, the `tickets` channel, and its own kinds. */
function rmaAdapter(env: RmaEffectsEnv): RmaAdapter {
  return {
    entityKind: 'rma',
    channel: 'tickets',
    notifyType: 'rma.notify',
    // A standby step is audited as the standby state it moves, with the ticket state beside it.
    auditRow: (entry) => ({
      action: entry.action ?? (entry.standby ? 'standby' : entry.from === null ? 'opened' : 'transition'),
      from: entry.standby ? entry.standby.from : entry.from,
      to: entry.standby ? entry.standby.to : entry.to,
      data: { role: entry.role, ...(entry.standby ? { ticketState: entry.to } : {}) },
    }),
    onScheduled: (deadline, ticketId) => {
      if (deadline.unofficialYears.length === 0) return;
      // Seed deadlines are in working days; a year without official holidays counts weekends only.
      env.logger.warn(
        { ticketId, deadline: deadline.kind, dueDate: deadline.dueDate, unofficialYears: deadline.unofficialYears },
        'deadline computed over a year without official holiday data; it may move when the year is added',
      );
    },
    runOwn: (_tx, ticketId, e, run: EffectRun<StoredTicket>, now) => {
      switch (e.kind) {
        case 'standby-required':
          run.live.push({ channel: 'tickets', type: 'rma.standby-required', id: ticketId, at: now, data: { reason: e.reason } });
          break;
        case 'backup-parameters': {
          run.stored = { ...run.stored, backup: { requestedAt: now, snapshotId: null } };
          const hook = env.onBackupRequested;
          if (hook) run.after.push(() => hook(e.serial, ticketId));
          break;
        }
      }
    },
  };
}

/**
 * Carries out an RMA transition's effects inside its transaction (see the ticket core's
 * runner); live events and the backup hook are returned, to run only after the commit.
 */
export function runRmaEffects(
  tx: Tx,
  ticketId: number,
  stored: StoredTicket,
  effects: readonly RmaEffect[],
  env: RmaEffectsEnv,
): Promise<EffectRun<StoredTicket>> {
  return runTicketEffects(tx, ticketId, stored, effects, rmaAdapter(env), env.now);
}
