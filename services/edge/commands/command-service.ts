import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../platform/audit/store/sqlite-audit-log.ts';
import type { Clock } from '../../kernel/clock.ts';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../contract/json-limits.ts';
import type { CommandError, CommandRequest, CommandResponse } from '../../contract/payloads.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { addPart, missingParts, type Assembly } from './domain/chunk-assembly.ts';
import {
  CommandInput,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type CommandActor,
  type CommandOutcome,
  type CommandPort,
  type CommandStatus,
} from './domain/command-port.ts';
import { finishCommand, insertCommand, markSent, recordFromRow, type CommandRecord } from './store/sqlite-command-store.ts';

/** The slice of the broker the command service needs. */
export interface CommandTransport {
  /** Publishes on the box's cmd/req with QoS 1. */
  publish(serial: string, request: CommandRequest): void;
  isConnected(serial: string): boolean;
}

export interface CommandService extends CommandPort {
  /** A box answered on cmd/res (already validated against the contract). */
  onResponse(serial: string, response: CommandResponse): void;
  /** A box answered on cmd/res with a payload the contract refuses: the command fails now. */
  onInvalidResponse(serial: string, commandId: string, reason: string, detail: string): void;
  /** A box connected: delivers what was queued for it. */
  onBoxReady(serial: string): void;
  /** Marks queued commands past their deadline timed out; answers how many. */
  expireQueued(): Promise<number>;
  /** At start: commands sent before a restart lost their waiter; they are closed as timed out. */
  recover(): Promise<number>;
  /** Waits for commands in flight. */
  idle(): Promise<void>;
  /** Stopping: every waiting command is recorded as timed out now rather than lost. */
  close(): Promise<void>;
  pending(): number;
}

/** Queued commands wait this long for the box to come back. */
export const QUEUE_TTL_MS = 24 * 3600_000;

interface Waiting {
  serial: string;
  deviceId: number;
  record: CommandRecord;
  assembly: Assembly | null;
  timer: NodeJS.Timeout;
  settle: (outcome: CommandOutcome) => void;
}

/**
 * Remote commands over cmd/req → cmd/res (docs/protocol.md, "Commands"): one request per id,
 * answers correlated by id and serial, chunked results reassembled and digest-checked, every
 * command recorded with who sent it and what came back. Queued commands live in the database.
 */
export function createCommandService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  transport: CommandTransport;
  /** Runs before a params.set is sent, e.g. an automatic parameter backup. */
  beforeParamsSet?: (serial: string, actor: CommandActor) => Promise<void>;
}): CommandService {
  const log = deps.logger.child({ component: 'commands' });
  const waiting = new Map<string, Waiting>();
  const inFlight = new Set<Promise<unknown>>();

  async function deviceOf(serial: string): Promise<number> {
    const d = await deps.db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirst();
    if (!d) throw new AppError('DEVICE_NOT_FOUND', { serial });
    return d.id;
  }

  async function record(deviceId: number, r: CommandRecord, outcome: CommandOutcome): Promise<void> {
    const now = deps.clock();
    await deps.db.transaction().execute(async (tx) => {
      await finishCommand(tx, r.id, outcome, now);
      // Seed of the audit trail: who sent what to which box, and what came back.
      await appendAudit(tx, {
        entityKind: 'device',
        entityId: deviceId,
        at: now,
        actor: r.requestedBy,
        action: 'command',
        from: null,
        to: outcome.status,
        reason: `${r.name} ${JSON.stringify(r.args)}`.slice(0, 2000),
        data: {
          commandId: r.id,
          name: r.name,
          ...(r.sessionId !== null ? { sessionId: r.sessionId } : {}),
          ...(outcome.error ? { error: outcome.error } : {}),
        },
      });
    });
  }

  /** Publishes and waits for the answer or the deadline; the outcome is recorded either way. */
  function dispatch(serial: string, deviceId: number, r: CommandRecord): Promise<CommandOutcome> {
    const run = new Promise<CommandOutcome>((resolve) => {
      const settle = (outcome: CommandOutcome) => {
        const w = waiting.get(r.id);
        if (!w) return;
        waiting.delete(r.id);
        clearTimeout(w.timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        const w = waiting.get(r.id);
        const missing = w?.assembly ? missingParts(w.assembly) : [];
        settle(
          missing.length > 0
            ? fail(r.id, 'incomplete-result', `parts ${missing.join(', ')} of ${w!.assembly!.parts} did not arrive before the deadline`)
            : { id: r.id, status: 'timed-out' },
        );
      }, Math.max(0, r.deadline - deps.clock()));
      timer.unref();
      waiting.set(r.id, { serial, deviceId, record: r, assembly: null, timer, settle });
      deps.transport.publish(serial, { id: r.id, name: r.name, args: r.args, deadline: r.deadline });
    }).then(async (outcome) => {
      try {
        await record(deviceId, r, outcome);
      } catch (err) {
        // The row stays `sent`; the next start closes it as timed out (recover()).
        log.error({ err, serial, id: r.id }, 'command outcome could not be recorded');
      }
      log.info({ serial, id: r.id, name: r.name, status: outcome.status, by: r.requestedBy }, 'command finished');
      return outcome;
    });
    inFlight.add(run);
    const forget = () => inFlight.delete(run);
    run.then(forget, forget);
    return run;
  }

  const service: CommandService = {
    async send(serial, raw, actor) {
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
        await insertCommand(deps.db, deviceId, r, queue ? 'queued' : 'offline');
        const outcome: CommandOutcome = { id: r.id, status: queue ? 'queued' : 'offline' };
        if (!queue) await record(deviceId, r, outcome);
        return outcome;
      }
      // Seed: back up before changing parameters; a failed backup stops the change.
      if (input.name === 'params.set' && deps.beforeParamsSet) await deps.beforeParamsSet(serial, actor);
      await insertCommand(deps.db, deviceId, r, 'sent');
      await markSent(deps.db, r.id, deps.clock());
      return dispatch(serial, deviceId, r);
    },

    onResponse(serial, response) {
      const w = waiting.get(response.id);
      // A late answer (after the deadline) or one for another box's command id changes nothing.
      if (!w || w.serial !== serial) {
        log.debug({ serial, id: response.id }, 'command answer without a waiting request');
        return;
      }
      if (!response.ok) return w.settle({ id: response.id, status: 'failed', error: response.error });
      if (!('part' in response)) return w.settle({ id: response.id, status: 'succeeded', result: response.result });
      const step = addPart(w.assembly, response);
      if (step.kind === 'incomplete') {
        w.assembly = step.assembly;
        return;
      }
      if (step.kind === 'failed') return w.settle(fail(response.id, step.code, step.message));
      let result: unknown;
      try {
        result = JSON.parse(step.text);
      } catch {
        return w.settle(fail(response.id, 'invalid-result', 'the reassembled result is not JSON'));
      }
      // The same bound as a one-part answer (docs/protocol.md, "JSON limits").
      if (jsonDepthExceeds(result)) return w.settle(fail(response.id, 'invalid-result', `the result nests deeper than ${MAX_JSON_DEPTH} levels`));
      w.settle({ id: response.id, status: 'succeeded', result });
    },

    onInvalidResponse(serial, id, reason, detail) {
      const w = waiting.get(id);
      if (!w || w.serial !== serial) return;
      log.warn({ serial, id, reason }, 'command answered with an invalid payload');
      w.settle(fail(id, 'invalid-answer', `the answer breaks the command contract (${reason}): ${detail}`.slice(0, 2000)));
    },

    onBoxReady(serial) {
      const delivery = (async () => {
        await service.expireQueued();
        const device = await deps.db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirst();
        if (!device) return;
        const rows = await deps.db
          .selectFrom('commands')
          .selectAll()
          .where('device_id', '=', device.id)
          .where('status', '=', 'queued')
          .orderBy('requested_at')
          .execute();
        for (const row of rows) {
          const now = deps.clock();
          // The caller's timeout applies from delivery, within the queued command's lifetime.
          const stored = recordFromRow(row);
          const r: CommandRecord = { ...stored, deadline: Math.min(stored.deadline, now + stored.timeoutMs) };
          // A queued parameter change gets its backup now, when the box can be read.
          if (r.name === 'params.set' && deps.beforeParamsSet) {
            await markSent(deps.db, r.id, now);
            // Authorisation happened when the command was accepted; the role is not stored with it.
            const backedUp = await deps.beforeParamsSet(serial, { username: r.requestedBy, role: 'admin' }).then(
              () => true,
              () => false,
            );
            if (!backedUp) {
              await record(device.id, r, fail(r.id, 'backup-failed', 'the parameters could not be backed up before the change; nothing was changed'));
              continue;
            }
          }
          await markSent(deps.db, r.id, now);
          log.info({ serial, id: r.id, name: r.name }, 'delivering a queued command');
          void dispatch(serial, device.id, r);
        }
      })().catch((err: unknown) => log.error({ err, serial }, 'queued commands not delivered; they stay queued'));
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    },

    async expireQueued() {
      const now = deps.clock();
      const expired = await deps.db
        .selectFrom('commands')
        .select(['id', 'device_id', 'name', 'args', 'requested_by', 'session_id', 'requested_at', 'timeout_ms', 'deadline'])
        .where('status', '=', 'queued')
        .where('deadline', '<=', now)
        .execute();
      for (const row of expired) {
        const r = recordFromRow(row);
        await record(row.device_id, r, fail(r.id, 'expired', 'the box did not reconnect before the command expired', 'timed-out'));
      }
      return expired.length;
    },

    async recover() {
      const now = deps.clock();
      const r = await deps.db
        .updateTable('commands')
        .set({ status: 'timed-out', completed_at: now, error: JSON.stringify({ code: 'backend-restarted', message: 'the backend restarted while waiting for the answer' }) })
        .where('status', '=', 'sent')
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      for (const w of [...waiting.values()]) w.settle(fail(w.record.id, 'backend-stopping', 'the backend stopped while waiting for the answer', 'timed-out'));
      await service.idle();
    },
    pending: () => waiting.size,
  };
  return service;
}

function fail(id: string, code: string, message: string, status: CommandStatus = 'failed'): CommandOutcome {
  const error: CommandError = { code, message };
  return { id, status, error };
}
