/*
 * Repair (RMA) tickets as staff see them: board, ticket page, moves, work, record, audit, warranty card. Keys: `rma.*`.
 */
export const RMA = /** @satisfies {import('./types.js').Messages} */ ({});
