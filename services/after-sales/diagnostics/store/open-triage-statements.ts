import type { OpenedDatabase } from '../../../platform/db/index.ts';
import { postgresTriageStatements } from './postgres-triage-statements.ts';
import { prepareTriageStatements } from './sqlite-triage-statements.ts';
import type { TriageStatementsFor } from './triage-statements.ts';

/**
 * SQLite: statements prepared once on the raw handle, which is the transaction's own connection
 * (so `tx` is not needed); PostgreSQL: queries sent on the transaction's pooled connection.
 */
export function triageStatementsOf(database: OpenedDatabase, closedTicketStates: readonly string[]): TriageStatementsFor {
  if (database.dialect === 'postgres') return postgresTriageStatements(closedTicketStates);
  const prepared = prepareTriageStatements(database.sqlite, closedTicketStates);
  return () => prepared;
}
