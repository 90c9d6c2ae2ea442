import { SupportQueue } from '../../kernel/support-queue.ts';
import { listAudit } from '../../platform/audit/index.ts';
import { allowedFrom } from '../ticket-core/domain/transition-table.ts';
import type { Locale } from '../../kernel/locale.ts';
import { EXCLUSION_IDS, exclusionIn, warrantyIn } from '../warranty/index.ts';
import { ticketActions, ticketMoves } from './domain/rma-ticket-actions.ts';
import { RMA_TRANSITIONS } from './domain/rma-transition-table.ts';
import type { BackupWarning, RmaServiceDeps, TicketView } from './rma-service-types.ts';
import { moveSummaryIn } from './domain/rma-move-words.ts';
import { undecidedExclusions, warrantyWhenReported } from './rma-warranty.ts';
import type { TicketRow } from './store/rma-store.ts';

const FRESH_BACKUP_MS = 7 * 86_400_000;

/** Builds the API's view of a ticket row: warranty today, next moves, backup state, audit trail. */
export function createTicketViews(deps: RmaServiceDeps): (row: TicketRow) => Promise<TicketView> {
  /**
   * Seed: customers back up parameters before sending a box for repair. A snapshot from the
   * last week counts as fresh; otherwise the ticket warns before the box ships.
   */
  async function backupState(deviceId: number | null): Promise<TicketView['parameterBackup']> {
    const latest = deviceId === null ? null : await deps.backups.newest(deviceId);
    const fresh = latest !== null && deps.clock() - latest.createdAt <= FRESH_BACKUP_MS;
    return {
      latest,
      fresh,
      warning: fresh ? null : latest ? 'stale' : 'missing',
    };
  }

  function actionsOf(row: TicketRow): TicketView['actions'] {
    const { exclusions, ...actions } = ticketActions(row.stored.ticket);
    const listed = new Set(row.stored.exclusions.map((f) => f.exclusion));
    const clauses = EXCLUSION_IDS.map((id) => ({ id, listed: listed.has(id) }));
    return { ...actions, exclusions: { ...exclusions, clauses } };
  }

  return async function view(row: TicketRow): Promise<TicketView> {
    const warranty = await warrantyWhenReported(deps.db, deps.repairedParts, row.deviceId, row.stored.ticket.openedAt);
    const { ticket, ...rest } = row.stored;
    const years = new Set<number>();
    for (const d of ticket.deadlines) if (d.firedAt === null && d.cancelledAt === null) d.unofficialYears.forEach((y) => years.add(y));
    return {
      id: row.id,
      ...rest,
      ticket,
      queue: SupportQueue.catch('general').parse(row.queue),
      warranty,
      allowedTransitions: allowedFrom(RMA_TRANSITIONS, ticket.state),
      moves: ticketMoves(row.stored.ticket, undecidedExclusions(row.stored).length),
      actions: actionsOf(row),
      provisionalDeadlineYears: [...years].sort((a, b) => a - b),
      parameterBackup: await backupState(row.deviceId),
      audit: await listAudit(deps.db, 'rma', row.id),
    };
  };
}

// Both languages side by side; the English is what the ticket has always said.
const BACKUP_WARNINGS: Readonly<Record<BackupWarning, Readonly<Record<Locale, string>>>> = {
  stale: {
    en: 'the newest parameter backup is more than 7 days old: take one before the box ships',
    'zh-CN': '最近一次参数备份已超过 7 天：云盒寄出前请重新备份',
  },
  missing: { en: 'no parameter backup of this box: take one before it ships', 'zh-CN': '该云盒没有参数备份：寄出前请先备份' },
};

/**
 * A ticket as the API sends it to one reader: the warranty's reasons and the exclusions'
 * clauses (title, reading, the seed's wording, its sections), the moves' summaries and the backup
 * warning in `locale`.
 */
export function ticketViewIn(view: TicketView, locale: Locale) {
  const { exclusions } = view.actions;
  const clauses = exclusions.clauses.map(({ id, listed }) => {
    const e = exclusionIn(id, locale);
    return { id, title: e.title, clause: e.clause, seed: [...e.seed], sources: [...e.sources], listed };
  });
  return {
    ...view,
    warranty: view.warranty ? warrantyIn(view.warranty, locale) : null,
    moves: view.moves.map((m) => ({ ...m, summary: moveSummaryIn(view.ticket.state, m.to, m.summary, locale) })),
    actions: { ...view.actions, exclusions: { ...exclusions, clauses } },
    parameterBackup: { ...view.parameterBackup, warning: view.parameterBackup.warning && BACKUP_WARNINGS[view.parameterBackup.warning][locale] },
  };
}
