import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { carrySource, showSource } from './socket-source.ts';

/** Both ends of a real loopback TCP connection. */
async function tcpPair(): Promise<{ server: net.Server; accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  return { server, accepted: await accepted, client };
}

describe('the source a socket answers', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const undo of cleanup.splice(0)) undo();
  });

  it("gives the TLS socket over a TCP socket the box's address that the PROXY header showed on the TCP socket", async () => {
    const { server, accepted, client } = await tcpPair();
    const secure = new tls.TLSSocket(accepted, { isServer: true });
    cleanup.push(() => {
      secure.destroy();
      client.destroy();
      server.close();
    });
    // Through its handle, a TLS socket answers the TCP peer: here, the balancer.
    expect(secure.remoteAddress).toBe('127.0.0.1');
    showSource(accepted, { address: '2001:db8::7', port: 40000 });
    expect(carrySource(secure)).toBe(true);
    expect([secure.remoteAddress, secure.remotePort, secure.remoteFamily]).toEqual(['2001:db8::7', 40000, 'IPv6']);
  });

  it('leaves the address of a TLS socket whose TCP socket showed none', async () => {
    const { server, accepted, client } = await tcpPair();
    const secure = new tls.TLSSocket(accepted, { isServer: true });
    cleanup.push(() => {
      secure.destroy();
      client.destroy();
      server.close();
    });
    expect(carrySource(secure)).toBe(true);
    expect(secure.remoteAddress).toBe('127.0.0.1');
    expect(secure.remotePort).toBe(client.localPort);
  });

  it('answers false for a TLS socket not over a net.Socket, whose source cannot be known', () => {
    const secure = new tls.TLSSocket(new Duplex({ read() {}, write: (_c, _e, done) => done() }), { isServer: true });
    cleanup.push(() => secure.destroy());
    expect(carrySource(secure)).toBe(false);
  });
});
