import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Assembly } from './domain/chunk-assembly.ts';
import type { CommandOutcome, CommandTransport } from './domain/command-port.ts';
import { deadlineOutcome } from './domain/response-outcome.ts';
import type { RecordOutcome } from './command-outcome-recorder.ts';
import type { CommandRecord } from './store/command-store.ts';

/** A sent command waiting for its answer. */
export interface Waiting {
  serial: string;
  deviceId: number;
  record: CommandRecord;
  /** The parts of a chunked answer received so far. */
  assembly: Assembly | null;
  timer: NodeJS.Timeout;
  /** Ends the wait with this outcome; later calls do nothing. */
  settle: (outcome: CommandOutcome) => void;
}

export interface WaitingCommands {
  /** Publishes and waits for the answer or the deadline; the outcome is recorded either way. */
  dispatch(serial: string, deviceId: number, r: CommandRecord): Promise<CommandOutcome>;
  /** The command waiting under this id, if it still waits. */
  get(id: string): Waiting | undefined;
  all(): Waiting[];
  size(): number;
  /** Counts work (a dispatch, a queued delivery) that idle() waits for. */
  track(work: Promise<unknown>): void;
  /** Resolves once no tracked work is left, including work started meanwhile. */
  idle(): Promise<void>;
}

/**
 * The registry of commands in flight, keyed by command id: answers are correlated through it,
 * and each entry has a deadline timer so no caller waits forever.
 */
export function createWaitingCommands(deps: { clock: Clock; log: Logger; transport: CommandTransport; record: RecordOutcome }): WaitingCommands {
  const waiting = new Map<string, Waiting>();
  const inFlight = new Set<Promise<unknown>>();

  function track(work: Promise<unknown>): void {
    inFlight.add(work);
    const forget = () => inFlight.delete(work);
    work.then(forget, forget);
  }

  function wait(serial: string, deviceId: number, r: CommandRecord): Promise<CommandOutcome> {
    return new Promise<CommandOutcome>((resolve) => {
      const settle = (outcome: CommandOutcome) => {
        const w = waiting.get(r.id);
        if (!w) return;
        waiting.delete(r.id);
        clearTimeout(w.timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle(deadlineOutcome(r.id, waiting.get(r.id)?.assembly ?? null)), Math.max(0, r.deadline - deps.clock()));
      timer.unref();
      // Registered before publishing, so an answer that comes back at once finds its waiter.
      waiting.set(r.id, { serial, deviceId, record: r, assembly: null, timer, settle });
      deps.transport.publish(serial, { id: r.id, name: r.name, args: r.args, deadline: r.deadline });
    });
  }

  function dispatch(serial: string, deviceId: number, r: CommandRecord): Promise<CommandOutcome> {
    const run = wait(serial, deviceId, r).then(async (outcome) => {
      try {
        await deps.record(deviceId, r, outcome);
      } catch (err) {
        // The row stays `sent`; the next start closes it as timed out (recover()).
        deps.log.error({ err, serial, id: r.id }, 'command outcome could not be recorded');
      }
      deps.log.info({ serial, id: r.id, name: r.name, status: outcome.status, by: r.requestedBy }, 'command finished');
      return outcome;
    });
    track(run);
    return run;
  }

  return {
    dispatch,
    get: (id) => waiting.get(id),
    all: () => [...waiting.values()],
    size: () => waiting.size,
    track,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
