import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_DATA_BYTES, WINDOW_FRAMES } from '../../services/contract/tunnel-frames.ts';
import { SimBox, type SimBoxOptions } from '../box.ts';
import { freeLoopbackPort } from '../lan/free-port.ts';
import { ModbusClient } from '../lan/modbus-client.ts';
import { TELEMETRY_REGISTERS } from '../lan/simulated-plc.ts';
import { useTestBroker } from '../test-support/aedes-broker.ts';
import { TunnelCloud, type CloudTunnel } from '../test-support/tunnel-cloud.ts';

/*
 * The box's end of the PLC tunnel over a real (bare, unauthenticated) aedes broker, with a raw
 * mqtt.js client playing the cloud. The backend's ACL for tun topics is tested with the backend.
 */

const SN = 'MTB2611000007';
const ECHO = '192.168.1.20:7';
const live = useTestBroker();

async function onlineBox(options: Partial<SimBoxOptions> = {}) {
  const cloud = await TunnelCloud.connect(live.broker.url, SN);
  live.defer(() => cloud.close());
  const box = new SimBox({ serial: SN, secret: 's', mqttUrl: live.broker.url, tunnelAllow: ['192.168.1.10:502', ECHO], ...options });
  live.defer(() => box.stop({ graceful: false }));
  box.start();
  await box.waitOnline();
  return { box, cloud };
}

/** A local TCP port bridged to one cloud tunnel, so a Modbus library can talk through it. */
async function bridge(tunnel: CloudTunnel): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    let delivered = 0;
    socket.on('data', (chunk: Buffer) => void tunnel.write(chunk));
    const pump = setInterval(() => {
      const all = Buffer.concat(tunnel.received);
      if (all.length > delivered) socket.write(all.subarray(delivered));
      delivered = all.length;
    }, 5);
    socket.on('close', () => clearInterval(pump));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  live.defer(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as AddressInfo).port, server };
}

describe('the box end of the PLC tunnel', () => {
  it('relays a Modbus client to the simulated PLC: telemetry registers read, holding registers written and read back', async () => {
    const { box, cloud } = await onlineBox();
    const plc = await box.startPlc();
    box.publishTelemetry();
    const tunnel = await cloud.open('192.168.1.10', 502);
    expect(tunnel.opened).toBe(true);

    const { port, server } = await bridge(tunnel);
    const modbus = new ModbusClient();
    live.defer(async () => modbus.close(() => {}));
    await modbus.connectTCP('127.0.0.1', { port });
    modbus.setID(1);
    modbus.setTimeout(5_000);
    const telemetry = await modbus.readHoldingRegisters(0, 8);
    expect(telemetry.data).toEqual(plc.registers.slice(0, 8));
    expect(telemetry.data[TELEMETRY_REGISTERS.rssiPlus200]).toBeGreaterThan(90); // −110 dBm or better
    expect(telemetry.data[TELEMETRY_REGISTERS.supplyVoltageX100]).toBeGreaterThan(2000);
    await modbus.writeRegisters(100, [1234, 65535, 7]);
    expect((await modbus.readHoldingRegisters(100, 3)).data).toEqual([1234, 65535, 7]);
    expect(plc.registers.slice(100, 103)).toEqual([1234, 65535, 7]);
    await expect(modbus.readHoldingRegisters(999, 2)).rejects.toMatchObject({ modbusCode: 2 });
    server.close();
  });

  it('refuses, in words, an endpoint off the allow-list, one nothing answers at, and one tunnel too many', async () => {
    const { box, cloud } = await onlineBox({
      maxTunnels: 1,
      lan: { '192.168.1.30:502': { host: '127.0.0.1', port: await freeLoopbackPort() } },
      tunnelAllow: ['*:502', ECHO],
    });
    const offList = await cloud.open('192.168.1.10', 8080);
    expect(offList.refused).toEqual({
      code: 'not-allowed',
      message: "192.168.1.10:8080 is not on this box's tunnel allow-list (*:502, 192.168.1.20:7)",
    });
    const noDevice = await cloud.open('192.168.1.99', 502);
    expect(noDevice.refused).toEqual({ code: 'unreachable', message: "nothing answers at 192.168.1.99:502 on the box's LAN (no such device)" });
    const closedPort = await cloud.open('192.168.1.30', 502);
    expect(closedPort.refused).toEqual({ code: 'unreachable', message: "nothing answers at 192.168.1.30:502 on the box's LAN (ECONNREFUSED)" });

    await box.startEcho(ECHO);
    const first = await cloud.open('192.168.1.20', 7);
    expect(first.opened).toBe(true);
    const second = await cloud.open('192.168.1.20', 7);
    expect(second.refused).toEqual({ code: 'busy', message: 'this box already relays 1 tunnels, its maximum; close one first' });
    expect(box.tunnels.active).toBe(1);
  });

  it('carries 1 MB byte-exact both ways with slow readers on both sides, never more than 32 frames unacknowledged', async () => {
    const { box, cloud } = await onlineBox();
    const echo = await box.startEcho(ECHO, { readDelayMs: 2 });
    const tunnel = await cloud.open('192.168.1.20', 7, { ackDelayMs: 10 });
    const sent = randomBytes(1024 * 1024);
    await tunnel.write(sent);
    const back = await tunnel.readBytes(sent.length, 60_000);
    expect(back.equals(sent)).toBe(true);

    const [record] = box.tunnels.history();
    expect(record?.stats).toMatchObject({ bytesUp: sent.length, bytesDown: sent.length });
    // Flow control held both directions: the window, and what waits in the PLC socket.
    expect(record?.stats.maxInFlight).toBe(WINDOW_FRAMES);
    expect(tunnel.maxInFlight).toBeLessThanOrEqual(WINDOW_FRAMES);
    expect(record?.stats.maxPlcBuffered).toBeLessThanOrEqual(WINDOW_FRAMES * MAX_DATA_BYTES);
    expect(echo.connections).toBe(1);
  }, 90_000);

  it('drops a redelivered frame and closes the tunnel with `sequence` on a skipped one, hanging up on the device', async () => {
    const { box, cloud } = await onlineBox();
    const echo = await box.startEcho(ECHO);
    const tunnel = await cloud.open('192.168.1.20', 7);
    await tunnel.write(Buffer.from('abc'));
    await cloud.publishFrame({ kind: 'data', tunnelId: tunnel.id, seq: 1, data: Buffer.from('xyz') });
    await tunnel.write(Buffer.from('def'));
    expect((await tunnel.readBytes(6)).toString()).toBe('abcdef');

    tunnel.sendSkipping(Buffer.from('lost'));
    expect(await tunnel.waitClosed()).toBe('sequence');
    await waitUntil(() => echo.connections === 0);
    expect(box.tunnels.history()[0]?.closeReason).toBe('sequence');
    expect(box.logTail(5).join('\n')).toMatch(/closed: sequence/);
  });

  it('closes on the cloud’s CLOSE, the device hanging up (plc-closed), an idle timeout, and the box stopping', async () => {
    const { box, cloud } = await onlineBox();
    const echo = await box.startEcho(ECHO);

    const byCloud = await cloud.open('192.168.1.20', 7);
    await waitUntil(() => echo.connections === 1);
    byCloud.close('closed-by-user');
    await waitUntil(() => echo.connections === 0);
    expect(box.tunnels.active).toBe(0);

    const byDevice = await cloud.open('192.168.1.20', 7);
    await waitUntil(() => echo.connections === 1);
    echo.hangUp();
    expect(await byDevice.waitClosed()).toBe('plc-closed');

    const idle = await cloud.open('192.168.1.20', 7, { idleS: 1 });
    expect(await idle.waitClosed(5_000)).toBe('idle');
    await waitUntil(() => echo.connections === 0);

    const atStop = await cloud.open('192.168.1.20', 7);
    await box.stop();
    expect(await atStop.waitClosed()).toBe('box-stopping');
    // The LAN's servers close with the box.
    await expect(new ModbusClient().connectTCP(echo.endpoint.host, { port: echo.endpoint.port })).rejects.toThrow();
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
