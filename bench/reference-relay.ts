import { Aedes } from 'aedes';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { sampleProcess, serve } from './ipc.ts';
import { PACKET, connectPacket, frameSplitter, pubackPacket, subscribePacket } from './mqtt-wire.ts';
import type { BoxCredentials, TargetStats } from './target.ts';

/**
 * The reference: a bare aedes relay with default options, accepting any client, and one
 * subscriber on `mtbox/+/telemetry` in this process counting what is delivered to it.
 * The subscriber asks for QoS 1, so QoS 1 telemetry is relayed end to end at QoS 1.
 */

let delivered = 0;
let lastAt: number | undefined;

async function startSubscriber(port: number): Promise<Socket> {
  const sock = connect({ host: '127.0.0.1', port });
  await once(sock, 'connect');
  let subscribed: () => void = () => {};
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const split = frameSplitter((f) => {
    if (f.type === PACKET.publish) {
      delivered++;
      if ((f.flags & 0x06) !== 0) {
        const idAt = 2 + f.body.readUInt16BE(0);
        acks.push(pubackPacket(f.body.readUInt16BE(idAt)));
      }
    } else if (f.type === PACKET.connack) {
      sock.write(subscribePacket('mtbox/+/telemetry', 1));
    } else if (f.type === PACKET.suback) {
      subscribed();
    }
  });
  let acks: Buffer[] = [];
  sock.on('data', (chunk: Buffer) => {
    const before = delivered;
    split(chunk);
    if (delivered !== before) lastAt = performance.timeOrigin + performance.now();
    if (acks.length > 0) {
      sock.write(acks.length === 1 ? acks[0]! : Buffer.concat(acks));
      acks = [];
    }
  });
  sock.write(connectPacket('BENCHSUBSCRIBER', 'none', 600));
  await ready;
  return sock;
}

serve({
  async start() {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await startSubscriber(port);
    return { port };
  },
  provision({ count }: { count: number }): BoxCredentials[] {
    return Array.from({ length: count }, (_, i) => ({ serial: `MTB${String(i).padStart(10, '0')}`, secret: 'any' }));
  },
  stats: (): TargetStats => ({ count: delivered, lastAt, ...sampleProcess() }),
  gc(): TargetStats {
    globalThis.gc?.();
    return { count: delivered, lastAt, ...sampleProcess() };
  },
});
