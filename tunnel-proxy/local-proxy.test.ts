import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { freeLoopbackPort } from '../device-sim/lan/free-port.ts';
import { LocalProxy, MAX_MESSAGE_BYTES, type LocalProxyOptions } from './local-proxy.ts';

/*
 * The local proxy against a real `ws` WebSocketServer playing the backend's stream endpoint:
 * bearer token checked at the upgrade, refusals as small HTTP answers, binary messages.
 */

const TOKEN = 'tok-engineer';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Peer {
  url: string;
  /** Upgrade requests seen, with their Authorization header. */
  authorizations: string[];
  connected: Promise<WebSocket>;
}

const REFUSALS: Record<string, [number, string]> = {
  '/gone': [404, JSON.stringify({ error: { code: 'TUNNEL_NOT_FOUND', message: 'The tunnel is closed.' } })],
  '/forbidden': [403, ''],
  '/busy': [409, JSON.stringify({ error: { code: 'TUNNEL_IN_USE', message: 'Another connection uses this tunnel.' } })],
};

/** A WebSocket endpoint like the backend's: 401 without the token, refusals by path, else `onConnect`. */
async function startPeer(onConnect: (ws: WebSocket) => void = () => {}): Promise<Peer> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const authorizations: string[] = [];
  let connectedResolve: (ws: WebSocket) => void = () => {};
  const connected = new Promise<WebSocket>((resolve) => {
    connectedResolve = resolve;
  });
  const http: HttpServer = createHttpServer();
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    authorizations.push(request.headers.authorization ?? '');
    const refusal = request.headers.authorization !== `Bearer ${TOKEN}` ? ([401, ''] as [number, string]) : REFUSALS[request.url ?? ''];
    if (refusal) {
      const [status, body] = refusal;
      socket.end(
        `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      onConnect(ws);
      connectedResolve(ws);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  return { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/stream`, authorizations, connected };
}

async function startProxy(url: string, options: Partial<LocalProxyOptions> = {}) {
  const lines: string[] = [];
  const proxy = await LocalProxy.listen({ url, token: TOKEN, host: '127.0.0.1', port: 0, log: (line) => lines.push(line), ...options });
  cleanups.push(() => proxy.close());
  return { proxy, lines };
}

async function dial(proxy: LocalProxy): Promise<Socket> {
  const socket = connect(proxy.address.port, proxy.address.host);
  cleanups.push(() => void socket.destroy());
  await once(socket, 'connect');
  return socket;
}

/** Reads `bytes` from a socket; with `delayMs` it rests after each chunk (a slow reader). */
async function readAll(socket: Socket, bytes: number, delayMs = 0): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  socket.resume();
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) return resolve();
      if (delayMs > 0) {
        socket.pause();
        setTimeout(() => socket.resume(), delayMs);
      }
    });
    socket.on('close', () => (got >= bytes ? resolve() : reject(new Error(`closed after ${got} of ${bytes} bytes`))));
  });
  return Buffer.concat(chunks);
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the local tunnel proxy', () => {
  it('carries 1 MB byte-exact both ways with the bearer token, and closes the WebSocket with 1000 when the program disconnects', async () => {
    let closed: { code: number; reason: string } | undefined;
    const peer = await startPeer((ws) => {
      ws.on('message', (data: Buffer, isBinary) => ws.send(data, { binary: isBinary }));
      ws.on('close', (code, reason) => {
        closed = { code, reason: reason.toString() };
      });
    });
    const { proxy } = await startProxy(peer.url);
    const socket = await dial(proxy);
    const sent = randomBytes(1024 * 1024);
    socket.write(sent);
    const back = await readAll(socket, sent.length);
    expect(back.equals(sent)).toBe(true);
    expect(peer.authorizations).toEqual([`Bearer ${TOKEN}`]);
    expect(proxy.stats).toMatchObject({ bytesUp: sent.length, bytesDown: sent.length });

    socket.end();
    expect(await proxy.done).toEqual({ ok: true, reason: 'client-closed' });
    await waitUntil(() => closed !== undefined, 'the peer to see the close');
    expect(closed).toEqual({ code: 1000, reason: 'client-closed' });
  });

  // Loopback sockets buffer up to about 4 MB in the kernel before a write pushes back, so these
  // two send 8 MB: enough that the proxy must pause, which the tests wait for before reading.
  it('pauses the WebSocket for a slow local reader: 8 MB arrive with the local socket’s queue bounded', async () => {
    const sent = randomBytes(8 * 1024 * 1024);
    const peer = await startPeer((ws) => {
      for (let at = 0; at < sent.length; at += MAX_MESSAGE_BYTES) ws.send(sent.subarray(at, at + MAX_MESSAGE_BYTES));
    });
    const { proxy } = await startProxy(peer.url);
    const socket = await dial(proxy);
    socket.pause();
    // The reader takes nothing until the proxy has had to stop reading the WebSocket.
    await waitUntil(() => proxy.stats.wsPauses > 0, 'the proxy to pause the WebSocket');
    const back = await readAll(socket, sent.length, 2);
    expect(back.equals(sent)).toBe(true);
    // At most the socket's high-water mark plus the messages already parsed when it paused.
    expect(proxy.stats.maxTcpBuffered).toBeLessThanOrEqual(256 * 1024);
  });

  it('pauses the local socket for a slow WebSocket reader: 8 MB arrive with the WebSocket’s queue bounded', async () => {
    const received: Buffer[] = [];
    const peer = await startPeer((ws) => {
      ws.pause();
      ws.on('message', (data: Buffer) => received.push(data));
    });
    const { proxy } = await startProxy(peer.url, { highWaterBytes: 128 * 1024, lowWaterBytes: 32 * 1024 });
    const socket = await dial(proxy);
    const server = await peer.connected;
    const sent = randomBytes(8 * 1024 * 1024);
    socket.write(sent);
    await waitUntil(() => proxy.stats.tcpPauses > 0, 'the proxy to pause the local socket');
    server.resume();
    await waitUntil(() => received.reduce((n, b) => n + b.length, 0) >= sent.length, '8 MB at the peer', 30_000);
    expect(Buffer.concat(received).equals(sent)).toBe(true);
    expect(received.every((m) => m.length <= MAX_MESSAGE_BYTES)).toBe(true);
    expect(proxy.stats.maxWsBuffered).toBeLessThanOrEqual(128 * 1024 + MAX_MESSAGE_BYTES);
  });

  it('refuses a second connection with a clear message while the first one is carried', async () => {
    const peer = await startPeer((ws) => ws.on('message', (data: Buffer) => ws.send(data)));
    const { proxy, lines } = await startProxy(peer.url);
    const first = await dial(proxy);
    await peer.connected;
    const second = await dial(proxy);
    await once(second, 'close');
    expect(proxy.stats.refusedConnections).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^refused a connection from 127\.0\.0\.1:\d+: this tunnel carries one connection at a time$/));
    first.write('still here');
    expect((await readAll(first, 10)).toString()).toBe('still here');
  });

  it('says in words why the backend refused the upgrade (401, 403, 404, 409) and ends the local connection', async () => {
    const peer = await startPeer();
    const cases: Array<[string, string, string]> = [
      [peer.url, 'wrong', 'the backend did not accept the token (HTTP 401): sign in again and pass a fresh --token'],
      [
        peer.url.replace('/stream', '/forbidden'),
        TOKEN,
        'this account may not use this tunnel (HTTP 403): only an admin or an engineer in the session may',
      ],
      [
        peer.url.replace('/stream', '/gone'),
        TOKEN,
        'no such tunnel, or it is already closed (HTTP 404): open a new one from the session — The tunnel is closed.',
      ],
      [
        peer.url.replace('/stream', '/busy'),
        TOKEN,
        'another program is already connected to this tunnel (HTTP 409): one connection per tunnel at a time — Another connection uses this tunnel.',
      ],
    ];
    for (const [url, token, message] of cases) {
      const { proxy } = await startProxy(url, { token });
      const socket = await dial(proxy);
      const ended = once(socket, 'close');
      expect(await proxy.done).toEqual({ ok: false, message });
      await ended;
    }
  });

  it('says the URL cannot be reached when nothing listens there', async () => {
    const url = `ws://127.0.0.1:${await freeLoopbackPort()}/stream`;
    const { proxy } = await startProxy(url);
    await dial(proxy);
    expect(await proxy.done).toEqual({ ok: false, message: `cannot reach ${url}: ECONNREFUSED` });
  });

  it('ends the local connection with the backend’s close reason, and reports an abnormal close as an error', async () => {
    const closing = await startPeer((ws) => ws.close(1000, 'box-offline'));
    const normal = await startProxy(closing.url);
    const socket = await dial(normal.proxy);
    const ended = once(socket, 'end');
    socket.resume();
    expect(await normal.proxy.done).toEqual({ ok: true, reason: 'box-offline' });
    await ended;

    const dying = await startPeer((ws) => ws.terminate());
    const abnormal = await startProxy(dying.url);
    await dial(abnormal.proxy);
    expect(await abnormal.proxy.done).toEqual({ ok: false, message: 'the tunnel closed abnormally (WebSocket code 1006)' });
  });
});
