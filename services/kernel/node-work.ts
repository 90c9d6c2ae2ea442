/**
 * A capability's live work held by one node of a cluster (a command's waiter, a tunnel's relay,
 * a participant's connection), recorded on its rows with the node's id. When a node is gone,
 * one survivor releases what it held; null names rows written without a cluster.
 */
export interface NodeWork {
  /** The nodes (null: none recorded) that hold live work in the rows now. */
  owners(): Promise<Array<string | null>>;
  /** Ends the work of a node that is gone as its own stop would have; answers how many items. */
  release(nodeId: string | null): Promise<number>;
}
