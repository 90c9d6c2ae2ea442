import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type HaproxyServer, startHaproxy } from './helpers/engines.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * MQTT behind a load balancer (issue 15): HAProxy in front of a backend that names it in
 * MQTT_PROXY_FROM passes each box's address in a PROXY protocol header, and the broker sees
 * the box there (presence, login bans), while nobody else can claim an address that way.
 * The whole of 127/8 is local on Linux: boxes bind 127.0.0.2 and .3, the balancer is 127.0.0.1.
 */

const BALANCER = '127.0.0.1';
const PLANT_A = '127.0.0.2';
const PLANT_B = '127.0.0.3';
const CONNECT_TIMEOUT_MS = 1000;

type Box = { serial: string; secret: string };

function connectPacket(box: Box): Buffer {
  return mqttPacket.generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clientId: box.serial,
    username: box.serial,
    password: Buffer.from(box.secret),
    clean: true,
    keepalive: 30,
  });
}

/**
 * Opens a raw socket to the broker itself from `from`, writes `chunks` one by one (a header,
 * a CONNECT, anything), and answers the CONNACK's return code or 'closed'. The socket is kept
 * in `keep` when given, else closed after the answer.
 */
function rawSession(port: number, from: string, chunks: Buffer[], keep?: net.Socket[]): Promise<number | 'closed'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from }, async () => {
      for (const chunk of chunks) await new Promise<void>((done) => socket.write(chunk, () => done()));
    });
    keep?.push(socket);
    const parser = mqttPacket.parser();
    parser.on('packet', (p) => {
      if (p.cmd !== 'connack') return;
      resolve(p.returnCode ?? -1);
      if (!keep) socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('close', () => resolve('closed'));
    socket.on('error', reject);
  });
}

function v2Local(): Buffer {
  return Buffer.concat([Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1'), Buffer.from([0x20, 0x00, 0x00, 0x00])]);
}

describe('MQTT behind HAProxy with the PROXY protocol', () => {
  let backend: TestBackend;
  let haproxy: HaproxyServer;
  let brokerPort: number;
  let viaBalancer: number;
  let boxes: Box[];
  const held: net.Socket[] = [];
  const refusals = () => backend.app.broker.stats().refusals;

  async function presenceAddress(serial: string): Promise<string | null> {
    const res = await fetch(`${backend.api}/devices/${serial}`, { headers: await backend.adminHeaders() });
    expect(res.status).toBe(200);
    return ((await res.json()) as { presence: { address: string | null } }).presence.address;
  }

  beforeAll(async () => {
    backend = await startTestBackend({
      MQTT_PROXY_FROM: BALANCER,
      LOGIN_FAILURES_BEFORE_BAN: '3',
      CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    brokerPort = backend.app.mqttPort;
    haproxy = await startHaproxy({
      frontends: [{ name: 'mqtt', mode: 'tcp', backends: [{ host: '127.0.0.1', port: brokerPort, sendProxyV2: true }] }],
    });
    viaBalancer = haproxy.port('mqtt');
    boxes = await backend.app.provision(['MTB2611000301', 'MTB2611000302', 'MTB2611000303', 'MTB2611000304', 'MTB2611000305']);
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await haproxy?.remove();
    await backend?.stop();
  });

  it("sees a box connecting through HAProxy (send-proxy-v2) at the box's address, not the balancer's", async () => {
    const [box] = boxes as [Box];
    expect(await rawConnect(viaBalancer, box.serial, box.secret, { from: PLANT_A, keep: held })).toBe(0);
    await waitFor(async () => (await presenceAddress(box.serial)) === PLANT_A, { what: "the box's address in its shadow" });
  });

  it('bans the address that guesses through the balancer, not the balancer: a box elsewhere still gets in', async () => {
    const [, box] = boxes as [Box, Box];
    const answers: Array<number | 'closed'> = [];
    for (let i = 0; i < 4; i++) answers.push(await rawConnect(viaBalancer, box.serial, `guess-${i}`, { from: PLANT_A }));
    // Three "bad user name or password", then the (serial, 127.0.0.2) pair is banned.
    expect(answers).toEqual([4, 4, 4, 5]);
    expect(await rawConnect(viaBalancer, box.serial, box.secret, { from: PLANT_A })).toBe(5);
    expect(await rawConnect(viaBalancer, box.serial, box.secret, { from: PLANT_B })).toBe(0);
  });

  it("reads a v1 header (send-proxy) from the balancer, even split across packets, and sees the header's address", async () => {
    const [, , box] = boxes as [Box, Box, Box];
    const header = Buffer.from(`PROXY TCP4 203.0.113.9 ${BALANCER} 40000 1883\r\n`, 'latin1');
    const answer = await rawSession(brokerPort, BALANCER, [header.subarray(0, 10), header.subarray(10), connectPacket(box)], held);
    expect(answer).toBe(0);
    await waitFor(async () => (await presenceAddress(box.serial)) === '203.0.113.9', { what: "the v1 header's address in the shadow" });
  });

  it("keeps the balancer's own address for a v2 LOCAL header, as HAProxy's health checks send", async () => {
    const [, , , box] = boxes as [Box, Box, Box, Box];
    expect(await rawSession(brokerPort, BALANCER, [Buffer.concat([v2Local(), connectPacket(box)])], held)).toBe(0);
    await waitFor(async () => (await presenceAddress(box.serial)) === BALANCER, { what: "the balancer's address in the shadow" });
  });

  it('refuses a connection from the balancer that comes without a header', async () => {
    const [, , , , box] = boxes as [Box, Box, Box, Box, Box];
    const before = refusals()['bad-proxy-header'];
    expect(await rawConnect(brokerPort, box.serial, box.secret, { from: BALANCER })).toBe('closed');
    expect(refusals()['bad-proxy-header']).toBe(before + 1);
  });

  it('refuses a PROXY header, v1 or v2, from anyone but the balancer: nobody may claim an address', async () => {
    const [, , , , box] = boxes as [Box, Box, Box, Box, Box];
    const before = refusals()['first-packet-not-connect'];
    const v1 = Buffer.from(`PROXY TCP4 127.0.0.3 ${BALANCER} 40000 1883\r\n`, 'latin1');
    expect(await rawSession(brokerPort, PLANT_A, [v1, connectPacket(box)])).toBe('closed');
    expect(await rawSession(brokerPort, PLANT_A, [v2Local(), connectPacket(box)])).toBe('closed');
    expect(refusals()['first-packet-not-connect']).toBe(before + 2);
  });

  it('refuses malformed and late headers from the balancer, counted, and goes on serving', async () => {
    const [, , , , box] = boxes as [Box, Box, Box, Box, Box];
    const before = refusals()['bad-proxy-header'];
    const oversized = Buffer.concat([Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1'), Buffer.from([0x21, 0x11, 0xff, 0xff])]);
    const badPort = Buffer.from(`PROXY TCP4 203.0.113.9 ${BALANCER} 99999 1883\r\n`, 'latin1');
    const garbage = Buffer.from('PROXY \0\0\0\0\0\0\0\r\n', 'latin1');
    for (const header of [oversized, badPort, garbage]) expect(await rawSession(brokerPort, BALANCER, [header, connectPacket(box)])).toBe('closed');
    // Half a header, then silence: closed after CONNECT_TIMEOUT_MS.
    const started = Date.now();
    expect(await rawSession(brokerPort, BALANCER, [Buffer.from('PROXY TCP4 203.0', 'latin1')])).toBe('closed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    expect(refusals()['bad-proxy-header']).toBe(before + 4);
    expect(await rawConnect(viaBalancer, box.serial, box.secret, { from: PLANT_B })).toBe(0);
  });
});
