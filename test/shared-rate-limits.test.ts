import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedis, type RedisConnection } from '../services/platform/redis/index.ts';
import { type AsyncRateLimiter, createSharedRateLimiters } from '../services/platform/security/index.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { waitFor } from './helpers/wait-for.ts';
import { warningLog } from './helpers/warning-log.ts';

/*
 * The budgets of costly calls (a backup, a restore, a CSV import) shared by the nodes of a
 * cluster through one real Redis: an account gets its budget once, whichever node the balancer
 * picks. Each "node" is its own Redis connection and its own limiters.
 */

const T0 = Date.UTC(2026, 11, 1, 9);
const RULE = { capacity: 3, perMinute: 6 };

interface Node {
  limiter: AsyncRateLimiter;
  redis: RedisConnection;
  warnings: string[];
}

describe('rate limits shared through Redis', () => {
  let server: EngineServer;
  const nodes: Node[] = [];

  function startNode(scope: string): Node {
    const { logger, warnings } = warningLog();
    const redis = openRedis(server.url, logger);
    const node = { limiter: createSharedRateLimiters(redis, logger)(scope, RULE), redis, warnings };
    nodes.push(node);
    return node;
  }

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const node of nodes) await node.redis.close();
    await server?.remove();
  });

  it('gives an account its budget once across two nodes, then says when the next call is possible', async () => {
    const [a, b] = [startNode('costly-account'), startNode('costly-account')];
    await Promise.all([a.redis.ready(5000), b.redis.ready(5000)]);
    const taken = [await a.limiter.take('7', T0), await b.limiter.take('7', T0), await a.limiter.take('7', T0)];
    expect(taken.map((v) => v.allowed)).toEqual([true, true, true]);
    expect(await b.limiter.take('7', T0)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    // Another account has its own budget.
    expect((await b.limiter.take('8', T0)).allowed).toBe(true);
  });

  it('refills at the rule’s rate, counted from the takes of every node', async () => {
    const [a, b] = [startNode('refill'), startNode('refill')];
    await Promise.all([a.redis.ready(5000), b.redis.ready(5000)]);
    for (const node of [a, b, a]) expect((await node.limiter.take('x', T0)).allowed).toBe(true);
    expect((await b.limiter.take('x', T0 + 9_999)).allowed).toBe(false);
    expect((await b.limiter.take('x', T0 + 10_000)).allowed).toBe(true);
    expect(await a.limiter.take('x', T0 + 10_000)).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('takes from one bucket exactly its capacity when many calls on two nodes arrive together', async () => {
    const [a, b] = [startNode('burst'), startNode('burst')];
    await Promise.all([a.redis.ready(5000), b.redis.ready(5000)]);
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).limiter.take('k', T0)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(RULE.capacity);
  });

  it('answers a key refused lately without asking Redis again until its wait is over', async () => {
    const a = startNode('memo');
    await a.redis.ready(5000);
    const evals = async () => Number(/cmdstat_eval(?:sha)?:calls=(\d+)/.exec(await a.redis.commands.info('commandstats'))?.[1] ?? 0);
    for (let i = 0; i < RULE.capacity; i++) expect((await a.limiter.take('flood', T0)).allowed).toBe(true);
    expect(await a.limiter.take('flood', T0)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    const before = await evals();
    for (let i = 0; i < 50; i++) expect(await a.limiter.take('flood', T0 + 4_000)).toEqual({ allowed: false, retryAfterMs: 6_000 });
    expect(await evals()).toBe(before);
    expect((await a.limiter.take('flood', T0 + 10_000)).allowed).toBe(true);
    expect(await evals()).toBe(before + 1);
  });

  it('keeps limiting on each node alone while Redis is away, warning once, and shares again once it is back', async () => {
    const [a, b] = [startNode('outage'), startNode('outage')];
    await Promise.all([a.redis.ready(5000), b.redis.ready(5000)]);
    await server.stop();
    await waitFor(() => !a.redis.connected(), { what: 'node A to notice the outage' });
    const alone = [];
    for (let i = 0; i < 4; i++) alone.push(await a.limiter.take('k', T0));
    expect(alone.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(a.warnings.filter((w) => w.startsWith('rate limits are counted by this node alone'))).toHaveLength(1);

    await server.start();
    await waitFor(() => a.redis.connected() && b.redis.connected(), { timeoutMs: 10_000, what: 'both nodes to reach Redis again' });
    const shared = [];
    for (const node of [a, b, a, b]) shared.push(await node.limiter.take('k', T0 + 60_000));
    expect(shared.map((v) => v.allowed)).toEqual([true, true, true, false]);
  });
});
