import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { logContext } from '../log-context.ts';
import type { Logger } from '../logger.ts';

// A caller's own id (a proxy's, a client's) is kept when it is a plain token, so one id follows a
// request across systems; anything else is replaced rather than written into the logs.
const CALLER_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const QUIET_PATHS = new Set(['/api/health', '/api/ready']);

/**
 * Gives every API request an id, answered in `X-Request-Id` and carried by every log line
 * written while it is handled, and logs one line when it is answered. The path is logged without
 * its query string, which may carry search terms.
 */
export function requestIds(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given && CALLER_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    logContext.run({ requestId }, () => {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const path = req.originalUrl.split('?')[0]!;
        // Load balancers ask for health every few seconds: their lines only at debug.
        const level = QUIET_PATHS.has(path) ? 'debug' : 'info';
        logContext.run({ requestId }, () =>
          logger[level]({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request'),
        );
      });
      next();
    });
  };
}
