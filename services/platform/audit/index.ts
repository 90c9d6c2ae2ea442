/* The audit capability's public face: the audit line's schema, which ticket and case answers embed. */
export { AuditEntry, AuditedEntity, type NewAuditEntry } from './domain/audit-entry.ts';
