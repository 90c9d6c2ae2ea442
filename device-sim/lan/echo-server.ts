import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { LanEndpoint } from '../tunnel/box-tunnel.ts';

/**
 * A TCP echo device on the box's LAN, for tests: every byte comes back, with back-pressure
 * (a client that does not read slows the echo instead of filling memory).
 */
export class EchoServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly endpoint: LanEndpoint,
    readDelayMs: number,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {}); // the peer went away; 'close' follows
      if (readDelayMs > 0) echoSlowly(socket, readDelayMs);
      else socket.pipe(socket);
    });
  }

  /** `readDelayMs` > 0: a slow device that rests that long after each chunk it reads. */
  static async start({ readDelayMs = 0 }: { readDelayMs?: number } = {}): Promise<EchoServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    return new EchoServer(server, { host: '127.0.0.1', port }, readDelayMs);
  }

  /** Connections open right now. */
  get connections(): number {
    return this.sockets.size;
  }

  /** The device ends every connection (FIN), as a PLC closing its side. */
  hangUp(): void {
    for (const socket of this.sockets) socket.end();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function echoSlowly(socket: Socket, readDelayMs: number): void {
  let waits = 0;
  const hold = () => {
    waits++;
    socket.pause();
  };
  const release = () => {
    if (--waits === 0) socket.resume();
  };
  socket.on('data', (chunk: Buffer) => {
    if (!socket.write(chunk)) {
      hold();
      socket.once('drain', release);
    }
    hold();
    setTimeout(release, readDelayMs);
  });
  socket.on('end', () => socket.end());
}
