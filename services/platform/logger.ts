import type { DestinationStream } from 'pino';
import { pino, type Logger } from 'pino';
import { logContext } from './log-context.ts';

export type { Logger };

/**
 * Keys whose values never reach a log line, at the top of a log object or one level down (pino's
 * redact paths take one wildcard level): passwords, box secrets, API and customer-link tokens,
 * webhook secrets, and the credentials a request or an error may carry.
 */
const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'secret', 'token', 'linkToken', 'authorization', 'cookie', 'adminPassword'];
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** Structured JSON logs; pretty-printed when a person is watching a terminal. `destination` is for tests. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The HTTP request a line was written for, if any (log-context.ts).
    mixin: () => logContext.getStore() ?? {},
  };
  if (destination) return pino(options, destination);
  const pretty = process.stdout.isTTY;
  return pino({
    ...options,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  });
}
