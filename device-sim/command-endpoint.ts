import { CommandRequest, MessageId, type CommandResponse } from '../services/contract/payloads.ts';
import { BoxCommands, type CommandOutcome } from './box-commands.ts';
import { CommandFaults, deliveredAnswer } from './command-faults.ts';
import type { BoxSnapshot } from './command-handlers.ts';
import type { LogRing } from './log-ring.ts';
import type { ParamStore } from './params/param-store.ts';
import { TimerGroup, type Timers } from './timers.ts';

export interface CommandEndpointOptions {
  params: ParamStore;
  log: LogRing;
  /** Delayed answers and pending reboots run on these. */
  timers: Timers;
  /** Publishes one answer message on the box's cmd/res. */
  publish(message: CommandResponse): void;
  /** Restarts the box; called `delayS` after a reboot was answered. */
  reboot(): void;
}

/** A box's side of cmd/req → cmd/res: reads requests, runs them, sends answers with the test's faults applied. */
export class CommandEndpoint {
  private readonly commands: BoxCommands;
  private readonly pending: TimerGroup;
  private faults: CommandFaults = {};

  constructor(private readonly options: CommandEndpointOptions) {
    this.commands = new BoxCommands(options.params, options.log);
    this.pending = new TimerGroup(options.timers);
  }

  setFaults(faults: CommandFaults): void {
    this.faults = CommandFaults.parse(faults);
  }

  /** Handles one cmd/req payload; returns the command name, or undefined when it was no request. */
  receive(payload: Buffer, box: BoxSnapshot): string | undefined {
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return undefined; // Nothing to answer: a request without a readable id cannot be correlated.
    }
    const request = CommandRequest.safeParse(body);
    if (!request.success) {
      // Answerable only if the id is readable: the backend correlates answers by it.
      const id = MessageId.safeParse((body as { id?: unknown } | null)?.id);
      const problems = request.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
      if (id.success) this.deliver('', this.commands.refuse(id.data, problems, box.now));
      return undefined;
    }
    const { name } = request.data;
    this.deliver(name, this.commands.handle(request.data, box, this.faults.fail?.[name]));
    return name;
  }

  /** Drops delayed answers and pending reboots: the box is stopping. */
  cancelPending(): void {
    this.pending.cancelAll();
  }

  private deliver(name: string, outcome: CommandOutcome): void {
    const messages = deliveredAnswer(name, outcome.responses, this.faults);
    const { effect } = outcome;
    const send = () => {
      for (const message of messages) this.options.publish(message);
      // The answer goes out before the box acts on it, so the backend hears "rebooting" first.
      if (effect?.kind === 'reboot') this.pending.after(effect.delayS * 1000, () => this.options.reboot());
    };
    const delayMs = this.faults.delayMs ?? 0;
    if (delayMs > 0) this.pending.after(delayMs, send);
    else send();
  }
}
