import { z } from 'zod';
import type { Role } from '../../../kernel/roles.ts';
import { BoundedCommandArgs } from '../../../contract/json-limits.ts';
import { CommandError, CommandName, type CommandRequest } from '../../../contract/payloads.ts';

/**
 * Every remote command ends in one of these. `offline`: refused at once, the box is not
 * connected and the caller did not ask to queue; `queued`: stored, delivered when the box
 * reconnects, given up at its deadline (then `timed-out`).
 */
export const COMMAND_STATUSES = ['succeeded', 'failed', 'timed-out', 'offline', 'queued'] as const;
export const CommandStatus = z.enum(COMMAND_STATUSES);
export type CommandStatus = z.infer<typeof CommandStatus>;

export const MAX_COMMAND_TIMEOUT_MS = 120_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;

/** What a caller asks for: the HTTP body of POST /api/devices/:sn/commands. */
export const CommandInput = z
  .object({
    name: CommandName,
    args: BoundedCommandArgs.default({}),
    timeoutMs: z.number().int().min(500).max(MAX_COMMAND_TIMEOUT_MS).optional(),
    queue: z.boolean().optional().describe('when the box is offline: keep the command and deliver it on reconnect'),
  })
  .strict();
export type CommandInput = z.input<typeof CommandInput>;

export const CommandOutcome = z.object({
  id: z.string(),
  status: CommandStatus,
  result: z.unknown().optional(),
  error: CommandError.optional(),
});
export type CommandOutcome = z.infer<typeof CommandOutcome>;

/** Who sends a command; `sessionId` when it is sent from a remote-guidance session. */
export interface CommandActor {
  username: string;
  role: Role;
  sessionId?: number;
}

/** Sends commands to boxes and waits for their outcome; implemented by the command service. */
export interface CommandPort {
  send(serial: string, input: CommandInput, actor: CommandActor): Promise<CommandOutcome>;
}

/** The slice of the broker the command service needs. */
export interface CommandTransport {
  /** Publishes on the box's cmd/req with QoS 1. */
  publish(serial: string, request: CommandRequest): void;
  isConnected(serial: string): boolean;
}
