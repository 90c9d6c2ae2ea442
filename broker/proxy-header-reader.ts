import type net from 'node:net';
import { createProxyHeaderParser } from './proxy-protocol.ts';
import { showSource } from './socket-source.ts';

export interface ProxyHeaderReaderOptions {
  /** The whole header must have come within this long, as a CONNECT must (CONNECT_TIMEOUT_MS). */
  timeoutMs: number;
  /** The header was malformed or late; the socket is being destroyed. */
  onRefused(reason: string): void;
  /** The header was read and stripped: the socket's next byte is the client's first. */
  onReady(): void;
}

/**
 * Reads a load balancer's PROXY protocol header off a fresh socket, before anything else reads
 * it: bytes are pulled with `read()` while paused, and what follows the header is put back with
 * `unshift()` for the MQTT side to read as the connection's first bytes.
 */
export function readProxyHeader(socket: net.Socket, opts: ProxyHeaderReaderOptions): void {
  const parse = createProxyHeaderParser();
  const timer = setTimeout(() => refuse(`no complete PROXY protocol header within ${opts.timeoutMs} ms`), opts.timeoutMs);
  timer.unref();
  function stop(): void {
    clearTimeout(timer);
    socket.off('readable', onReadable);
    socket.off('close', stop);
  }
  function refuse(reason: string): void {
    stop();
    opts.onRefused(reason);
    socket.destroy();
  }
  function onReadable(): void {
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
      const result = parse(chunk);
      if (result.state === 'more') continue;
      if (result.state === 'refused') {
        refuse(result.reason);
        return;
      }
      stop();
      if (result.rest.length > 0) socket.unshift(result.rest);
      if (result.source) showSource(socket, result.source);
      opts.onReady();
      return;
    }
  }
  socket.on('readable', onReadable);
  socket.once('close', stop);
}
