import net from 'node:net';
import tls from 'node:tls';
import mqttPacket from 'mqtt-packet';

export interface RawConnectOptions {
  /** Local address to connect from (loopback aliases stand for different plants). */
  from?: string;
  keepalive?: number;
  /** Keep the socket open after the CONNACK (handed to the caller through `sockets`); else it says DISCONNECT. */
  keep?: net.Socket[];
  /** MQTT over TLS with these options (trusted CA, client certificate); plain TCP without. */
  tls?: tls.ConnectionOptions;
}

/**
 * Sends one MQTT 3.1.1 CONNECT as a box does (client id = username = serial) on a raw socket
 * and answers the CONNACK's return code, or 'closed' when the server closed without one.
 * Without a password the CONNECT carries none (a box logging in by client certificate).
 */
export function rawConnect(port: number, serial: string, password: string | undefined, opts: RawConnectOptions = {}): Promise<number | 'closed'> {
  return new Promise((resolve, reject) => {
    const target = { port, host: '127.0.0.1', ...(opts.from ? { localAddress: opts.from } : {}) };
    const sendConnect = () => {
      socket.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clientId: serial,
          username: serial,
          ...(password === undefined ? {} : { password: Buffer.from(password) }),
          clean: true,
          keepalive: opts.keepalive ?? 30,
        }),
      );
    };
    const socket: net.Socket = opts.tls ? tls.connect({ ...target, ...opts.tls }, sendConnect) : net.connect(target, sendConnect);
    opts.keep?.push(socket);
    const parser = mqttPacket.parser();
    parser.on('packet', (p) => {
      if (p.cmd !== 'connack') return;
      resolve(p.returnCode ?? -1);
      if (!opts.keep) socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('close', () => resolve('closed'));
    socket.on('error', reject);
  });
}
