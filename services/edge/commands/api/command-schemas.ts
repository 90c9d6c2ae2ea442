import { z } from 'zod';
import { CommandError } from '../../../contract/payloads.ts';
import { Serial } from '../../../contract/serial.ts';

/** A command as the API lists it: who sent what, and the outcome. */
export const CommandView = z.object({
  id: z.string(),
  serial: Serial,
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  sessionId: z.number().int().nullable(),
  requestedAt: z.number().int(),
  deadline: z.number().int(),
  status: z.string().describe('queued, sent, succeeded, failed, timed-out or offline'),
  sentAt: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  result: z.unknown().optional(),
  error: CommandError.optional(),
});
