import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { ModbusClient } from '../device-sim/lan/modbus-client.ts';

/** The measuring side of `npm run bench:tunnel`: Modbus round trips and echoed streams over one TCP path each. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The q-quantile (nearest rank) of a sample. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

export async function modbusClient(port: number): Promise<ModbusClient> {
  const client = new ModbusClient();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(1);
  client.setTimeout(5_000);
  return client;
}

export function closeModbus(client: ModbusClient): Promise<void> {
  return new Promise((resolve) => client.close(() => resolve()));
}

/** `count` sequential reads of holding registers 0–7 (the telemetry block); ms each, request to answer. */
export async function modbusRoundTrips(client: ModbusClient, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const answer = await client.readHoldingRegisters(0, 8);
    times.push(performance.now() - t0);
    if (answer.data.length !== 8) throw new Error(`read 8 registers, got ${answer.data.length}`);
  }
  return times;
}

/**
 * Blocks of `block` requests on each path in turn, the first path alternating per block, so
 * whatever else the machine does at a moment hits both paths alike.
 */
export async function interleavedRoundTrips(
  paths: { direct: ModbusClient; tunnel: ModbusClient },
  opts: { perPath: number; block: number; warmup: number },
): Promise<{ direct: number[]; tunnel: number[] }> {
  await modbusRoundTrips(paths.direct, opts.warmup);
  await modbusRoundTrips(paths.tunnel, opts.warmup);
  const out = { direct: [] as number[], tunnel: [] as number[] };
  for (let b = 0; out.direct.length < opts.perPath; b++) {
    const n = Math.min(opts.block, opts.perPath - out.direct.length);
    const order = b % 2 === 0 ? (['direct', 'tunnel'] as const) : (['tunnel', 'direct'] as const);
    for (const path of order) out[path].push(...(await modbusRoundTrips(paths[path], n)));
  }
  return out;
}

/**
 * One TCP connection to an echo device kept for every run (a tunnel carries one connection,
 * and closing it closes the tunnel). A run writes `payload` and reads it all back.
 */
export class EchoStream {
  private sink: ((chunk: Buffer) => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.sink) this.sink(chunk);
      else socket.destroy(new Error(`${chunk.length} bytes arrived outside a run`));
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {}); // 'close' follows; a run in progress fails on it
  }

  static async connect(port: number): Promise<EchoStream> {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await once(socket, 'connect');
    return new EchoStream(socket);
  }

  /** Milliseconds from the first byte written to the last byte echoed; throws unless the echo is byte-exact. */
  async run(payload: Buffer, sliceBytes = 1 << 20): Promise<number> {
    if (this.closed) throw new Error('the echo connection is closed');
    const back = Buffer.allocUnsafe(payload.length);
    let got = 0;
    const t0 = performance.now();
    const received = new Promise<number>((resolve, reject) => {
      const onClose = () => reject(new Error(`the connection closed after ${got} of ${payload.length} bytes echoed`));
      this.socket.once('close', onClose);
      this.sink = (chunk) => {
        if (got + chunk.length > payload.length) return reject(new Error('more bytes came back than were sent'));
        chunk.copy(back, got);
        got += chunk.length;
        if (got < payload.length) return;
        this.socket.off('close', onClose);
        this.sink = undefined;
        resolve(performance.now() - t0);
      };
    });
    const writing = (async () => {
      for (let at = 0; at < payload.length && !this.closed; at += sliceBytes) {
        if (!this.socket.write(payload.subarray(at, at + sliceBytes))) await once(this.socket, 'drain');
      }
    })();
    const [ms] = await Promise.all([received, writing]);
    if (!back.equals(payload)) throw new Error('the echo differs from what was sent');
    return ms;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.socket.end();
    await once(this.socket, 'close');
  }
}
