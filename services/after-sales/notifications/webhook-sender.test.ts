import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget, sendDelivery } from './webhook-sender.ts';

/*
 * The sender against a real local receiver reached by name, so the request goes through the
 * sockets' guarded DNS lookup (an IP literal skips it).
 */
describe('sending a delivery', () => {
  let port = 0;
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(req.url === '/fail' ? 502 : 200).end(req.url === '/fail' ? 'x'.repeat(5000) : 'ok');
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reaches a name resolving to a private address only when allowed', async () => {
    expect(await checkTarget(`http://localhost:${port}/ok`, false)).toBe('private-address');
    expect(await sendDelivery(`http://localhost:${port}/ok`, {}, '{"a":1}', { allowPrivate: false })).toEqual({
      status: null,
      error: 'target refused: private-address',
    });
    expect(await sendDelivery(`http://localhost:${port}/ok`, { 'Content-Type': 'application/json' }, '{"a":1}', { allowPrivate: true })).toEqual({
      status: 200,
      error: null,
    });
    expect(bodies).toEqual(['{"a":1}']);
  });

  it('keeps only a short error text of a failing receiver’s answer', async () => {
    const outcome = await sendDelivery(`http://127.0.0.1:${port}/fail`, {}, '{}', { allowPrivate: true });
    expect(outcome.status).toBe(502);
    expect(outcome.error!.length).toBeLessThanOrEqual(220);
    expect(outcome.error).toMatch(/^HTTP 502: x+$/);
  });

  it('names a receiver that does not answer in time', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const outcome = await sendDelivery(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, {}, '{}', {
      allowPrivate: true,
      timeoutMs: 200,
    });
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    expect(outcome).toEqual({ status: null, error: 'no answer within 0.2 s' });
  });
});
