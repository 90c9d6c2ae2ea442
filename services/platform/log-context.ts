import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one HTTP request carries. */
export interface LogContext {
  requestId: string;
}

/**
 * The request being handled, across its awaits: the logger adds its id to every line (pino's
 * mixin), so a handler's own lines need no logger passed down to them.
 */
export const logContext = new AsyncLocalStorage<LogContext>();
