import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.ts';
import { runTicketEffects, type EffectRun } from '../ticket-core/ticket-effects-runner.ts';
import type { PlatformEffect } from './domain/platform-effects.ts';
import type { StoredPlatformTicket } from './store/platform-store.ts';

type Tx = Kysely<Database>;

/**
 * Carries out a platform ticket's effects inside its transaction (see the ticket core's
 * runner): the `platform` audit trail, the `platform-tickets` channel. Live events are
 * returned, to be published only after the commit.
 */
export function runPlatformEffects(
  tx: Tx,
  ticketId: number,
  stored: StoredPlatformTicket,
  effects: readonly PlatformEffect[],
  now: number,
): Promise<EffectRun<StoredPlatformTicket>> {
  return runTicketEffects(
    tx,
    ticketId,
    stored,
    effects,
    { entityKind: 'platform', channel: 'platform-tickets', notifyType: 'platform-ticket.notify' },
    now,
  );
}
