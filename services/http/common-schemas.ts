import { z } from 'zod';
import { AuditedEntity } from '../audit/domain/audit-entry.ts';
import { intParam } from './time-params.ts';

/** Schemas several capabilities' routes share. */
export const IdParams = z.object({ id: intParam(1, 999_999_999) });

export const ListLimit = intParam(1, 1000).optional();

export const AuditView = z.object({
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

/** Free text a person writes on a ticket or case: rendered as text by every client. */
export const NoteText = z.string().trim().min(1).max(4000);
export const Reason = z.string().trim().min(1, 'say why').max(2000);
