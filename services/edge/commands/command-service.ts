import { randomUUID } from 'node:crypto';
import type { Clock } from '../../kernel/clock.ts';
import type { CommandResponse } from '../../contract/payloads.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import type { NodeWork } from '../../kernel/node-work.ts';
import { expireQueued, recoverSent, releaseNodeCommands } from './command-expiry.ts';
import { createOutcomeRecorder, type RecordOutcome } from './command-outcome-recorder.ts';
import {
  CommandInput,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type CommandActor,
  type CommandOutcome,
  type CommandPort,
  type CommandTransport,
} from './domain/command-port.ts';
import { applyResponse, failedOutcome } from './domain/response-outcome.ts';
import { deliverQueued } from './queued-delivery.ts';
import { insertCommand, markSent, sentCommandOwners, type CommandRecord } from './store/command-store.ts';
import { createWaitingCommands } from './waiting-commands.ts';

export type { CommandTransport } from './domain/command-port.ts';

export interface CommandService extends CommandPort {
  /**
   * A box answered on cmd/res (already validated against the contract). False when no request
   * of this node waits for it: late, or (in a cluster) sent through another node.
   */
  onResponse(serial: string, response: CommandResponse): boolean;
  /** A box answered on cmd/res with a payload the contract refuses: the command fails now. False as above. */
  onInvalidResponse(serial: string, commandId: string, reason: string, detail: string): boolean;
  /** A box connected: delivers what was queued for it. */
  onBoxReady(serial: string): void;
  /** Marks queued commands past their deadline timed out; answers how many. */
  expireQueued(): Promise<number>;
  /**
   * At start: commands sent before a restart lost their waiter; they are closed as timed out.
   * In a cluster (nodeId set) other nodes' waiters may be alive: nothing here, see nodeWork.
   */
  recover(): Promise<number>;
  /** In a cluster: sent commands by the node waiting for them, and closing a gone node's. */
  nodeWork: NodeWork;
  /** Waits for commands in flight. */
  idle(): Promise<void>;
  /** Stopping: every waiting command is recorded as timed out now rather than lost. */
  close(): Promise<void>;
  pending(): number;
  /** Commands by final outcome (succeeded, failed, timed-out, offline) since start. */
  outcomes(): Readonly<Record<string, number>>;
}

/** Queued commands wait this long for the box to come back. */
export const QUEUE_TTL_MS = 24 * 3600_000;

export interface CommandServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  transport: CommandTransport;
  /** Runs before a params.set is sent, e.g. an automatic parameter backup. */
  beforeParamsSet?: (serial: string, actor: CommandActor) => Promise<void>;
  /** This node's id in a cluster, recorded on the commands it waits for; null or absent on a single node. */
  nodeId?: string | null;
}

/**
 * Remote commands over cmd/req → cmd/res (docs/protocol.md, "Commands"): one request per id,
 * answers correlated by id and serial, chunked results reassembled and digest-checked, every
 * command recorded with who sent it and what came back. Queued commands live in the database.
 */
export function createCommandService(deps: CommandServiceDeps): CommandService {
  const log = deps.logger.child({ component: 'commands' });
  const outcomes: Record<string, number> = {};
  const record = createOutcomeRecorder(deps.db, deps.clock, outcomes);
  const waiting = createWaitingCommands({ clock: deps.clock, log, transport: deps.transport, record });
  const send = createSend(deps, record, waiting.dispatch);

  const service: CommandService = {
    send,
    onResponse(serial, response) {
      const w = waiting.get(response.id);
      // A late answer (after the deadline) or one for another box's command id changes nothing.
      if (!w || w.serial !== serial) {
        log.debug({ serial, id: response.id }, 'command answer without a waiting request');
        return false;
      }
      const step = applyResponse(w.assembly, response);
      if (step.kind === 'waiting') w.assembly = step.assembly;
      else w.settle(step.outcome);
      return true;
    },
    onInvalidResponse(serial, id, reason, detail) {
      const w = waiting.get(id);
      if (!w || w.serial !== serial) return false;
      log.warn({ serial, id, reason }, 'command answered with an invalid payload');
      w.settle(failedOutcome(id, 'invalid-answer', `the answer breaks the command contract (${reason}): ${detail}`.slice(0, 2000)));
      return true;
    },
    onBoxReady(serial) {
      deliverQueued(serial, {
        db: deps.db,
        clock: deps.clock,
        log,
        record,
        waiting,
        expireQueued: () => service.expireQueued(),
        nodeId: deps.nodeId ?? null,
        beforeParamsSet: deps.beforeParamsSet,
      });
    },
    expireQueued: () => expireQueued(deps.db, deps.clock, record),
    recover: () => (deps.nodeId ? Promise.resolve(0) : recoverSent(deps.db, deps.clock)),
    nodeWork: {
      owners: () => sentCommandOwners(deps.db),
      release: (nodeId) => releaseNodeCommands(deps.db, nodeId, record),
    },
    idle: () => waiting.idle(),
    async close() {
      for (const w of waiting.all())
        w.settle(failedOutcome(w.record.id, 'backend-stopping', 'the backend stopped while waiting for the answer', 'timed-out'));
      await service.idle();
    },
    pending: () => waiting.size(),
    outcomes: () => outcomes,
  };
  return service;
}

/**
 * send(): a connected box gets the command now and the caller waits for the outcome; an offline
 * box either refuses at once or, when asked, keeps it queued until the box reconnects.
 */
function createSend(
  deps: CommandServiceDeps,
  record: RecordOutcome,
  dispatch: (serial: string, deviceId: number, r: CommandRecord) => Promise<CommandOutcome>,
): CommandPort['send'] {
  async function deviceOf(serial: string): Promise<number> {
    const d = await deps.db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirst();
    if (!d) throw new AppError('DEVICE_NOT_FOUND', { serial });
    return d.id;
  }

  return async (serial, raw, actor) => {
    const input = CommandInput.parse(raw);
    const deviceId = await deviceOf(serial);
    const now = deps.clock();
    const timeoutMs = input.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const online = deps.transport.isConnected(serial);
    const queue = !online && input.queue === true;
    const r: CommandRecord = {
      id: `cmd-${randomUUID()}`,
      name: input.name,
      args: input.args,
      requestedBy: actor.username,
      sessionId: actor.sessionId ?? null,
      requestedAt: now,
      timeoutMs,
      deadline: now + (queue ? QUEUE_TTL_MS : timeoutMs),
    };
    if (!online) {
      await insertCommand(deps.db, deviceId, r, queue ? 'queued' : 'offline', null);
      const outcome: CommandOutcome = { id: r.id, status: queue ? 'queued' : 'offline' };
      if (!queue) await record(deviceId, r, outcome);
      return outcome;
    }
    // Seed: back up before changing parameters; a failed backup stops the change.
    if (input.name === 'params.set' && deps.beforeParamsSet) await deps.beforeParamsSet(serial, actor);
    await insertCommand(deps.db, deviceId, r, 'sent', deps.nodeId ?? null);
    await markSent(deps.db, r.id, deps.clock());
    return dispatch(serial, deviceId, r);
  };
}
