import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ParamBackupService } from './param-backup-service.ts';

export interface ScheduledBackups {
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Runs `scheduleDue` every `everyMs`. A pass that is still running when the next one is
 * due is not doubled; the next tick picks up what it left.
 */
export function startScheduledBackups(opts: {
  params: ParamBackupService;
  clock: Clock;
  logger: Logger;
  everyMs: number;
  maxAgeMs?: number;
  limit?: number;
}): ScheduledBackups {
  const log = opts.logger.child({ component: 'param-backups' });
  let running: Promise<void> | null = null;
  const pass = () => {
    if (running) return;
    running = opts.params
      .scheduleDue(opts.clock(), { ...(opts.maxAgeMs ? { maxAgeMs: opts.maxAgeMs } : {}), ...(opts.limit ? { limit: opts.limit } : {}) })
      .then(
        (r) => {
          if (r.due > 0) log.info(r, 'scheduled parameter backups');
        },
        (err: unknown) => log.error({ err }, 'scheduled parameter backup pass failed'),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(pass, opts.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
