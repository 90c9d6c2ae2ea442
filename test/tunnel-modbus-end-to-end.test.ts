import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { ModbusClient } from '../device-sim/lan/modbus-client.ts';
import { LocalProxy } from '../tunnel-proxy/local-proxy.ts';
import { MONDAY_10_CST, startSessionFixture, type Account, type SessionFixture } from './helpers/session-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The whole path over real sockets: a Modbus client (modbus-serial) → the engineer's local
 * proxy → the backend's tunnel WebSocket → MQTT → the simulated box → its LAN PLC.
 */

const ECHO = { host: '192.168.1.20', port: 7 };
let f: SessionFixture;
let eng: Account;
const boxes: SimBox[] = [];

beforeAll(async () => {
  f = await startSessionFixture(MONDAY_10_CST);
  eng = await f.account('engineer');
});
afterAll(async () => {
  await Promise.all(boxes.map((b) => b.stop({ graceful: false })));
  await f.close();
});

/** A box online with its PLC and an echo device on its LAN, in a session the engineer started. */
async function boxInSession() {
  const { serial, secret } = await f.register();
  const box = new SimBox({
    serial,
    secret,
    mqttUrl: f.backend.mqttUrl,
    model: 'MT-BOX-4G',
    clock: () => f.now(),
    tunnelAllow: ['192.168.1.10:502', `${ECHO.host}:${ECHO.port}`],
  });
  boxes.push(box);
  const plc = await box.startPlc();
  await box.startEcho(`${ECHO.host}:${ECHO.port}`, { readDelayMs: 2 });
  box.start();
  await box.waitOnline();
  box.publishTelemetry();
  // Inside support hours a session an engineer opens is active at once.
  const session = await f.api<{ id: number; state: string }>('POST', '/sessions', eng.headers, { serial });
  expect(session.status).toBe(201);
  expect(session.body.state).toBe('active');
  return { box, plc, sessionId: session.body.id };
}

async function openTunnel(sessionId: number, target: { host: string; port: number }) {
  const opened = await f.api<{ id: string; url: string; state: string }>('POST', `/sessions/${sessionId}/tunnels`, eng.headers, target);
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const proxy = await LocalProxy.listen({ url: opened.body.url, token: eng.token, host: '127.0.0.1', port: 0 });
  return { tunnel: opened.body, proxy };
}

async function readAll(socket: Socket, bytes: number, delayMs: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) return resolve();
      socket.pause();
      setTimeout(() => socket.resume(), delayMs);
    });
    socket.on('close', () => (got >= bytes ? resolve() : reject(new Error(`closed after ${got} of ${bytes} bytes`))));
  });
  return Buffer.concat(chunks);
}

describe('PLC tunnel end to end', () => {
  it('a Modbus client reads and writes the PLC’s holding registers through npm run tunnel’s local port', async () => {
    const { plc, sessionId } = await boxInSession();
    const { tunnel, proxy } = await openTunnel(sessionId, { host: '192.168.1.10', port: 502 });
    const modbus = new ModbusClient();
    await modbus.connectTCP('127.0.0.1', { port: proxy.address.port });
    modbus.setID(1);
    modbus.setTimeout(5_000);
    expect((await modbus.readHoldingRegisters(0, 8)).data).toEqual(plc.registers.slice(0, 8));
    await modbus.writeRegisters(200, [42, 4242]);
    expect((await modbus.readHoldingRegisters(200, 2)).data).toEqual([42, 4242]);
    expect(plc.registers.slice(200, 202)).toEqual([42, 4242]);
    await new Promise<void>((resolve) => modbus.close(() => resolve()));
    expect(await proxy.done).toMatchObject({ ok: true });
    const list = await waitFor(
      async () => {
        const r = await f.api<Array<{ id: string; state: string; closeReason: string | null; bytesUp: number; bytesDown: number }>>(
          'GET',
          `/sessions/${sessionId}/tunnels`,
          eng.headers,
        );
        const row = r.body.find((t) => t.id === tunnel.id);
        return row?.state === 'closed' ? row : undefined;
      },
      { what: 'the tunnel closed in the list' },
    );
    expect(list).toMatchObject({ closeReason: 'client-closed' });
    expect(list.bytesUp).toBeGreaterThan(0);
    expect(list.bytesDown).toBeGreaterThan(0);
  });

  it('carries 1 MB through an echo device byte-exact both ways with slow readers at each end', async () => {
    const { box, sessionId } = await boxInSession();
    const { proxy } = await openTunnel(sessionId, ECHO);
    const socket = connect(proxy.address.port, '127.0.0.1');
    await once(socket, 'connect');
    const sent = randomBytes(1024 * 1024);
    socket.write(sent);
    const back = await readAll(socket, sent.length, 2);
    expect(back.equals(sent)).toBe(true);
    const [record] = box.tunnels.history();
    expect(record?.stats.maxInFlight).toBeLessThanOrEqual(32);
    expect(record?.stats.bytesDown).toBe(sent.length);
    socket.end();
    expect(await proxy.done).toMatchObject({ ok: true });
  }, 120_000);

  it('the box going offline closes the tunnel and the engineer’s local connection', async () => {
    const { box, sessionId } = await boxInSession();
    const { proxy } = await openTunnel(sessionId, ECHO);
    const socket = connect(proxy.address.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('hello');
    await once(socket, 'data');
    const ended = once(socket, 'close');
    await box.kill();
    expect(await proxy.done).toEqual({ ok: true, reason: 'box-offline' });
    await ended;
  });
});
