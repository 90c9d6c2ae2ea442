import { AppError } from '../../kernel/app-error.ts';
import { fireTicketDeadline } from '../ticket-core/ticket-service-kit.ts';
import { fireDeadline } from './domain/rma-deadlines.ts';
import type { DeadlineKind } from './domain/rma-ticket.ts';
import { createRecordOperations } from './rma-record-operations.ts';
import type { RmaService, RmaServiceDeps } from './rma-service-types.ts';
import { createTicketViews } from './rma-ticket-views.ts';
import { createTicketWriter } from './rma-ticket-writer.ts';
import { createTriagePort } from './rma-triage-port.ts';
import { createWorkflowOperations } from './rma-workflow-operations.ts';
import { listTicketRows, loadTicket } from './store/rma-store.ts';

export type { NewTicketInput } from './rma-opening.ts';
export type { ParameterRestoreRequest, RmaService, RmaServiceDeps, TicketView } from './rma-service-types.ts';

/**
 * The RMA capability's public face: opening and reading tickets here, each group of
 * operations in its own module, all writing through one ticket writer.
 */
export function createRmaService(deps: RmaServiceDeps): RmaService {
  const log = deps.logger.child({ component: 'rma' });
  const writer = createTicketWriter(deps, log);
  const view = createTicketViews(deps);

  const get: RmaService['get'] = async (id) => {
    const row = await loadTicket(deps.db, id);
    if (!row) throw new AppError('RMA_NOT_FOUND', { id });
    return view(row);
  };

  return {
    ...createTriagePort(writer),
    ...createWorkflowOperations(deps, writer, get),
    ...createRecordOperations(deps, writer, get),
    get,

    async open(input, actor) {
      const out = await deps.db
        .transaction()
        .execute((tx) => writer.openIn(tx, input, actor, { kind: 'manual', code: null, reason: null, caseId: null, incidentId: null }, null));
      writer.afterCommit(out);
      return get(out.id);
    },

    async list(filter) {
      const rows = await listTicketRows(deps.db, filter);
      return Promise.all(rows.map(view));
    },

    fire(deadline) {
      return fireTicketDeadline(
        { db: deps.db, clock: deps.clock, log, bus: deps.bus },
        writer.plumbing,
        deadline,
        (ticket, kind, now) => fireDeadline(ticket, kind as DeadlineKind, { now, calendar: deps.calendar.current() }),
        'ticket deadline fired',
      );
    },
  };
}
