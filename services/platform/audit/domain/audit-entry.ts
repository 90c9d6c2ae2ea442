import { z } from 'zod';

/**
 * What the audit log records about: tickets, cases, incidents, boxes (remote commands, secret
 * rotations), accounts (admin CLI) and the installation itself (backups, restores; entity id 0).
 */
export const AUDITED_ENTITIES = ['rma', 'case', 'incident', 'platform', 'device', 'user', 'system'] as const;
export const AuditedEntity = z.enum(AUDITED_ENTITIES);
export type AuditedEntity = z.infer<typeof AuditedEntity>;

/** One append-only line: who did what to which entity, when, from which state to which, and why. */
export const AuditEntry = z.object({
  id: z.number().int(),
  entityKind: AuditedEntity,
  entityId: z.number().int(),
  at: z.number().int(),
  actor: z.string(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export type NewAuditEntry = Omit<AuditEntry, 'id'>;
