/** A part repaired or replaced on a box, and the local date it was. */
export interface RepairedPartRecord {
  part: string;
  repairedOn: string;
}

/**
 * What RMA needs of the parts history the warranty capability keeps: the parts a box has had
 * repaired (for today's warranty) and the parts a repair adds. Both take the caller's handle
 * `Tx`: a repair's parts commit with the ticket's move, and a read inside a transaction must use
 * that transaction (one SQLite connection).
 */
export interface RepairedPartsPort<Tx> {
  list(tx: Tx, deviceId: number): Promise<RepairedPartRecord[]>;
  record(tx: Tx, deviceId: number, ticketId: number, parts: readonly string[], repairedOn: string): Promise<void>;
}
