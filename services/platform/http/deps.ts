import type { Clock } from '../../kernel/clock.ts';
import type { BoundRoute, RouteAction, RouteUser } from '../../kernel/route-definition.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { COSTLY_LIMITS } from './costly-limits.ts';
import type { MetricsExposition } from './metrics-endpoint.ts';
import type { RateLimiters } from '../security/index.ts';

/** Who holds a session token: the accounts capability's session store, handed in. */
export interface SessionLookup {
  lookup(token: string, now: number): Promise<RouteUser | null>;
}

/**
 * What the composition root hands the HTTP adapter. The adapter imports no capability: it
 * mounts the route groups it is given (each already bound to what its handlers need) and
 * asks the given session lookup and permission check who may call them.
 */
export interface HttpAppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Every route of the API in mounting order, e.g. /api/devices/import before /api/devices/:sn. */
  routes: readonly BoundRoute[];
  sessions: SessionLookup;
  /** The permission table's answer: may this account perform this action. */
  authorize(user: RouteUser, action: RouteAction): boolean;
  /** The permission table's actions; a route requiring any other is refused when mounted. */
  actions: readonly string[];
  /** GET /metrics; without it (METRICS_TOKEN unset) the path is not served and answers 404. */
  metrics?: MetricsExposition;
  /** Budgets of the routes marked `costly`; defaults to COSTLY_LIMITS. */
  costlyLimits?: typeof COSTLY_LIMITS;
  /** Where those budgets are counted; default this process's own buckets (with REDIS_URL: shared by the nodes). */
  rateLimiters?: RateLimiters;
}
