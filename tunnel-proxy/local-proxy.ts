import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';

/*
 * The engineer's local proxy: a local TCP port whose one connection is carried, as binary
 * WebSocket messages, to a tunnel's stream URL on the backend (docs/protocol.md, "PLC tunnel").
 * One tunnel is one TCP stream: when either end closes, the tunnel is over.
 */

/** The most stream bytes in one WebSocket message (the backend takes up to 64 KiB). */
export const MAX_MESSAGE_BYTES = 65_536;

export interface LocalProxyOptions {
  /** The tunnel's stream URL (`ws://…/api/sessions/…/tunnels/…/stream`). */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  host: string;
  /** 0 = any free port (see `address`). */
  port: number;
  /** The local TCP socket is paused while the WebSocket has more than this queued; default 256 KiB. */
  highWaterBytes?: number;
  /** …and resumed once it is down to this; default 64 KiB. */
  lowWaterBytes?: number;
  /** Lines for the engineer (the CLI writes them to stderr). */
  log?: (line: string) => void;
}

/** How the one tunnel ended: a normal close (with the backend's reason) or an error in words. */
export type TunnelOutcome = { ok: true; reason: string } | { ok: false; message: string };

export interface ProxyStats {
  bytesUp: number;
  bytesDown: number;
  /** The most bytes ever queued on the WebSocket (towards the backend). */
  maxWsBuffered: number;
  /** The most bytes ever queued on the local TCP socket (towards the engineer's program). */
  maxTcpBuffered: number;
  /** How often the local socket was paused for a slow WebSocket, and the WebSocket for a slow local reader. */
  tcpPauses: number;
  wsPauses: number;
  refusedConnections: number;
}

const UPGRADE_REFUSALS: Record<number, string> = {
  401: 'the backend did not accept the token (HTTP 401): sign in again and pass a fresh --token',
  403: 'this account may not use this tunnel (HTTP 403): only an admin or an engineer in the session may',
  404: 'no such tunnel, or it is already closed (HTTP 404): open a new one from the session',
  409: 'another program is already connected to this tunnel (HTTP 409): one connection per tunnel at a time',
};

/** The words for a refused WebSocket upgrade; `body` is the backend's small answer, if any. */
export function upgradeRefusal(status: number, body: string): string {
  const words = UPGRADE_REFUSALS[status] ?? `the backend refused the WebSocket upgrade (HTTP ${status})`;
  const detail = backendMessage(body);
  return detail ? `${words} — ${detail}` : words;
}

function backendMessage(body: string): string | undefined {
  const text = body.trim();
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } };
    const message = parsed.error?.message ?? parsed.message;
    return typeof message === 'string' ? message.slice(0, 300) : undefined;
  } catch {
    return text.slice(0, 300);
  }
}

export class LocalProxy {
  readonly stats: ProxyStats = { bytesUp: 0, bytesDown: 0, maxWsBuffered: 0, maxTcpBuffered: 0, tcpPauses: 0, wsPauses: 0, refusedConnections: 0 };
  /** Resolves once the one tunnel is over (the port is closed by then). */
  readonly done: Promise<TunnelOutcome>;
  private settle: (outcome: TunnelOutcome) => void = () => {};
  private active: Socket | undefined;
  private ws: WebSocket | undefined;
  private finished = false;
  private opened = false;
  private readonly high: number;
  private readonly low: number;
  private readonly log: (line: string) => void;

  private constructor(
    private readonly server: Server,
    private readonly options: LocalProxyOptions,
  ) {
    this.high = options.highWaterBytes ?? 256 * 1024;
    this.low = options.lowWaterBytes ?? 64 * 1024;
    this.log = options.log ?? (() => {});
    this.done = new Promise((resolve) => {
      this.settle = resolve;
    });
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Opens the local port; the WebSocket is connected when a program connects to it. */
  static async listen(options: LocalProxyOptions): Promise<LocalProxy> {
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new LocalProxy(server, options);
  }

  get address(): { host: string; port: number } {
    const { address, port } = this.server.address() as AddressInfo;
    return { host: address, port };
  }

  /** Ends the tunnel (if any) and closes the port. */
  async close(): Promise<TunnelOutcome> {
    this.finish({ ok: true, reason: 'the local proxy was stopped' });
    return this.done;
  }

  private accept(socket: Socket): void {
    if (this.active || this.finished) {
      this.stats.refusedConnections++;
      this.log(`refused a connection from ${socket.remoteAddress}:${socket.remotePort}: this tunnel carries one connection at a time`);
      socket.destroy();
      return;
    }
    this.active = socket;
    socket.setNoDelay(true);
    socket.on('error', () => {}); // 'close' follows; the tunnel ends there
    socket.on('close', () => this.localClosed());
    this.log(`connection from ${socket.remoteAddress}:${socket.remotePort}; opening the tunnel`);
    const ws = new WebSocket(this.options.url, {
      headers: { Authorization: `Bearer ${this.options.token}` },
      perMessageDeflate: false,
      handshakeTimeout: 15_000,
    });
    this.ws = ws;
    ws.on('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      // finish() aborts the handshake (and with it `request`).
      response.on('end', () => this.finish({ ok: false, message: upgradeRefusal(response.statusCode ?? 0, body) }));
      response.on('error', () => this.finish({ ok: false, message: upgradeRefusal(response.statusCode ?? 0, body) }));
      request.on('error', () => {});
    });
    ws.on('error', (err) =>
      this.finish({ ok: false, message: `cannot reach ${this.options.url}: ${(err as NodeJS.ErrnoException).code ?? err.message}` }),
    );
    ws.on('open', () => this.bridge(socket, ws));
    ws.on('close', (code, reason) => this.wsClosed(code, reason.toString('utf8')));
  }

  private bridge(socket: Socket, ws: WebSocket): void {
    this.opened = true;
    this.log('tunnel open');
    let tcpPaused = false;
    const afterSend = () => {
      if (tcpPaused && ws.bufferedAmount <= this.low) {
        tcpPaused = false;
        socket.resume();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      for (let at = 0; at < chunk.length; at += MAX_MESSAGE_BYTES) ws.send(chunk.subarray(at, at + MAX_MESSAGE_BYTES), { binary: true }, afterSend);
      this.stats.bytesUp += chunk.length;
      this.stats.maxWsBuffered = Math.max(this.stats.maxWsBuffered, ws.bufferedAmount);
      if (!tcpPaused && ws.bufferedAmount > this.high) {
        tcpPaused = true;
        this.stats.tcpPauses++;
        socket.pause();
      }
    });
    socket.on('end', () => ws.close(1000, 'client-closed'));
    let wsPaused = false;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        ws.close(1003, 'binary messages only');
        return;
      }
      this.stats.bytesDown += data.length;
      const accepted = socket.write(data);
      this.stats.maxTcpBuffered = Math.max(this.stats.maxTcpBuffered, socket.writableLength);
      if (!accepted && !wsPaused) {
        wsPaused = true;
        this.stats.wsPauses++;
        ws.pause();
        socket.once('drain', () => {
          wsPaused = false;
          ws.resume();
        });
      }
    });
    socket.resume();
  }

  private localClosed(): void {
    const state = this.ws?.readyState;
    // Open: close it and let its 'close' report the outcome; closing: the backend's reason is on its way.
    if (state === WebSocket.OPEN) this.ws?.close(1000, 'client-closed');
    else if (state !== WebSocket.CLOSING) this.finish({ ok: true, reason: 'the local connection ended before the tunnel opened' });
  }

  private wsClosed(code: number, reason: string): void {
    if (code === 1000) this.finish({ ok: true, reason: reason || 'closed' });
    else this.finish({ ok: false, message: `the tunnel closed abnormally (WebSocket code ${code}${reason ? `: ${reason}` : ''})` });
  }

  private finish(outcome: TunnelOutcome): void {
    if (this.finished) return;
    this.finished = true;
    // What the backend sent is written before the FIN; a program that never reads must not keep us.
    // Before the tunnel opened there is nothing to deliver.
    const socket = this.active;
    if (socket && !socket.destroyed && this.opened) {
      socket.end();
      setTimeout(() => socket.destroy(), 5_000).unref();
    } else socket?.destroy();
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000, 'client-closed');
    else if (ws && ws.readyState === WebSocket.CONNECTING) ws.terminate();
    this.server.close(() => this.settle(outcome));
    // server.close waits for the connections; the one we ended goes within 5 s at most.
  }
}
