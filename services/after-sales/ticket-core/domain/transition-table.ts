import type { z } from 'zod';

/**
 * One legal move of a ticket process: who may make it and what it must carry. A process
 * (RMA, platform maintenance) is a table of these rows; the checks, the tests and the API
 * documentation all read the rows.
 */
export interface Edge<State extends string, Role extends string> {
  readonly from: State;
  readonly to: State;
  readonly roles: readonly Role[];
  readonly payload: z.ZodType;
  readonly summary: string;
}

/** `from->to` of every row of a table, as a string literal union. */
export type EdgeKeyOf<E extends { from: string; to: string }> = E extends unknown ? `${E['from']}->${E['to']}` : never;

/** The parsed payload the row `K` of a table carries. */
export type PayloadOf<E extends Edge<string, string>, K extends string> = z.output<
  Extract<
    E,
    {
      from: K extends `${infer F}->${string}` ? F : never;
      to: K extends `${string}->${infer T}` ? T : never;
    }
  >['payload']
>;

export function edgeKey(from: string, to: string): string {
  return `${from}->${to}`;
}

/** The row for a move, if the move is legal at all. */
export function findEdge<S extends string, E extends Edge<S, string>>(table: readonly E[], from: S, to: S): E | undefined {
  return table.find((e) => e.from === from && e.to === to);
}

/** Whether the move is legal and this role may make it. */
export function mayTake<S extends string, R extends string>(table: readonly Edge<S, R>[], from: S, to: S, role: R): boolean {
  const edge = findEdge(table, from, to);
  return edge !== undefined && edge.roles.includes(role);
}

/** The states reachable in one move from `from`, in table order. */
export function allowedFrom<S extends string>(table: readonly Edge<S, string>[], from: S): S[] {
  return table.filter((e) => e.from === from).map((e) => e.to);
}
