import { CommandName, type CommandError, type CommandRequest, type CommandResponse } from '../services/contract/payloads.ts';
import { AnswerCache } from './answer-cache.ts';
import { chunkResult } from './command-chunks.ts';
import { COMMAND_HANDLERS, type BoxSnapshot, type CommandContext, type CommandEffect, type Handled } from './command-handlers.ts';
import type { LogRing } from './log-ring.ts';
import type { ParamStore } from './params/param-store.ts';

export interface CommandOutcome {
  /** The answer messages in order: one, or every part of a chunked result. */
  responses: readonly CommandResponse[];
  /** Work to do once answered; never set for a repeated id. */
  effect?: CommandEffect;
  /** The id was answered before and this is that answer again; nothing was executed. */
  repeated: boolean;
}

/**
 * A box's command executor (docs/protocol.md, "Commands"): deadline, dispatch by table,
 * chunking, and the answers to the last 64 ids so a redelivered request is answered again
 * without doing the work twice.
 */
export class BoxCommands {
  private readonly answers = new AnswerCache<readonly CommandResponse[]>();

  constructor(
    private readonly params: ParamStore,
    private readonly log: LogRing,
  ) {}

  /** Executes (or recalls) one request; `failWith` answers that error instead of executing. */
  handle(request: CommandRequest, box: BoxSnapshot, failWith?: CommandError): CommandOutcome {
    const known = this.answers.get(request.id);
    if (known) {
      this.log.write(box.now, 'info', 'cmd', `${request.id} ${request.name} repeated: same answer sent again`);
      return { responses: known, repeated: true };
    }
    const handled = this.execute(request, box, failWith);
    const responses: readonly CommandResponse[] = handled.ok
      ? chunkResult(request.id, JSON.stringify(handled.result))
      : [{ id: request.id, ok: false, error: handled.error }];
    this.answers.remember(request.id, responses);
    const verdict = handled.ok ? `ok${responses.length > 1 ? ` in ${responses.length} parts` : ''}` : handled.error.code;
    this.log.write(box.now, handled.ok ? 'info' : 'warn', 'cmd', `${request.id} ${request.name}: ${verdict}`);
    return { responses, ...(handled.ok && handled.effect ? { effect: handled.effect } : {}), repeated: false };
  }

  /** The answer to a request the box cannot read past its id (no name, args not an object…). */
  refuse(id: string, message: string, now: number): CommandOutcome {
    this.log.write(now, 'warn', 'cmd', `${id} unreadable: ${message}`);
    return { responses: [{ id, ok: false, error: { code: 'invalid-args', message } }], repeated: false };
  }

  private execute(request: CommandRequest, box: BoxSnapshot, failWith: CommandError | undefined): Handled {
    // The backend has given up by its deadline; starting the work then would surprise it.
    if (box.now > request.deadline) {
      return {
        ok: false,
        error: {
          code: 'deadline-passed',
          message: `deadline passed ${box.now - request.deadline} ms before the box saw the request`,
          details: { deadline: request.deadline, receivedAt: box.now },
        },
      };
    }
    if (failWith) return { ok: false, error: failWith };
    const name = CommandName.safeParse(request.name);
    if (!name.success) return { ok: false, error: { code: 'unknown-command', message: `unknown command ${request.name}` } };
    const ctx: CommandContext = {
      id: request.id,
      box,
      params: this.params,
      log: (level, source, text) => this.log.write(box.now, level, source, text),
      logTail: (lines) => this.log.tail(lines),
    };
    return COMMAND_HANDLERS[name.data].run(request.args, ctx);
  }
}
