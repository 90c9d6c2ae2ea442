/** The public face of this capability: what other capabilities and the composition root use. */
export { clusterMessage, createClusterLink, heartbeatKey, NODE_TTL_MS, type ClusterLink, type ClusterMessage } from './cluster-link.ts';
export { NODE_ID_FILE, replaceNodeId } from './node-id-file.ts';
