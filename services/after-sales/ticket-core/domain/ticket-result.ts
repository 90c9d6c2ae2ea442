/** A refusal with its stable code; the HTTP adapter answers `{ error: code, details }`. */
export interface TicketError<Code extends string> {
  code: Code;
  details: Record<string, unknown>;
}

/** What every ticket operation returns: the new ticket and the effects to run, or a refusal. */
export type TicketResult<Ticket, Effect, Code extends string> =
  | { ok: true; ticket: Ticket; effects: Effect[] }
  | { ok: false; error: TicketError<Code> };

export function ticketError<Code extends string>(code: Code, details: Record<string, unknown>): { ok: false; error: TicketError<Code> } {
  return { ok: false, error: { code, details } };
}

/** Zod issues as the error details carry them, optionally under a path prefix. */
export function issuesOf(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  prefix: readonly string[] = [],
): { path: string[]; message: string }[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path.map(String)], message: i.message }));
}
