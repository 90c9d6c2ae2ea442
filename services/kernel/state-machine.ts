// Cases, incidents and remote-guidance sessions all move through a table of states; the
// helper is generic vocabulary, so it sits in the kernel where every domain may use it.
/** Each state and the states it may move to; a state with no exits is final. */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] };

/** The states a table lets `from` move to; empty for a final state. */
export function allowedFrom<S extends string>(table: TransitionTable<S>, from: S): readonly S[] {
  return table[from];
}

/** Whether the table lets `from` move to `to`. Staying in the same state is not a transition. */
export function canMove<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** States with no way out, in table order. */
export function finalStates<S extends string>(table: TransitionTable<S>): S[] {
  return (Object.keys(table) as S[]).filter((s) => table[s].length === 0);
}

/**
 * The audit line a transition leaves; the same shape as the audit log's entries, so the
 * adapter appends it as is.
 */
export interface TransitionAudit<K extends string, S extends string> {
  entityKind: K;
  entityId: number;
  at: number;
  actor: string;
  action: 'transition';
  from: S;
  to: S;
  reason: string;
  data: null;
}
