import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRedis, type RedisConnection } from '../services/platform/redis/index.ts';
import { createSharedFailureThrottles, type FailureThrottle } from '../services/platform/security/index.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { waitFor } from './helpers/wait-for.ts';
import { warningLog } from './helpers/warning-log.ts';

/*
 * Login throttles shared by the nodes of a cluster (issue 15: "a ban earned on node A holds on
 * node B"). Each "node" is its own Redis connection pair and its own throttles, on one real Redis.
 */

const MIN = 60_000;
const options = { maxFailures: 4, windowMs: 15 * MIN, banMs: 5 * MIN };

interface Node {
  throttle: FailureThrottle;
  redis: RedisConnection;
  /** The warnings this node logged. */
  warnings: string[];
}

describe('login throttles shared through Redis', () => {
  let server: EngineServer;
  let now = 1_000_000;
  const clock = () => now;
  const nodes: Node[] = [];

  function startNode(scope = 'api-login'): Node {
    const { logger, warnings } = warningLog();
    const redis = openRedis(server.url, logger);
    const throttle = createSharedFailureThrottles(redis, { logger, clock }).create(scope, options);
    const node = { throttle, redis, warnings };
    nodes.push(node);
    return node;
  }

  /** Both connections of a node are up, so what it announces is heard and what others announce reaches it. */
  async function connected(node: Node): Promise<void> {
    await waitFor(() => node.redis.connected(), { what: 'the node to reach Redis' });
  }

  const refused = (node: Node, key: string) => !node.throttle.check(key, now).allowed;

  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.redis.close()));
  });
  afterAll(async () => {
    await server?.remove();
  });

  /** Node B has heard everything announced before this: A's ban of a probe key announced after it. */
  async function heardSoFar(a: Node, b: Node, probe: string): Promise<void> {
    for (let i = 0; i < options.maxFailures; i++) a.throttle.recordFailure(probe, now);
    await waitFor(() => refused(b, probe), { what: `node B to hear the ban of ${probe}` });
  }

  it('keeps a ban when a node that had not yet heard of it lets the key in, and tells that node again', async () => {
    const [a, b] = [startNode(), startNode()];
    await Promise.all([connected(a), connected(b)]);
    await heardSoFar(a, b, 'probe-race');
    for (let i = 0; i < options.maxFailures; i++) a.throttle.recordFailure('mallory|10.0.0.9', now);
    await waitFor(() => refused(b, 'mallory|10.0.0.9'), { what: 'node B to hear the ban' });
    // What B records when its login overtook the ban's announcement: a success for the key.
    b.throttle.recordSuccess('mallory|10.0.0.9');
    await heardSoFar(b, a, 'probe-after');
    expect(refused(a, 'mallory|10.0.0.9')).toBe(true);
    await waitFor(() => refused(b, 'mallory|10.0.0.9'), { what: 'node B to be told of the ban again' });
  });

  it('adds up failures made on two nodes into one ban that holds on both', async () => {
    const [a, b] = [startNode(), startNode()];
    await Promise.all([connected(a), connected(b)]);
    await heardSoFar(a, b, 'probe-ready');
    a.throttle.recordFailure('alice|10.0.0.1', now);
    b.throttle.recordFailure('alice|10.0.0.1', now);
    a.throttle.recordFailure('alice|10.0.0.1', now);
    expect(refused(a, 'alice|10.0.0.1') || refused(b, 'alice|10.0.0.1')).toBe(false);
    b.throttle.recordFailure('alice|10.0.0.1', now);
    await waitFor(() => refused(a, 'alice|10.0.0.1') && refused(b, 'alice|10.0.0.1'), { what: 'the ban on both nodes' });
    expect(a.throttle.check('alice|10.0.0.1', now)).toEqual({ allowed: false, retryAfterMs: options.banMs });
    expect(refused(a, 'alice|10.0.0.2')).toBe(false);
  });

  it('refuses on node B, within a bounded wait, a key banned on node A, long keys included', async () => {
    const [a, b] = [startNode(), startNode()];
    await Promise.all([connected(a), connected(b)]);
    await heardSoFar(a, b, 'probe-ready');
    const long = `${'x'.repeat(300)}|2001:db8::1`;
    for (const key of ['bob|10.0.0.9', long]) for (let i = 0; i < options.maxFailures; i++) a.throttle.recordFailure(key, now);
    expect(refused(a, 'bob|10.0.0.9') && refused(a, long)).toBe(true);
    await waitFor(() => refused(b, 'bob|10.0.0.9') && refused(b, long), { timeoutMs: 2000, what: 'node B to refuse both keys' });
    now += options.banMs;
    expect(refused(b, 'bob|10.0.0.9')).toBe(false);
  });

  it('forgets, on node A, the failures of a key that then logged in on node B', async () => {
    const [a, b] = [startNode(), startNode()];
    await Promise.all([connected(a), connected(b)]);
    await heardSoFar(b, a, 'probe-ready');
    for (let i = 0; i < options.maxFailures - 1; i++) a.throttle.recordFailure('carol|10.0.0.3', now);
    // A's calls go out in order on its one connection: once B hears this probe's ban, A's failures are counted.
    await heardSoFar(a, b, 'probe-failures-counted');
    b.throttle.recordSuccess('carol|10.0.0.3');
    // The clear went out before this probe's ban, on one channel: once A refuses the probe, it has cleared carol.
    await heardSoFar(b, a, 'probe-after-success');
    a.throttle.recordFailure('carol|10.0.0.3', now);
    expect(refused(a, 'carol|10.0.0.3')).toBe(false);
  });

  it('refuses, on a node started after the ban, the key banned before it, for the time left', async () => {
    const a = startNode();
    await connected(a);
    const long = `dave-${'y'.repeat(200)}|10.0.0.4`;
    for (const key of ['dave|10.0.0.4', long]) for (let i = 0; i < options.maxFailures; i++) a.throttle.recordFailure(key, now);
    // A's ban is in Redis once A hears its own announcement.
    await heardSoFar(a, a, 'probe-own');
    const late = startNode();
    await waitFor(() => refused(late, 'dave|10.0.0.4') && refused(late, long), { what: 'the late node to load the bans in force' });
    const verdict = late.throttle.check('dave|10.0.0.4', now);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.retryAfterMs).toBeLessThanOrEqual(options.banMs);
  });

  it('keeps throttling locally while Redis is down, warning once, and shares again once it is back', async () => {
    const [a, b] = [startNode(), startNode()];
    await Promise.all([connected(a), connected(b)]);
    await heardSoFar(a, b, 'probe-ready');
    await server.stop();
    await waitFor(() => !a.redis.connected(), { what: 'node A to notice the outage' });
    for (let i = 0; i < options.maxFailures; i++) expect(() => a.throttle.recordFailure('erin|10.0.0.5', now)).not.toThrow();
    expect(refused(a, 'erin|10.0.0.5')).toBe(true);
    expect(refused(b, 'erin|10.0.0.5')).toBe(false);
    b.throttle.recordSuccess('frank|10.0.0.6');
    await waitFor(() => a.warnings.some((w) => w.startsWith('login throttles are not shared')), { what: 'the outage warning' });
    await waitFor(() => a.warnings.some((w) => w.startsWith('Redis is unreachable')), { what: 'the connection warning' });
    a.throttle.recordFailure('erin|10.0.0.5', now);
    expect(a.warnings.filter((w) => w.startsWith('login throttles are not shared'))).toHaveLength(1);
    expect(a.warnings.filter((w) => w.startsWith('Redis is unreachable'))).toHaveLength(1);

    await server.start();
    await Promise.all([connected(a), connected(b)]);
    await heardSoFar(a, b, 'probe-back');
    for (let i = 0; i < options.maxFailures; i++) a.throttle.recordFailure('grace|10.0.0.7', now);
    await waitFor(() => refused(b, 'grace|10.0.0.7'), { what: 'node B to hear a ban again' });
  });
});
