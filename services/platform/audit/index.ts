/* The audit capability's public face: the audit line's schema, which ticket and case answers embed. */
/*
 * The audit capability's public face. The audit log is a platform service every ticket-like
 * capability writes to, and each write must commit inside the caller's own transaction (a
 * ticket's move and its audit line together, or neither). So callers take it from here with the
 * transaction handle they already hold, rather than through a port of their own: a port would
 * have to carry that same handle, and there is one audit log per database, not one per caller.
 */
export * from './domain/audit-entry.ts';
export { appendAudit, listAudit } from './store/audit-log.ts';
