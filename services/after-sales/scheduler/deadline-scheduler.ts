import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { dueDeadlines, type PendingDeadline } from './deadlines.ts';

/**
 * Fires one due deadline; must mark it fired (markFired) in the same transaction as its effect.
 * Answers markFired's claim: false when another node's scheduler fired it.
 */
export type DeadlineHandler = (deadline: PendingDeadline) => Promise<boolean>;

export interface DeadlineScheduler {
  /** Fires everything due by the clock's now; answers how many fired. Tests call it with a fake clock. */
  tick(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const BATCH = 100;

/**
 * Deadlines live in the database, so one that fell due while the service was down fires
 * on the first tick after start. The timer only decides when to look.
 */
export function createDeadlineScheduler(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  handlers: Record<string, DeadlineHandler>;
}): DeadlineScheduler {
  const log = deps.logger.child({ component: 'scheduler' });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function runOnce(): Promise<number> {
    let fired = 0;
    for (;;) {
      const due = await dueDeadlines(deps.db, deps.clock(), BATCH);
      let progressed = 0;
      for (const d of due) {
        const handler = deps.handlers[d.entityKind];
        if (!handler) {
          log.error({ deadline: d }, 'no handler for deadline kind; left pending');
          continue;
        }
        try {
          // Only claims count: on a cluster the other nodes' schedulers see the same due rows, and
          // rows another node is still firing come back in the next query until it commits.
          if (await handler(d)) {
            fired++;
            progressed++;
          }
        } catch (err) {
          // Left pending: the next tick retries it.
          log.error({ err, deadline: d }, 'deadline handler failed; will retry');
        }
      }
      if (due.length < BATCH || progressed === 0) return fired;
    }
  }

  const scheduler: DeadlineScheduler = {
    tick() {
      // One pass at a time: a slow pass and the timer must not fire the same row twice.
      running ??= runOnce().finally(() => {
        running = null;
      });
      return running;
    },
    start() {
      if (timer) return;
      const loop = () => {
        scheduler.tick().then(
          () => undefined,
          (err: unknown) => log.error({ err }, 'deadline pass failed'),
        );
      };
      loop();
      timer = setInterval(loop, deps.pollMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
  return scheduler;
}
